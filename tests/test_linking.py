"""Linking themes to topics: split themes keep all their topics, shared topics are never double counted."""

import numpy as np
import pandas as pd

from scripts.themes.linking import link_topics, seed_term_ids, seeded_links, theme_weights
from scripts.settings import section

#: ``linking.min_lift`` and ``linking.min_relative`` as the schema fills them in
LINKING = (section("linking")["min_lift"], section("linking")["min_relative"])


def _topics(rows):
    topic_term = np.array(rows, dtype=float)
    return topic_term / topic_term.sum(axis=1, keepdims=True)


# vocabulary: 0 fentanilo, 1 opioide, 2 gol, 3 estadio, 4 dijo (background), 5 precio
SPLIT = _topics([
    [30, 2, 0, 0, 30, 38],   # fentanyl seizures
    [2, 30, 0, 0, 30, 38],   # overdoses: the same theme, split by a larger K
    [0, 0, 30, 30, 30, 10],  # football
    [0.5, 0.5, 1, 1, 60, 37],  # background, a sprinkle of everything
])


def test_a_theme_split_over_two_topics_keeps_both():
    links = link_topics(SPLIT, {"fentanilo": [0, 1], "deportes": [2, 3]}, np.full(4, 0.25), *LINKING)
    assert links.loc[links["theme"] == "fentanilo", "topic"].tolist() == [0, 1]
    assert links.loc[links["theme"] == "deportes", "topic"].tolist() == [2]
    assert links["weight"].between(0.99, 1.0).all()
    assert links["passed"].all()


def test_a_topic_sprinkled_with_a_seed_word_is_not_linked():
    links = link_topics(SPLIT, {"fentanilo": [0, 1]}, np.full(4, 0.25), *LINKING)
    assert 3 not in set(links["topic"])


def test_a_shared_topic_is_split_not_counted_twice():
    merged = _topics([[20, 0, 20, 0, 30, 30], [0, 0, 0, 0, 50, 50]])
    links = link_topics(merged, {"a": [0], "b": [2]}, np.array([0.5, 0.5]), *LINKING)
    assert links["topic"].tolist() == [0, 0]
    assert np.isclose(links["weight"].sum(), 1.0)
    shares = np.array([[0.8, 0.2]]) @ theme_weights(links, ["a", "b"], 2)  # document theme shares, as in themes.pipeline
    assert np.isclose(shares.sum(), 0.8)


def test_a_theme_above_chance_nowhere_is_still_linked_and_flagged(caplog):
    flat = _topics([[1, 1, 1], [1, 1, 1.2]])
    links = link_topics(flat, {"a": [2]}, np.array([0.5, 0.5]), *LINKING)
    assert links["topic"].tolist() == [1] and not links["passed"].any()
    assert "linked to its densest topic" in caplog.text


def test_seeded_links_own_topic_and_free_topics_that_qualify():
    topic_term = _topics([[30, 2, 0, 0, 30, 38], [0, 0, 30, 30, 30, 10], [2, 30, 0, 0, 30, 38],
                          [0.5, 0.5, 1, 1, 60, 37]])
    links = seeded_links(topic_term, {"fentanilo": [0, 1], "deportes": [2, 3]}, np.full(4, 0.25), *LINKING)
    assert links.loc[links["theme"] == "fentanilo", "topic"].tolist() == [0, 2]
    assert links.loc[links["theme"] == "deportes", "topic"].tolist() == [1]
    assert links.loc[links["topic"] < 2, "weight"].eq(1.0).all()


def test_themes_without_vocabulary_terms_get_no_link():
    table = pd.DataFrame({"theme": ["a", "b"], "seed_word": ["x", "y"], "term": ["x", "y"],
                          "in_vocabulary": [True, False]})
    ids = seed_term_ids(table, {"x": 0, "y": 1}, ["a", "b"])
    assert ids == {"a": [0], "b": []}
    links = link_topics(SPLIT, ids, np.full(4, 0.25), *LINKING)
    assert set(links["theme"]) == {"a"}
    assert theme_weights(links, ["a", "b"], 4)[:, 1].sum() == 0


def test_blended_themes_are_reported(caplog):
    merged = _topics([[20, 0, 20, 0, 30, 30], [0, 0, 0, 0, 50, 50]])
    link_topics(merged, {"a": [0], "b": [2]}, np.array([0.5, 0.5]), *LINKING)
    assert "share topic 0" in caplog.text
