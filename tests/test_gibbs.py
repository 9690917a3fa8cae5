"""The tomotopy engine (model.engine: tomotopy): deterministic Gibbs fits saved as gensim models."""

import numpy as np
import pytest
from gensim.models import LdaModel

from conftest import planted_vocabulary_corpus
from scripts.model.fit import document_topics
from scripts.model.gibbs import fit_tomotopy, gibbs_priors
from scripts.model.seeded import seeded_eta

pytest.importorskip("tomotopy")


@pytest.fixture(scope="module")
def corpus():
    """Three planted vocabularies, one per document, and an empty document."""
    dictionary, bows = planted_vocabulary_corpus()
    return dictionary, bows + [[]]


def fit(corpus, seed, **extra):
    dictionary, bows = corpus
    return fit_tomotopy(bows, dictionary, 3, seed, "auto", "auto", 100, **extra)


def test_same_seed_gives_identical_topics_and_another_seed_does_not(corpus):
    dictionary, bows = corpus
    mixed = (dictionary, [a + b for a, b in zip(bows[:-1], bows[1:])])  # two planted topics a document
    first, start = fit(mixed, 1)
    again, start_again = fit(mixed, 1)
    other, _ = fit(mixed, 2)
    assert first.get_topics().tobytes() == again.get_topics().tobytes()
    assert start.tobytes() == start_again.tobytes()
    assert not np.array_equal(first.get_topics(), other.get_topics())


def test_the_gensim_model_holds_the_sampled_counts_and_finds_the_planted_topics(corpus, tmp_path):
    dictionary, bows = corpus
    model, start = fit(corpus, 1)
    n_tokens = sum(count for bow in bows for _, count in bow)
    assert model.state.sstats.sum() == n_tokens  # one count per token
    assert np.allclose(model.state.get_lambda(), model.eta + model.state.sstats)
    top = [{dictionary[int(i)][0] for i in np.argsort(-row)[:10]} for row in model.get_topics()]
    assert sorted(len(letters) for letters in top) == [1, 1, 1]  # each topic one vocabulary
    assert {letters.pop() for letters in top} == {"a", "b", "c"}
    # the start of a document is alpha plus its 30 sampled tokens; the empty one gets alpha
    assert start.shape == (151, 3) and np.allclose(start.sum(axis=1)[:-1], model.alpha.sum() + 30)
    assert np.allclose(start[-1], model.alpha)
    # an ordinary gensim model downstream: saved, loaded, inferred
    model.save(str(tmp_path / "lda.gensim"))
    loaded = LdaModel.load(str(tmp_path / "lda.gensim"))
    assert loaded.get_topics().tobytes() == model.get_topics().tobytes()
    doc_topic = document_topics(loaded, bows, seed=1, start=start)
    assert np.allclose(doc_topic.sum(axis=1), 1.0)
    planted = np.argmax(doc_topic[:150], axis=1)
    assert all(len(set(planted[i::3])) == 1 for i in range(3))


def test_a_seeded_prior_pulls_its_words_into_its_topic(corpus):
    dictionary, _ = corpus
    eta = seeded_eta(dictionary, 3, {"b": ["b1", "b2", "b3"]}, base=0.01, boost=1.0)
    for seed in (1, 2, 3):
        model, _ = fit(corpus, seed, eta_matrix=eta)
        top = {dictionary[int(i)] for i in np.argsort(-model.get_topics()[0])[:10]}
        assert {"b1", "b2", "b3"} <= top


def test_config_priors_map_to_tomotopy_settings():
    assert gibbs_priors("auto", "auto", 20) == (0.1, 10, 0.01)
    assert gibbs_priors("symmetric", "symmetric", 4) == (0.25, 0, 0.01)
    assert gibbs_priors(0.3, 0.02, 4) == (0.3, 0, 0.02)


def test_the_fit_lda_rule_runs_the_tomotopy_engine(small_grid_run, tmp_path):
    """One fit of the shared run again with ``model.engine: tomotopy`` (Snakemake reruns it on the
    changed params): a guided (seeded) fit whose outputs the later stages read as before."""
    import pandas as pd

    from conftest import copy_run, run_workflow

    run_dir, config = small_grid_run
    copy = copy_run(run_dir, tmp_path / "run")
    config = {**config, "model": {**config["model"], "engine": "tomotopy", "gibbs_iterations": 50}}
    folder = "results/models/k6/seed1"
    targets = [f"{folder}/{name}" for name in ("lda.gensim", "topic_terms.csv", "doc_topics.parquet", "topic_sizes.csv")]
    run_workflow(copy, config, *targets, cores=1)
    assert "tomotopy: 50 Gibbs iterations" in (copy / "logs/fit_lda/k6_seed1.log").read_text(encoding="utf-8")
    model = LdaModel.load(str(copy / folder / "lda.gensim"))
    assert model.num_topics == 6 and np.allclose(model.get_topics().sum(axis=1), 1.0)
    gensim_terms = pd.read_csv(run_dir / folder / "topic_terms.csv")
    terms = pd.read_csv(copy / folder / "topic_terms.csv")
    assert list(terms.columns) == list(gensim_terms.columns) and len(terms) == len(gensim_terms)
    assert not terms.equals(gensim_terms)
    doc_topics = pd.read_parquet(copy / folder / "doc_topics.parquet")
    assert doc_topics[["doc_id", "split"]].equals(pd.read_parquet(run_dir / folder / "doc_topics.parquet")[["doc_id", "split"]])
    assert np.allclose(doc_topics.filter(like="topic_").sum(axis=1), 1.0, atol=1e-8)
