"""Fit stage: deterministic models and their tables (byte-identical runs on 1 and 2 cores: test_reproducibility)."""

import numpy as np
import pytest

from conftest import planted_vocabulary_corpus
from scripts.model.settings import LdaSettings, lda_options
from scripts.settings import section
from scripts.model.fit import doc_topic_frame, document_topics, fit_lda, heldout_measure, topic_term_table
from scripts.model.scores import heldout_perplexity
from scripts.model.seeded import seeded_eta

SETTINGS = LdaSettings(**{**lda_options(section("model")), "passes": 20, "iterations": 50, "eta": "symmetric"})


@pytest.fixture(scope="module")
def corpus():
    return planted_vocabulary_corpus()


def test_same_seed_gives_identical_topics_and_another_seed_does_not(corpus):
    dictionary, bows = corpus
    first = fit_lda(bows, dictionary, 3, 1, SETTINGS).get_topics()
    again = fit_lda(bows, dictionary, 3, 1, SETTINGS).get_topics()
    other = fit_lda(bows, dictionary, 3, 2, SETTINGS).get_topics()
    assert first.tobytes() == again.tobytes()
    assert not np.array_equal(first, other)


def test_topic_term_table_ranks_terms_by_weight(corpus):
    dictionary, bows = corpus
    table = topic_term_table(fit_lda(bows, dictionary, 3, 1, SETTINGS), top_n=5)
    assert list(table.columns) == ["topic", "rank", "term", "weight"]
    assert len(table) == 15
    for _, rows in table.groupby("topic"):
        assert rows["rank"].tolist() == [1, 2, 3, 4, 5]
        assert rows["weight"].is_monotonic_decreasing
        assert len({term[0] for term in rows["term"]}) == 1  # each topic is one planted vocabulary


def test_document_topics_are_repeatable_distributions(corpus):
    dictionary, bows = corpus
    model = fit_lda(bows, dictionary, 3, 1, SETTINGS)
    documents = [*bows[:90], []]  # an empty document gets the prior
    doc_topic = document_topics(model, documents, seed=1, chunk=7)
    assert doc_topic.shape == (91, 3)
    assert np.allclose(doc_topic.sum(axis=1), 1.0)
    assert doc_topic.tobytes() == document_topics(model, documents, seed=1, chunk=7).tobytes()
    assert np.allclose(doc_topic[-1], model.alpha / model.alpha.sum())
    frame = doc_topic_frame([f"d{i}" for i in range(91)], ["train"] * 91, doc_topic)
    assert list(frame.columns) == ["doc_id", "split", "topic_0", "topic_1", "topic_2"]


def test_a_given_prior_replaces_the_configured_eta(corpus):
    dictionary, bows = corpus
    eta = seeded_eta(dictionary, 3, {"b": ["b1", "b2", "b3"]}, base=0.01, boost=1.0)
    model = fit_lda(bows, dictionary, 3, 5, SETTINGS, eta=eta)
    assert np.array_equal(model.eta, eta)
    assert not np.array_equal(fit_lda(bows, dictionary, 3, 5, SETTINGS).eta, eta)


# --cores 1 against --cores 2, every table byte for byte: tests/test_reproducibility.py (the shared
# run on two cores against the crash-safety run started on one).


def test_early_stop_ends_the_fit_where_a_shorter_fit_would_end(corpus):
    """A fit stopped after p passes is the p-pass fit, byte for byte (the held-out measure draws
    nothing from the model's random stream); without held-out documents every pass runs."""
    dictionary, bows = corpus
    train, heldout = bows[:120], bows[120:]
    eager = LdaSettings(**{**lda_options(section("model")), "passes": 20, "early_stop": 0.5})
    stopped = fit_lda(train, dictionary, 3, 1, eager, heldout=heldout)
    assert stopped.passes_done == 2 and len(stopped.perplexity_by_pass) == 2
    assert stopped.perplexity_by_pass[1] > 0.5 * stopped.perplexity_by_pass[0]
    two_passes = fit_lda(train, dictionary, 3, 1, LdaSettings(**{**lda_options(section("model")), "passes": 2}))
    assert stopped.get_topics().tobytes() == two_passes.get_topics().tobytes()
    assert stopped.train_gamma.tobytes() == two_passes.train_gamma.tobytes()
    patient = fit_lda(train, dictionary, 3, 1, LdaSettings(**{**lda_options(section("model")), "passes": 6,
                                                               "early_stop": 1e-9}), heldout=heldout)
    perplexity = patient.perplexity_by_pass
    assert len(perplexity) == min(patient.passes_done, 5)  # not measured after the last pass
    drops = [(before - after) / before for before, after in zip(perplexity, perplexity[1:])]
    assert all(drop >= 1e-9 for drop in drops[:-1])
    assert patient.passes_done == 6 or drops[-1] < 1e-9
    assert fit_lda(train, dictionary, 3, 1, eager).passes_done == 20


def test_early_stop_measures_with_the_inference_limit_and_restores_the_training_one(corpus):
    """The held-out perplexity of ``model.early_stop`` is the one ``score_models`` gives the saved
    model (inferred with ``inference_iterations``), not one of the capped training E-step."""
    dictionary, bows = corpus
    train, heldout = bows[:120], bows[120:]
    settings = LdaSettings(**{**lda_options(section("model")), "passes": 3, "iterations": 2,
                              "inference_iterations": 100, "early_stop": 1e-12})
    model = fit_lda(train, dictionary, 3, 1, settings, heldout=heldout)
    assert model.iterations == 2  # the training limit is back after every measure
    measure = heldout_measure(heldout, 100)
    with_training_limit = heldout_perplexity(model, heldout)  # what the measure would be without the fix
    assert heldout_measure(heldout, 2)(model) == with_training_limit
    assert measure(model) != with_training_limit
    assert model.iterations == 2
    model.iterations = 100  # as saved: score_models scores it so
    assert measure(model) == heldout_perplexity(model, heldout)
