"""Measures of the model grid: grid-wide coherence equals gensim's per-model numbers."""

import numpy as np
import pytest
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel

from scripts.model.settings import LdaSettings, lda_options
from scripts.settings import section
from scripts.model.scores import coherence_per_topic, heldout_perplexity, score_grid, top_terms, topic_diversity
from scripts.model.fit import fit_lda

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


def test_window_counts_do_not_depend_on_the_number_of_processes(grid):
    models, dictionary, texts, _, _ = grid
    topics = [t for m in models.values() for t in top_terms(m.get_topics(), dictionary, 10)]
    one = coherence_per_topic(topics, texts, dictionary, "c_v", threads=1)
    two = coherence_per_topic(topics, texts, dictionary, "c_v", threads=2)
    assert one.tobytes() == two.tobytes()


def test_heldout_perplexity_is_repeatable_and_nan_without_heldout(grid):
    models, _, _, _, heldout = grid
    model = models[(3, 1)]
    first, second = heldout_perplexity(model, heldout, seed=3), heldout_perplexity(model, heldout, seed=3)
    assert first == second and 1 < first < 1e6
    assert np.isnan(heldout_perplexity(model, [], seed=3))


def test_score_grid_has_one_row_per_model_and_one_per_topic(grid):
    models, dictionary, texts, train, heldout = grid
    per_model, per_topic = score_grid(models, dictionary, texts, train, heldout, top_n=10)
    assert list(per_model.columns) == ["k", "seed", "npmi", "c_v", "umass", "perplexity", "diversity"]
    assert sorted(zip(per_model["k"], per_model["seed"])) == sorted(models)
    assert len(per_topic) == 2 * 3 + 2 * 5
    assert per_model[["npmi", "c_v", "umass", "perplexity", "diversity"]].notna().all().all()
    assert ((per_model["npmi"] >= -1) & (per_model["npmi"] <= 1)).all()
    mean_npmi = per_topic.groupby(["k", "seed"])["npmi"].mean().round(10).to_numpy()
    assert np.allclose(mean_npmi, per_model["npmi"].to_numpy(), rtol=0, atol=1e-9)
