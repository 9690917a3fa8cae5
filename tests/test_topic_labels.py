"""Topic descriptions: label guesses from top terms and representative documents."""

import numpy as np
import pandas as pd

from scripts.model.distinctiveness import exclusivity_matrix, frex_matrix, marginal_term_probability, relevance_matrix, topic_exclusivity
from scripts.report.topic_labels import distinctive_terms, label_guesses, representative_documents


def test_label_skips_terms_every_topic_shares_and_writes_phrases_with_spaces():
    topic_terms = pd.DataFrame(
        {
            "topic": [0] * 4 + [1] * 4,
            "rank": [1, 2, 3, 4] * 2,
            "term": ["gobierno", "estados_unidos", "arancel", "comercio", "gobierno", "gol", "estadio", "torneo"],
            "weight": [0.12, 0.10, 0.09, 0.08, 0.12, 0.11, 0.09, 0.08],
        }
    )
    labels = label_guesses(topic_terms, pd.DataFrame({"topic": [0, 1], "share": [0.5, 0.5]}))
    assert labels["label"].tolist() == ["estados unidos / arancel / comercio", "gol / estadio / torneo"]
    assert labels.loc[0, "top_terms"] == "gobierno, estados unidos, arancel, comercio"
    assert labels["share"].tolist() == [0.5, 0.5]
    assert labels["label_display"].tolist() == labels["label"].tolist()  # no surface forms given


def test_display_columns_write_terms_as_the_corpus_does():
    topic_terms = pd.DataFrame({"topic": [0, 0, 1, 1], "rank": [1, 2, 1, 2],
                                "term": ["crisis_de_opioide", "fentanilo", "chivas", "temporada"],
                                "weight": [0.2, 0.1, 0.2, 0.1]})
    forms = {"crisis_de_opioide": "crisis de opioides", "chivas": "Chivas"}
    labels = label_guesses(topic_terms, n_label=2, forms=forms)
    assert list(labels.columns) == ["topic", "share", "label", "top_terms", "label_display", "terms_display"]
    assert labels["label"].tolist() == ["crisis de opioide / fentanilo", "chivas / temporada"]
    assert labels["label_display"].tolist() == ["crisis de opioides / fentanilo", "Chivas / temporada"]
    assert labels["terms_display"].tolist() == ["crisis de opioides, fentanilo", "Chivas, temporada"]
    table = distinctive_terms(np.array([[0.6, 0.4], [0.1, 0.9]]), ["chivas", "crisis_de_opioide"], n_terms=1, top_n=1,
                              forms=forms)
    assert table["frex_display"].tolist() == ["Chivas", "crisis de opioides"]


def test_representative_documents_are_the_top_three_distinct_titles_with_dates():
    doc_topics = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "split": ["train"] * 4 + ["heldout"],
            "topic_0": [0.9, 0.8, 0.7, 0.2, 0.95],
            "topic_1": [0.1, 0.2, 0.3, 0.8, 0.05],
        }
    )
    documents = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "date": pd.to_datetime(["2024-01-03", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-09"]),
            "title": ["Uno", "Uno", "Tres", "Cuatro", "Cinco"],
        }
    )
    docs = representative_documents(doc_topics, documents)
    topic_0 = docs[docs["topic"] == 0]
    assert topic_0["doc_id"].tolist() == ["e", "a", "c"]  # "b" repeats the title of "a"
    assert topic_0["date"].tolist() == ["2024-05-09", "2024-01-03", "2024-03-01"]
    assert docs[docs["topic"] == 1]["doc_id"].tolist()[0] == "d"


def brute_force_frex(phi, weight=0.5):
    """stm's calcfrex written out word by word: ECDF ranks of frequency and exclusivity within each topic."""
    k, v = phi.shape
    frex = np.zeros_like(phi)
    for topic in range(k):
        exclusive = [phi[topic, w] / phi[:, w].sum() for w in range(v)]
        for w in range(v):
            freq_rank = sum(phi[topic, x] <= phi[topic, w] for x in range(v)) / v  # no ties in the test
            excl_rank = sum(exclusive[x] <= exclusive[w] for x in range(v)) / v
            frex[topic, w] = 1 / (weight / freq_rank + (1 - weight) / excl_rank)
    return frex


def test_frex_and_exclusivity_match_their_definitions_on_the_full_matrix():
    phi = np.random.default_rng(2).dirichlet(np.full(12, 0.3), size=3)
    assert np.allclose(frex_matrix(phi), brute_force_frex(phi))
    assert np.allclose(frex_matrix(phi, 0.7), brute_force_frex(phi, 0.7))
    excl = exclusivity_matrix(phi)
    assert np.allclose(excl.sum(axis=0), 1.0)
    top = np.argsort(-phi, axis=1)[:, :4]
    assert np.allclose(topic_exclusivity(phi, 4), [excl[t, top[t]].mean() for t in range(3)])


def test_relevance_uses_the_marginal_from_the_whole_vocabulary():
    phi = np.array([[0.4, 0.3, 0.3, 0.0], [0.4, 0.0, 0.1, 0.5]])
    p = marginal_term_probability(phi, [0.5, 0.5])
    assert np.allclose(p, [0.4, 0.15, 0.2, 0.25])
    expected = 0.6 * np.log(0.3) + 0.4 * np.log(0.3 / 0.15)
    assert np.isclose(relevance_matrix(phi, p)[0, 1], expected)


def test_distinctive_terms_find_words_outside_the_top_table():
    # "gobierno" is among the heaviest words of both topics: FREX and relevance prefer each topic's own words
    terms = ["gobierno", "gol", "estadio", "fentanilo", "opioide", "estados_unidos"]
    phi = np.array([[0.30, 0.30, 0.25, 0.01, 0.01, 0.13], [0.30, 0.01, 0.01, 0.30, 0.25, 0.13]])
    table = distinctive_terms(phi, terms, shares=[0.5, 0.5], n_terms=2, top_n=3)
    assert list(table.columns) == ["topic", "frex_terms", "relevance_terms", "exclusivity", "frex_display", "relevance_display"]
    assert table["frex_terms"].tolist() == ["gol, estadio", "fentanilo, opioide"]
    assert table["relevance_terms"].tolist() == ["gol, estadio", "fentanilo, opioide"]
    # top 3 of topic 0: gobierno (exclusivity 0.5), gol (0.30 / 0.31), estadio (0.25 / 0.26)
    assert np.isclose(table.loc[0, "exclusivity"], (0.5 + 0.30 / 0.31 + 0.25 / 0.26) / 3)
