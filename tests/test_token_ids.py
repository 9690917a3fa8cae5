"""The integer-array passes equal the string functions they replace (runtime: about 3 s).

Every function of :mod:`scripts.preprocess.token_ids` is checked against the string reference
of :mod:`scripts.preprocess.phrases`, :mod:`scripts.preprocess.surface` and
:mod:`scripts.preprocess.names` (which are themselves checked against gensim in test_phrases.py)
on random streams with breaks, connector words, chains of phrases and empty documents.
"""

import random
from collections import Counter

import numpy as np
from gensim.utils import prune_vocab
from hypothesis import given, settings, strategies as st

from scripts.preprocess import token_ids
from scripts.preprocess.names import CaseEvidence
from scripts.preprocess.phrases import PhraseJoiner, count_phrase_vocab, final_tokens, freeze_phrases, merge_vocab
from scripts.preprocess.surface import count_phrase_surfaces

CONNECTORS = frozenset({"de", "del"})
WORDS = ["guardia", "nacional", "crimen", "organizado", "de", "del", "salud", "secretaría", "tema", "", "", "a_b"]
PHRASE_SETTINGS = {"min_count": 3, "threshold": -0.5, "scoring": "npmi"}


def random_streams(rng: random.Random, n: int) -> list[str]:
    """Space-joined streams (breaks as empty tokens), some empty."""
    return [" ".join(rng.choice(WORDS) for _ in range(rng.choice([0, 1, 5, 30]))) for _ in range(n)]


def as_arrays(streams: list[str], table: token_ids.TermTable) -> tuple[np.ndarray, np.ndarray]:
    """The streams as one array of term ids (one per token of ``stream.split(" ")``) and offsets."""
    token_lists = [stream.split(" ") if stream else [] for stream in streams]
    offsets = np.concatenate([[0], np.cumsum([len(tokens) for tokens in token_lists])]).astype(np.int64)
    stream = np.array([table.index[t] for tokens in token_lists for t in tokens], dtype=np.int64)
    return stream, offsets


def as_strings(table: token_ids.TermTable, stream: np.ndarray, offsets: np.ndarray) -> list[str]:
    return [" ".join(table.strings[t] for t in stream[a:b]) for a, b in zip(offsets[:-1], offsets[1:])]


def string_vocab(table: token_ids.TermTable, summed: tuple) -> dict[str, int]:
    """The summed counts as the string functions key them."""
    unigrams, keys, totals, _, _, n_terms, n_sequences = summed
    vocab = {table.strings[t]: int(n) for t, n in enumerate(unigrams.tolist()) if n}
    pair, sequence = np.divmod(keys, n_sequences)
    first, last = np.divmod(pair, n_terms)
    for a, b, s, n in zip(first.tolist(), last.tolist(), sequence.tolist(), totals.tolist()):
        vocab[table.phrase_string(a, b, s)] = n
    return vocab


def batches(streams: list[str], size: int) -> list[list[str]]:
    return [streams[i:i + size] for i in range(0, len(streams), size)]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 40))
def test_candidate_counts_equal_the_string_counts(seed, batch_size):
    streams = random_streams(random.Random(seed), 60)
    table = token_ids.TermTable(WORDS, CONNECTORS)
    parts = [token_ids.count_candidates(table, *as_arrays(batch, table)) for batch in batches(streams, batch_size)]
    summed = token_ids.sum_candidates(parts, table, max_vocab=10**9)
    vocab, n_words = count_phrase_vocab(streams, CONNECTORS)
    assert string_vocab(table, summed) == vocab
    assert summed[3] == n_words and summed[4] == len(vocab)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 60))
def test_pruned_sums_equal_gensims_pruning(seed, max_vocab):
    streams = random_streams(random.Random(seed), 80)
    table = token_ids.TermTable(WORDS, CONNECTORS)
    parts = [token_ids.count_candidates(table, *as_arrays(batch, table)) for batch in batches(streams, 10)]
    summed = token_ids.sum_candidates(parts, table, max_vocab=max_vocab)
    vocab, min_reduce = {}, 1  # pipeline's former _summed_vocab
    for batch in batches(streams, 10):
        merge_vocab(vocab, count_phrase_vocab(batch, CONNECTORS)[0])
        if len(vocab) > max_vocab:
            prune_vocab(vocab, min_reduce)
            min_reduce += 1
    assert string_vocab(table, summed) == vocab


def learned_model(streams: list[str], table: token_ids.TermTable, levels: int = 1):
    """Phrase models learned from the arrays, and the streams joined by them (arrays and strings)."""
    stream, offsets = as_arrays(streams, table)
    spans = np.repeat(np.arange(len(stream))[:, None], 2, axis=1)
    models, joined_strings = [], list(streams)
    for _ in range(levels):
        summed = token_ids.sum_candidates([token_ids.count_candidates(table, stream, offsets)], table, 10**9)
        phrasegrams, counts, model = token_ids.learn_phrases(summed, table, PHRASE_SETTINGS)
        vocab, n_words = count_phrase_vocab(joined_strings, CONNECTORS)
        assert phrasegrams == freeze_phrases(vocab, n_words, PHRASE_SETTINGS)
        assert counts == {phrase: vocab[phrase] for phrase in phrasegrams}
        stream, offsets, spans = token_ids.join_phrases(table, stream, offsets, spans, model)
        joiner = PhraseJoiner(phrasegrams)
        joined_strings = [joiner.apply(s) for s in joined_strings]
        models.append(phrasegrams)
    return models, stream, offsets, spans, joined_strings


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 2))
def test_joined_streams_and_final_tokens_equal_the_string_joiner(seed, levels):
    streams = random_streams(random.Random(seed), 80)
    table = token_ids.TermTable(WORDS, CONNECTORS)
    models, stream, offsets, _, joined_strings = learned_model(streams, table, levels)
    assert models[0], "no phrase learned: the comparison would be trivial"
    assert as_strings(table, stream, offsets) == joined_strings
    positions, final_offsets = token_ids.final_positions(table, stream, offsets)
    final = stream[positions]
    expected = [final_tokens(s, CONNECTORS) for s in joined_strings]
    assert [[table.strings[t] for t in final[a:b]] for a, b in zip(final_offsets[:-1], final_offsets[1:])] == expected


def test_a_chain_of_phrases_joins_every_other_pair_as_gensim():
    table = token_ids.TermTable(["a", "b", "c", "d"], CONNECTORS)
    streams = ["a b c d"] * 5
    models, stream, offsets, _, joined = learned_model(streams, table)
    assert set(models[0]) == {"a b", "b c", "c d"}
    assert joined[0] == "a_b c_d" == as_strings(table, stream, offsets)[0]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_phrase_surfaces_equal_the_string_count(seed):
    rng = random.Random(seed)
    streams = random_streams(rng, 60)
    raw_lists = [[rng.choice(["x", "X", "y", "."]) + word for word in s.split(" ")] if s else [] for s in streams]
    raw_vocab, raw, raw_offsets = token_ids.encode_batch(raw_lists)
    table = token_ids.TermTable(WORDS, CONNECTORS)
    _, stream, _, spans, joined = learned_model(streams, table, levels=2)
    initial = token_ids.sentence_initial(raw, raw_offsets, token_ids.openers(raw_vocab))
    counts, mid = token_ids.phrase_surfaces(table, stream, spans, raw, raw_offsets, raw_vocab, initial)
    expected = count_phrase_surfaces(zip(streams, joined, (" ".join(tokens) for tokens in raw_lists)))
    assert (counts, mid) == expected


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["Hoy", "llegó", ".", "«", "Pérez", "de", "(", "¿"]), max_size=12), max_size=8))
def test_sentence_starts_equal_the_case_evidence(token_lists):
    vocab, codes, offsets = token_ids.encode_batch(token_lists)
    assert [vocab[c] for c in codes] == [t for tokens in token_lists for t in tokens]
    initial = token_ids.sentence_initial(codes, offsets, token_ids.openers(vocab))
    evidence = CaseEvidence.from_token_strings([" ".join(tokens) for tokens in token_lists])
    assert Counter(vocab[c] for c in codes[initial]) == evidence.initial
    assert Counter(vocab[c] for c in codes) == evidence.counts


def test_bag_of_words_and_matrix_market_lines():
    from scripts.preprocess.corpus_io import mm_lines

    ids, offsets = np.array([3, 0, 3, 1, 1]), np.array([0, 3, 3, 5])
    document, term, count = token_ids.bag_of_words(ids, offsets)
    bows = [[(t, c) for d, t, c in zip(document, term, count) if d == doc] for doc in range(3)]
    assert bows == [[(0, 1), (3, 2)], [], [(1, 2)]]
    assert token_ids.mm_text(document + 1, term + 1, count) == mm_lines(bows, first_docno=0)


def test_whitespace_in_a_form_is_refused():
    try:
        token_ids.TermTable(["dos palabras"], CONNECTORS)
    except ValueError as error:
        assert "whitespace" in str(error)
    else:
        raise AssertionError("a form with a space was accepted")
