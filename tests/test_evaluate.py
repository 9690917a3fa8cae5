"""Measures of the model grid: grid-wide coherence equals gensim's per-model numbers."""

import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel

from scripts.model.settings import LdaSettings, lda_options
from scripts.settings import section
from scripts.model.scores import (
    completion_log_likelihood, completion_perplexity, coherence_per_topic, coherences_per_topic, heldout_perplexity,
    infer_theta, score_grid, split_document, split_heldout, top_terms, topic_diversity,
)
from scripts.model.fit import fit_lda

# gensim's own LdaModel defaults with 5 passes
GENSIM_PLAIN = LdaSettings(passes=5, iterations=50, inference_iterations=50, alpha="symmetric", eta="symmetric",
                           chunksize=2000, update_every=1, warm_start=False, engine="gensim", gibbs_iterations=1,
                           early_stop=None)
SETTINGS = LdaSettings(**{**lda_options(section("model")), "passes": 5, "iterations": 50, "eta": "symmetric"})


@pytest.fixture(scope="module")
def grid(small_articles):
    """Four small models (K in {3, 5} x 2 seeds) on the generated corpus, tokenised crudely."""
    articles, _ = small_articles
    texts = [[w for w in text.lower().split() if len(w) > 3 and w.isalpha()] for text in articles["text"][:240]]
    dictionary = Dictionary(texts)
    dictionary.filter_extremes(no_below=3, no_above=0.5)
    texts = [[w for w in text if w in dictionary.token2id] for text in texts]
    bows = [dictionary.doc2bow(text) for text in texts]
    models = {(k, seed): fit_lda(bows[:200], dictionary, k, seed, SETTINGS) for k in (3, 5) for seed in (1, 2)}
    return models, dictionary, texts[:200], bows[:200], bows[200:]


def test_topic_diversity_counts_shared_words():
    assert topic_diversity([["a", "b", "c"], ["d", "e", "f"]]) == 1.0
    assert topic_diversity([["a", "b"], ["a", "b"]]) == 0.5
    assert np.isnan(topic_diversity([]))


@pytest.mark.parametrize("measure", ["c_npmi", "c_v", "u_mass"])
def test_grid_coherence_equals_one_coherence_model_per_model(grid, measure):
    models, dictionary, texts, train, _ = grid
    per_model_topics = [top_terms(m.get_topics(), dictionary, 10) for m in models.values()]
    together = coherence_per_topic([t for topics in per_model_topics for t in topics], texts, dictionary,
                                   measure, corpus=train)
    alone = []
    for topics in per_model_topics:
        model = CoherenceModel(topics=topics, texts=texts, corpus=train if measure == "u_mass" else None,
                               dictionary=dictionary, coherence=measure, topn=10, processes=1)
        alone.extend(model.get_coherence_per_topic())
    assert np.allclose(together, alone, rtol=0, atol=1e-12)


def test_heldout_perplexity_is_repeatable_and_nan_without_heldout(grid):
    models, _, _, _, heldout = grid
    model = models[(3, 1)]
    first, second = heldout_perplexity(model, heldout, seed=3), heldout_perplexity(model, heldout, seed=3)
    assert first == second and 1 < first < 1e6
    assert np.isnan(heldout_perplexity(model, [], seed=3))


def test_score_grid_has_one_row_per_model_and_one_per_topic(grid):
    models, dictionary, texts, train, heldout = grid
    per_model, per_topic = score_grid(models, dictionary, texts, train, heldout, top_n=10)
    assert list(per_model.columns) == ["k", "seed", "npmi", "c_v", "umass", "perplexity", "diversity", "exclusivity"]
    assert ((per_model["exclusivity"] > 0) & (per_model["exclusivity"] <= 1)).all()
    assert "exclusivity" in per_topic.columns
    assert sorted(zip(per_model["k"], per_model["seed"])) == sorted(models)
    assert len(per_topic) == 2 * 3 + 2 * 5
    assert per_model[["npmi", "c_v", "umass", "perplexity", "diversity"]].notna().all().all()
    assert ((per_model["npmi"] >= -1) & (per_model["npmi"] <= 1)).all()
    mean_npmi = per_topic.groupby(["k", "seed"])["npmi"].mean().round(10).to_numpy()
    assert np.allclose(mean_npmi, per_model["npmi"].to_numpy(), rtol=0, atol=1e-9)


def test_completion_log_likelihood_equals_a_brute_force_sum_over_tokens():
    rng = np.random.default_rng(5)
    theta = rng.dirichlet(np.ones(3), size=4)
    phi = rng.dirichlet(np.ones(7), size=3)
    bows = [[(0, 2), (3, 1)], [(6, 4)], [], [(1, 1), (2, 1), (5, 3)]]
    brute, n = 0.0, 0
    for d, bow in enumerate(bows):
        for word, count in bow:
            for _ in range(count):  # one term per token
                brute += np.log(sum(theta[d, k] * phi[k, word] for k in range(3)))
                n += 1
    log_likelihood, n_tokens = completion_log_likelihood(theta, phi, bows)
    assert n_tokens == n == 12 and np.isclose(log_likelihood, brute, rtol=1e-12)


def test_split_document_keeps_every_token_once():
    observed, evaluated = split_document([(0, 3), (4, 2), (9, 1)], np.random.default_rng(1))
    merged = {}
    for word, count in observed + evaluated:
        merged[word] = merged.get(word, 0) + count
    assert merged == {0: 3, 4: 2, 9: 1}
    assert sum(c for _, c in observed) == 3
    assert split_document([(2, 1)], np.random.default_rng(1)) == ([], [])


def test_heldout_perplexity_is_document_completion_by_brute_force(grid):
    models, _, _, _, heldout = grid
    model = models[(5, 2)]
    rng = np.random.default_rng(0)
    halves = [split_document(bow, rng) for bow in heldout]
    halves = [h for h in halves if h[0] and h[1]]
    theta = infer_theta(model, [o for o, _ in halves], seed=2)
    phi = model.get_topics()
    log_likelihood, n_tokens = 0.0, 0
    for d, (_, evaluated) in enumerate(halves):
        for word, count in evaluated:
            log_likelihood += count * np.log(np.dot(theta[d], phi[:, word]))
            n_tokens += count
    assert np.isclose(heldout_perplexity(model, heldout, seed=2), np.exp(-log_likelihood / n_tokens), rtol=1e-10)
    # bounded by the vocabulary: a uniform model would score len(vocabulary)
    assert 1 < heldout_perplexity(model, heldout, seed=2) < phi.shape[1]


def test_heldout_perplexity_does_not_include_the_eta_prior(grid):
    """A seeded model's huge eta changes gensim's bound, not the completion perplexity of the same topics."""
    models, _, _, _, heldout = grid
    model = models[(3, 1)]
    before = heldout_perplexity(model, heldout, seed=1)
    model_eta = model.eta
    try:
        model.eta = np.full_like(np.broadcast_to(model_eta, model.get_topics().shape), 50.0)
        assert heldout_perplexity(model, heldout, seed=1) == before
    finally:
        model.eta = model_eta


def test_seeded_and_plain_models_are_scored_on_the_same_footing():
    """gensim's bound without total_docs adds the whole K x V eta of a seeded model (perplexity below 1 here);
    document completion gives both models a perplexity between 1 and the vocabulary size, close to each other."""
    from scripts.model.fit import fit_seeded_lda
    from scripts.model.seeded import seeded_eta
    from test_seeded import _corpus

    docs = _corpus()
    dictionary = Dictionary(docs)
    bows = [dictionary.doc2bow(doc) for doc in docs]
    train, heldout = bows[:270], bows[270:]
    eta = seeded_eta(dictionary, 4, {"fentanilo": ["fentanilo", "opioide"], "deportes": ["gol", "torneo"]},
                     base=0.01, boost=1.0)
    seeded = fit_seeded_lda(train, dictionary, 4, 1, GENSIM_PLAIN, eta)
    plain = fit_lda(train, dictionary, 4, 1, GENSIM_PLAIN)
    seeded.random_state = np.random.RandomState(1)
    assert np.exp2(-seeded.log_perplexity(heldout)) < 1  # the former measure: impossible for a perplexity
    values = [heldout_perplexity(model, heldout, seed=1) for model in (seeded, plain)]
    assert all(1 < value < len(dictionary) for value in values)
    assert max(values) / min(values) < 1.5


def test_measures_scored_together_equal_measures_scored_alone(grid):
    models, dictionary, texts, train, _ = grid
    topics = [t for m in models.values() for t in top_terms(m.get_topics(), dictionary, 10)]
    together = coherences_per_topic(topics, texts, dictionary, ["c_npmi", "c_v", "u_mass"], corpus=train)
    for measure, values in together.items():
        assert np.array_equal(values, coherence_per_topic(topics, texts, dictionary, measure, corpus=train))


def test_perplexity_on_a_shared_split_is_heldout_perplexity(grid):
    models, _, _, _, heldout = grid
    halves = split_heldout(heldout)
    for (k, seed), model in models.items():
        assert completion_perplexity(model, halves, seed) == heldout_perplexity(model, heldout, seed)


def test_grid_scores_do_not_depend_on_threads(grid):
    models, dictionary, texts, train, heldout = grid
    one, _ = score_grid(models, dictionary, texts, train, heldout, top_n=10, threads=1)
    two, _ = score_grid(models, dictionary, texts, train, heldout, top_n=10, threads=2)
    pd.testing.assert_frame_equal(one, two)
