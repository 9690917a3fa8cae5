"""Seeded prior: theme i owns topic i, the prior bites from the first pass, K too small is a config error."""

import numpy as np
import pytest
from gensim.corpora import Dictionary

from scripts.model.settings import LdaSettings, lda_options
from scripts.settings import section
from scripts.model.fit import fit_lda, fit_seeded_lda
from scripts.model.seeded import seeded_eta, seeded_start, theme_seed_ids
from scripts.logs import UserInputError


def _corpus(seed=0):
    rng = np.random.default_rng(seed)
    lexicons = {
        "deportes": ["gol", "estadio", "torneo", "equipo", "afición", "liga"],
        "fentanilo": ["fentanilo", "opioide", "sobredosis", "laboratorio", "decomiso", "químico"],
        "cultura": ["museo", "concierto", "libro", "teatro", "pintura", "festival"],
    }
    docs = []
    for _ in range(300):
        mix = rng.dirichlet([0.3, 0.3, 0.3])
        words = rng.choice(list(lexicons), size=40, p=mix)
        docs.append([str(rng.choice(lexicons[name])) for name in words])
    return docs


def test_prior_scales_with_counts_and_damps_other_themes():
    dictionary = Dictionary([["fentanilo"] * 30 + ["gol"] * 10 + ["museo"]])
    eta = seeded_eta(dictionary, 4, {"f": ["fentanilo"], "d": ["gol", "ausente"]}, base=0.01, boost=0.1)
    fent, gol, museo = (dictionary.token2id[w] for w in ("fentanilo", "gol", "museo"))
    assert eta.shape == (4, 3)
    assert np.isclose(eta[0, fent], 3.0) and np.isclose(eta[1, gol], 1.0)
    assert np.isclose(eta[1, fent], 0.001) and np.isclose(eta[0, gol], 0.001)
    assert np.allclose(eta[2:], 0.01) and np.isclose(eta[0, museo], 0.01)
    assert [ids.tolist() for ids in theme_seed_ids(eta)] == [[fent], [gol]]


def test_fewer_topics_than_themes_is_a_config_error_naming_model_k():
    dictionary = Dictionary([["a", "b"]])
    with pytest.raises(UserInputError, match="model.k"):
        seeded_eta(dictionary, 1, {"x": ["a"], "y": ["b"]}, 0.01, 0.1)


def test_start_keeps_only_words_over_represented_in_the_theme_documents():
    bows = [[(0, 2), (1, 2), (3, 4)], [(2, 2), (3, 4)], [(2, 3), (3, 4)]]
    start = seeded_start(bows, [np.array([0])], np.ones((2, 4)))
    assert start[0, 1] > 1 and np.isclose(start[0, 2], 1.0) and np.isclose(start[0, 3], 1.0)
    assert np.allclose(start[1], 1.0)


def test_each_theme_owns_its_topic_whatever_the_random_seed():
    docs = _corpus()
    dictionary = Dictionary(docs)
    bows = [dictionary.doc2bow(doc) for doc in docs]
    themes = {"fentanilo": ["fentanilo", "opioide"], "deportes": ["gol", "torneo"]}
    eta = seeded_eta(dictionary, 4, themes, base=0.01, boost=0.1)
    for seed in (1, 2, 3):
        model = fit_seeded_lda(bows, dictionary, 4, seed, LdaSettings(**{**lda_options(section("model")), "passes": 5}), eta)
        top = [{word for word, _ in model.show_topic(topic, 6)} for topic in range(2)]
        assert {"laboratorio", "decomiso", "químico"} <= top[0]
        assert {"estadio", "equipo", "liga"} <= top[1]
    plain = fit_lda(bows, dictionary, 4, 1, LdaSettings(**{**lda_options(section("model")), "passes": 5}), eta=eta)
    assert plain.num_topics == 4
