"""Per-document theme shares: a shared topic is split by each document's own seed words (and the
words the corpus ties to them), the topic model fills in documents without seed words, one seed
word shared with another theme cannot carry a topic, and words of no theme stay out of the share."""

import numpy as np
from scipy import sparse

from scripts.settings import section
from scripts.themes.linking import link_diagnostics, link_topics, seeded_links, theme_weights
from scripts.model.seeded import theme_seed_ids
from scripts.themes.shares import expanded_lexicon, guided_shares, keyword_rate, theme_profile, tied_fraction

#: ``linking.min_lift`` and ``linking.min_relative`` as the schema fills them in
LINKING = (section("linking")["min_lift"], section("linking")["min_relative"])

# vocabulary: 0 gol, 1 estadio (deportes seeds), 2 vacuna, 3 hospital (salud seeds), 4 liga, 5 clinica, 6 dijo
PHI = np.array([
    [0.10, 0.10, 0.10, 0.10, 0.20, 0.20, 0.20],  # one topic shared by sport and health
    [0.00, 0.00, 0.00, 0.00, 0.05, 0.05, 0.90],  # background
])
THEMES = ["deportes", "salud"]
IDS = {"deportes": [0, 1], "salud": [2, 3]}


def test_a_shared_topic_is_split_by_each_document_s_own_seed_words():
    theta = np.array([[0.9, 0.1], [0.9, 0.1]])
    counts = sparse.csr_matrix(np.array([[4, 4, 0, 0, 6, 0, 2], [0, 0, 4, 4, 0, 6, 2]]))
    shares = guided_shares(counts, theta, PHI, IDS, THEMES, np.array([0.9, 0.1]), min_relative=LINKING[1])
    assert shares[0, 0] > 0.6 > 0.2 > shares[0, 1]
    assert shares[1, 1] > 0.6 > 0.2 > shares[1, 0]
    fixed = theta @ theme_weights(link_topics(PHI, IDS, np.array([0.9, 0.1]), *LINKING), THEMES, 2)
    assert np.allclose(fixed[0], fixed[1])  # the old rule: both documents alike, whatever they say


def test_a_document_without_seed_words_keeps_its_topic_s_share():
    phi = np.array([[0.3, 0.0, 0.0, 0.0, 0.7, 0.0, 0.0], [0.0, 0.0, 0.3, 0.0, 0.0, 0.7, 0.0]])
    ids = {"deportes": [0], "salud": [2]}
    # "liga" goes with "gol" elsewhere in the corpus, "clinica" with "vacuna"; the last document: "liga" only
    counts = sparse.csr_matrix(np.array([[3, 0, 0, 0, 7, 0, 0], [0, 0, 3, 0, 0, 7, 0], [0, 0, 0, 0, 5, 0, 0]]))
    theta = np.array([[0.95, 0.05], [0.05, 0.95], [0.95, 0.05]])
    shares = guided_shares(counts, theta, phi, ids, THEMES, np.array([0.5, 0.5]), min_relative=LINKING[1])
    assert shares[2, 0] > 0.6 and shares[2, 1] < 0.05  # "liga" is evidence of deportes, not of salud
    seeds_only = guided_shares(counts[2:], theta[2:], phi, ids, THEMES, np.array([0.5, 0.5]), min_relative=LINKING[1], expand=False)
    assert seeds_only[0, 0] > 0.3  # 1.4 seed hits were expected, none came: less than the topic, far from 0
    assert keyword_rate(counts[2:], ids, THEMES, np.array([5]))[0, 0] == 0


def test_the_expanded_lexicon_keeps_words_tied_to_one_theme_s_seed_words():
    # vocabulary: 0 gol (deportes seed), 1 vacuna (salud seed), 2 liga, 3 clinica, 4 frontera-like word
    # used with both themes' seed words, 5 general word in every document
    rows = [[2, 0, 5, 0, 2, 4], [1, 0, 4, 0, 2, 4], [0, 2, 0, 5, 2, 4], [0, 1, 0, 4, 2, 4], [0, 0, 0, 0, 0, 8]]
    weights = expanded_lexicon(sparse.csr_matrix(np.array(rows)), {"deportes": [0], "salud": [1]}, THEMES)
    assert weights[0, 0] == weights[1, 1] == 1.0 and weights[0, 1] == weights[1, 0] == 0.0
    assert weights[0, 2] == 1.0 and weights[1, 3] == 1.0              # co-occurring words, one theme each
    assert weights[1, 2] == 0.0 and weights[0, 3] == 0.0
    assert weights[:, 4].max() < 0.2 and weights[:, 5].max() < 0.2   # shared and general words carry little


def test_words_tied_to_no_theme_are_kept_out_of_the_theme_s_share():
    phi = np.array([[0.2, 0.0, 0.3, 0.0, 0.0, 0.5]])
    counts = sparse.csr_matrix(np.array([[2, 0, 3, 0, 0, 5], [2, 0, 3, 0, 0, 15]]))
    weights = np.array([[1.0, 0.0, 1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0, 0.0, 0.0]])
    tied = tied_fraction(counts, np.ones((2, 1)), phi, weights, strength=0.0)
    assert np.allclose(tied.ravel(), [0.5, 0.25])


def test_a_seed_word_that_another_theme_uses_as_much_does_not_carry_its_topic():
    # vocabulary: 0 frontera (seguridad seed, as frequent in migration), 1-3 seguridad seeds, 4 migrante, 5 other
    phi = np.array([[0.07, 0.02, 0.02, 0.02, 0.00, 0.87], [0.07, 0.0, 0.0, 0.0, 0.20, 0.73]])
    profile = theme_profile(phi, {"seguridad": [0, 1, 2, 3]}, ["seguridad"], np.array([0.5, 0.5]), LINKING[1])
    assert profile["fraction"][0, 0] == 1.0
    assert profile["fraction"][1, 0] <= 0.25


def test_seeded_prior_starts_every_seed_term_and_keeps_empty_themes_aligned():
    eta = np.full((4, 6), 0.01)
    eta[0, [0, 1, 2]] = [9.0, 0.5, 0.2]  # three seed terms of very different frequency
    eta[1, [0, 1, 2]] = 0.001          # a theme without seed terms in the vocabulary
    eta[2, 3] = 1.0
    assert [ids.tolist() for ids in theme_seed_ids(eta)] == [[0, 1, 2], [], [3]]


def test_seeded_link_below_the_lift_fails_and_loses_weight(caplog):
    phi = np.array([[0.02, 0.98], [0.02, 0.98], [0.02, 0.98]])
    links = seeded_links(phi, {"a": [0], "b": [1]}, np.ones(3), *LINKING)
    row = links[links["theme"] == "a"].iloc[0]
    assert not row["passed"] and row["weight"] < 1
    assert "unreliable" in caplog.text
    import pandas as pd
    words = pd.DataFrame({"theme": ["a", "b"], "seed_word": ["x", "y"], "in_vocabulary": [True, True]})
    table = link_diagnostics(links, ["a", "b"], {"a": [0], "b": [1]}, words)
    assert not table.loc[table["theme"] == "a", "reliable"].any()
