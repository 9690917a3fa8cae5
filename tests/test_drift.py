"""Vocabulary drift: a theme's carrying terms follow the period's actual word use."""

import numpy as np
from scipy import sparse

from scripts.themes.drift import count_matrix, drift_table, theme_term_counts


def test_theme_tokens_are_allocated_not_invented():
    counts = count_matrix([["fentanilo", "gol", "fentanilo"], ["precursor", "gol"]],
                          {"fentanilo": 0, "precursor": 1, "gol": 2})
    doc_topic = np.array([[0.6, 0.4], [0.5, 0.5]])
    topic_term = np.array([[0.6, 0.4, 0.0], [0.0, 0.1, 0.9]])
    carried = theme_term_counts(counts, doc_topic, topic_term, np.eye(2), np.array([0, 1]), 2)
    total = sum(matrix.toarray() for matrix in carried)
    assert np.allclose(total.sum(), counts.sum())
    assert np.isclose(carried[0].toarray()[0, 0], 2.0)
    assert carried[0].toarray()[0, 2] == 0


def test_the_carrying_term_changes_when_usage_changes():
    vocabulary = {"fentanilo": 0, "precursor": 1, "gol": 2}
    docs = [["fentanilo"] * 5 + ["precursor"]] * 3 + [["precursor"] * 5 + ["fentanilo"]] * 3
    counts = count_matrix(docs, vocabulary)
    topic_term = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    doc_topic = np.tile([0.99, 0.01], (6, 1))
    carried = theme_term_counts(counts, doc_topic, topic_term, np.array([[1.0], [0.0]]),
                                np.array([0, 0, 0, 1, 1, 1]), 2)
    table = drift_table(carried, ["fentanilo"], ["2024-01-01", "2024-02-01"], {0: "fentanilo", 1: "precursor", 2: "gol"}, 1)
    assert table[["period", "term"]].values.tolist() == [["2024-01-01", "fentanilo"], ["2024-02-01", "precursor"]]
    assert np.allclose(table["weight"], 5 / 6)


def test_empty_periods_are_skipped():
    carried = [sparse.csr_matrix(np.array([[0.0, 0.0], [1.0, 3.0]]))]
    table = drift_table(carried, ["a"], ["2024-01-01", "2024-02-01"], {0: "x", 1: "y"}, 5)
    assert table["period"].unique().tolist() == ["2024-02-01"]
    assert table["term"].tolist() == ["y", "x"] and np.isclose(table["weight"].sum(), 1.0)
