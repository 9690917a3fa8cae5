"""Sliding-window counts (scripts.model.cooccurrence) against gensim's own accumulator and CoherenceModel."""

import numpy as np
import pytest
from gensim.corpora import Dictionary, MmCorpus
from gensim.models import CoherenceModel
from gensim.topic_coherence.text_analysis import CorpusAccumulator, WordOccurrenceAccumulator

from scripts.demo.generate import generate_articles
from scripts.model import cooccurrence
from scripts.model.cooccurrence import (
    coherence_accumulator, coherence_accumulators, document_accumulator, window_counts,
)


@pytest.fixture(scope="module")
def texts():
    """Generated articles, plus texts that exercise the edges (empty, shorter than and as long as a window)."""
    articles, _ = generate_articles(n_articles=80, n_months=6, seed=11)
    texts = [text.lower().split() for text in articles["text"]]
    return [*texts, [], ["gol"], ["gol", "gol", "estadio", "gol"] * 3, texts[0][:10]]


def gensim_counts(texts, dictionary, relevant_ids, window):
    accumulator = WordOccurrenceAccumulator(relevant_ids, dictionary).accumulate(texts, window)
    order = [accumulator.id2contiguous[i] for i in sorted(relevant_ids)]
    dense = accumulator._co_occurrences.toarray()
    return accumulator._occurrences[order], dense[np.ix_(order, order)], accumulator.num_docs


@pytest.mark.parametrize("window", [2, 10, 110])
def test_counts_are_gensims_window_counts(texts, window):
    dictionary = Dictionary(texts)
    rng = np.random.default_rng(window)
    relevant_ids = set(rng.choice(len(dictionary), size=60, replace=False).tolist()) | {dictionary.token2id["gol"]}
    accumulator = coherence_accumulator(texts, relevant_ids, dictionary, window)
    order = [accumulator.id2contiguous[i] for i in sorted(relevant_ids)]
    expected = gensim_counts(texts, dictionary, relevant_ids, window)
    assert accumulator._occurrences[order].tolist() == expected[0].tolist()
    assert np.array_equal(np.asarray(accumulator._co_occurrences)[np.ix_(order, order)], expected[1])
    assert accumulator.num_docs == expected[2]


def test_a_word_leaving_the_window_is_unflagged_as_gensim_does():
    # windows of 2 over [a, -, b, a]: {a}, {b} (a left), {a, b}: a counts 2, b 2, together 1
    occurrences, co_occurrences, n_windows = window_counts([[0, -1, 1, 0]], 2, window=2)
    assert occurrences.tolist() == [2, 2] and co_occurrences[0, 1] == 1 and n_windows == 3
    # [a, a, -] with window 2: gensim unflags a when the first a leaves, although the second is in
    occurrences, _, _ = window_counts([[0, 0, -1]], 1, window=2)
    assert occurrences.tolist() == [1]


@pytest.mark.parametrize("measure", ["c_npmi", "c_v"])
def test_coherence_from_these_counts_is_coherence_models(texts, measure):
    dictionary = Dictionary(texts)
    dictionary.filter_extremes(no_below=2, no_above=0.9)
    tokens = sorted(dictionary.token2id)
    rng = np.random.default_rng(1)
    topics = [list(rng.choice(tokens, size=8, replace=False)) for _ in range(6)]
    expected = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence=measure,
                              processes=1).get_coherence_per_topic()
    model = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence=measure, processes=1)
    relevant_ids = {dictionary.token2id[t] for topic in topics for t in topic}
    model._accumulator = coherence_accumulator(texts, relevant_ids, dictionary, model.window_size)
    assert np.allclose(model.get_coherence_per_topic(), expected, rtol=0, atol=1e-12)


def test_counts_do_not_depend_on_the_block_size(texts, monkeypatch):
    dictionary = Dictionary(texts)
    relevant_ids = set(range(0, len(dictionary), 3))
    whole = coherence_accumulators(texts, relevant_ids, dictionary, [10, 110])
    monkeypatch.setattr(cooccurrence, "PAIRS_PER_BLOCK", 7)
    blocks = coherence_accumulators(texts, relevant_ids, dictionary, [10, 110])
    for window in (10, 110):
        assert np.array_equal(whole[window]._co_occurrences, blocks[window]._co_occurrences)
        assert np.array_equal(whole[window]._occurrences, blocks[window]._occurrences)


def test_document_counts_are_gensims_corpus_accumulator(texts):
    dictionary = Dictionary(texts)
    corpus = [dictionary.doc2bow(text) for text in texts]
    relevant_ids = set(range(0, len(dictionary), 2))
    expected = CorpusAccumulator(relevant_ids).accumulate(corpus)
    accumulator = document_accumulator(corpus, relevant_ids, dictionary)
    ids = sorted(relevant_ids)[:40]
    assert accumulator.num_docs == expected.num_docs == len(texts)
    assert [accumulator[i] for i in ids] == [expected[i] for i in ids]
    assert [accumulator[i, j] for i in ids for j in ids] == [expected[i, j] for i in ids for j in ids]


def test_document_counts_from_a_matrix_market_file_equal_those_from_its_documents(texts, tmp_path):
    dictionary = Dictionary(texts)
    corpus = [dictionary.doc2bow(text) for text in texts]
    MmCorpus.serialize(str(tmp_path / "train.mm"), corpus)
    relevant_ids = set(range(0, len(dictionary), 2))
    from_file = document_accumulator(MmCorpus(str(tmp_path / "train.mm")), relevant_ids, dictionary)
    from_list = document_accumulator(corpus, relevant_ids, dictionary)
    assert from_file.num_docs == from_list.num_docs == len(texts)
    assert np.array_equal(from_file._co_occurrences, from_list._co_occurrences)
