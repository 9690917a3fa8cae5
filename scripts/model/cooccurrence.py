"""Sliding-window word counts for NPMI and c_v, as gensim counts them, without a loop per window.

gensim's ``WordOccurrenceAccumulator`` moves a window over every text one token at a time and,
for each of the ~1.7 million windows of a news corpus, updates a Python ``Counter`` with every
pair of top words in the window: that loop is most of ``score_models``. Here every text's
windows are described by the intervals during which each counted word is flagged
(:func:`flag_intervals`, all texts at once); two words co-occur in as many windows as their
intervals in the same text overlap, so the counts are sums of interval overlaps
(:func:`window_counts`), computed for the whole corpus with array operations and no loop per
text or window.

The counts are gensim's, including one quirk of its sliding update: when a token leaves the
window, its word is unflagged even if the word occurs again later in the window (it is flagged
again only when a new occurrence enters). A word ``v`` at position ``p`` is set at window
``max(0, p - w + 1)`` and cleared at window ``p + 1``; at one window a clear comes before a set;
the word's flag holds from each event to its next one. A text not longer than the window is one
window of its distinct words (the same rule gives it). :func:`coherence_accumulators` fills
gensim accumulators with the counts of every window size from one encoding of the texts, so
gensim's own confirmation measures turn them into NPMI and c_v (``tests/test_cooccurrence.py``
compares the result with ``CoherenceModel``). Counts are integers held exactly in float64, so
the order of the sums does not change them.

Example
-------
>>> occurrences, co_occurrences, n_windows = window_counts([[0, -1, 1, 0]], 2, window=2)
>>> occurrences.astype(int).tolist(), int(co_occurrences[0, 1]), n_windows
([2, 2], 1, 3)
"""


import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.io
import scipy.sparse as sps
from gensim.corpora import MmCorpus
from gensim.topic_coherence.text_analysis import WordOccurrenceAccumulator

PAIRS_PER_BLOCK = 4_000_000  # interval pairs compared at once (about 200 MB of temporaries)


def encode_texts(texts, words) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one array of word numbers (``-1`` for a token not in ``words``) and their lengths.

    Parameters
    ----------
    texts : iterable of sequence of str, or pyarrow.ListArray
        Tokenized documents (a list-of-strings Arrow array, as Parquet gives it, is encoded
        without making Python strings).
    words : sequence of str
        The counted words; word ``words[i]`` is number ``i``.

    Returns
    -------
    ids : numpy.ndarray
        Concatenated word numbers of every text.
    lengths : numpy.ndarray
        Tokens per text.

    Examples
    --------
    >>> ids, lengths = encode_texts([["a", "x"], [], ["b"]], ["a", "b"])
    >>> ids.tolist(), lengths.tolist()
    ([0, -1, 1], [2, 0, 1])
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if not isinstance(texts, pa.Array):
        texts = pa.array([list(text) for text in texts], type=pa.list_(pa.string()))
    lengths = texts.value_lengths().fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    tokens = texts.flatten()
    ids = pc.index_in(tokens, value_set=pa.array(list(words), type=tokens.type)).fill_null(-1)
    return ids.to_numpy(zero_copy_only=False).astype(np.int64), lengths


def flag_intervals(ids: np.ndarray, lengths: np.ndarray, window: int):
    """Windows during which each counted word of each text is flagged, for all texts at once.

    Parameters
    ----------
    ids : numpy.ndarray
        Concatenated word numbers of the texts (``-1``: not counted).
    lengths : numpy.ndarray
        Tokens per text.
    window : int
        Window size in tokens.

    Returns
    -------
    text, word, start, end : numpy.ndarray
        One row per flagged interval: the word is flagged in windows ``start … end - 1`` of the
        text (window numbers within the text). Sorted by text, word and start.
    n_windows : numpy.ndarray
        Windows per text (a text shorter than the window, even an empty one, is one window).
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    n_windows = np.maximum(lengths - window + 1, 1)
    text_starts = np.cumsum(lengths) - lengths
    token_text = np.repeat(np.arange(len(lengths)), lengths)
    counted = np.flatnonzero(ids >= 0)
    text, word = token_text[counted], ids[counted]
    position = counted - text_starts[text]
    set_time = np.maximum(0, position - window + 1)
    clear_time = position + 1
    has_clear = clear_time < n_windows[text]
    event_text = np.concatenate([text, text[has_clear]])
    event_word = np.concatenate([word, word[has_clear]])
    event_time = np.concatenate([set_time, clear_time[has_clear]])
    event_is_set = np.concatenate([np.ones(len(word), dtype=bool), np.zeros(int(has_clear.sum()), dtype=bool)])
    order = np.lexsort((event_is_set, event_time, event_word, event_text))
    event_text, event_word = event_text[order], event_word[order]
    event_time, event_is_set = event_time[order], event_is_set[order]
    next_time = n_windows[event_text]
    same = (event_word[1:] == event_word[:-1]) & (event_text[1:] == event_text[:-1])
    next_time[:-1][same] = event_time[1:][same]
    flagged = event_is_set & (next_time > event_time)
    return event_text[flagged], event_word[flagged], event_time[flagged], next_time[flagged], n_windows


def _overlap_counts(text, word, start, end, n_windows, n_words: int) -> np.ndarray:
    """``(n_words, n_words)`` windows shared by the intervals of two words (diagonal: each word's windows).

    The texts are laid end to end on one axis of windows, so intervals of different texts never
    overlap. Sorted by start, interval ``j`` overlaps exactly the later-starting intervals that
    start before it ends, by ``min(end_j, end_k) - start_k`` windows; the intervals of one word
    never overlap each other.
    """
    offset = np.cumsum(n_windows) - n_windows
    order = np.argsort(offset[text] + start, kind="stable")
    word = word[order]
    start, end = (offset[text] + start)[order], (offset[text] + end)[order]
    partners = np.searchsorted(start, end, side="left") - np.arange(1, len(start) + 1)
    counts = np.zeros(n_words * n_words)
    cumulative = np.cumsum(partners)
    total = int(cumulative[-1]) if len(cumulative) else 0
    cuts = np.searchsorted(cumulative, np.arange(PAIRS_PER_BLOCK, total, PAIRS_PER_BLOCK), side="right")
    bounds = np.unique([0, *cuts.tolist(), len(start)])
    for lower, upper in zip(bounds[:-1], bounds[1:]):
        repeats = partners[lower:upper]
        left = np.repeat(np.arange(lower, upper), repeats)
        right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
        overlap = np.minimum(end[left], end[right]) - start[right]
        counts += np.bincount(word[left] * n_words + word[right], weights=overlap, minlength=n_words * n_words)
    counts = counts.reshape(n_words, n_words)
    counts = counts + counts.T
    counts[np.diag_indices(n_words)] = np.bincount(word, weights=(end - start).astype(float), minlength=n_words)
    return counts


def window_counts(texts, n_words: int, window: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Boolean sliding-window occurrence and co-occurrence counts of ``n_words`` words.

    Parameters
    ----------
    texts : iterable of array_like, or tuple of (ids, lengths)
        Each text as contiguous word ids (``0 … n_words-1``), ``-1`` for any other token; or
        the texts already concatenated, as :func:`encode_texts` returns them.
    n_words : int
        Number of counted words.
    window : int
        Window size in tokens.

    Returns
    -------
    occurrences : numpy.ndarray
        ``(n_words,)`` windows containing each word.
    co_occurrences : numpy.ndarray
        ``(n_words, n_words)`` windows containing both words (diagonal: the occurrences).
    n_windows : int
        Windows in all (a text shorter than the window, even an empty one, is one window).
    """
    if isinstance(texts, tuple):
        ids, lengths = texts
    else:
        texts = [np.asarray(text, dtype=np.int64).ravel() for text in texts]
        lengths = np.array([len(text) for text in texts], dtype=np.int64)
        ids = np.concatenate(texts) if texts else np.array([], dtype=np.int64)
    text, word, start, end, n_windows = flag_intervals(np.asarray(ids, dtype=np.int64), lengths, window)
    co_occurrences = _overlap_counts(text, word, start, end, n_windows, n_words)
    return np.diagonal(co_occurrences).copy(), co_occurrences, int(n_windows.sum())


def coherence_accumulators(texts, relevant_ids, dictionary, windows) -> dict:
    """gensim ``WordOccurrenceAccumulator`` objects holding :func:`window_counts` of ``texts``, per window size.

    The texts are encoded once for all window sizes. The co-occurrence counts are kept as a
    dense ``uint32`` array rather than gensim's sparse matrix: the confirmation measures look
    counts up one pair at a time, and a dense lookup returns the same ``uint32`` value faster.

    Parameters
    ----------
    texts : iterable of sequence of str
        Tokenized documents.
    relevant_ids : set of int
        Dictionary ids of the words to count (every top word of the scored topics).
    dictionary : gensim.corpora.Dictionary
        Vocabulary.
    windows : iterable of int
        Window sizes (10 for NPMI, 110 for c_v in gensim).

    Returns
    -------
    dict
        Window size → accumulator, ready for gensim's confirmation measures (as if
        ``accumulate`` had run).
    """
    windows = list(windows)
    accumulators = {window: WordOccurrenceAccumulator(relevant_ids, dictionary) for window in windows}
    id2contiguous = accumulators[windows[0]].id2contiguous if windows else {}
    words = [None] * len(id2contiguous)
    for word_id, number in id2contiguous.items():
        words[number] = dictionary[word_id]
    encoded = encode_texts(texts, words)
    for window, accumulator in accumulators.items():
        occurrences, co_occurrences, n_windows = window_counts(encoded, len(words), window)
        accumulator._occurrences = occurrences.astype(np.uint32)
        accumulator._co_occurrences = co_occurrences.astype(np.uint32)
        accumulator._num_docs = n_windows
    return accumulators


def coherence_accumulator(texts, relevant_ids, dictionary, window: int) -> WordOccurrenceAccumulator:
    """One window size of :func:`coherence_accumulators`."""
    return coherence_accumulators(texts, relevant_ids, dictionary, [window])[window]


def document_accumulator(corpus, relevant_ids, dictionary) -> WordOccurrenceAccumulator:
    """Document counts (``u_mass``) of the ``relevant_ids`` words in a bag-of-words corpus, in one pass.

    gensim's ``CorpusAccumulator`` keeps a set of documents per word and intersects two sets
    for each pair it is asked about; here the counts of every pair come from one product of the
    documents × words presence matrix and are held like :func:`coherence_accumulators`' (the
    confirmation measure divides them by the same number of documents, so the values are
    gensim's).

    Parameters
    ----------
    corpus : iterable of list of (int, int)
        Bag-of-words documents.
    relevant_ids : set of int
        Dictionary ids of the words to count.
    dictionary : gensim.corpora.Dictionary
        Vocabulary.

    Returns
    -------
    gensim.topic_coherence.text_analysis.WordOccurrenceAccumulator
        ``accumulator[w]``: documents containing word id ``w``; ``accumulator[w1, w2]``: both;
        ``num_docs``: documents in all.
    """
    accumulator = WordOccurrenceAccumulator(relevant_ids, dictionary)
    columns = np.array(sorted(accumulator.id2contiguous, key=accumulator.id2contiguous.get), dtype=np.int64)
    presence = (_document_term_matrix(corpus, len(dictionary)) != 0).astype(np.float64)
    presence = presence[:, columns]
    co_occurrences = (presence.T @ presence).toarray()
    accumulator._occurrences = np.diagonal(co_occurrences).astype(np.uint32)
    accumulator._co_occurrences = co_occurrences.astype(np.uint32)
    accumulator._num_docs = presence.shape[0]
    return accumulator


def _document_term_matrix(corpus, n_terms: int) -> sps.csc_matrix:
    """Documents × terms matrix of a bag-of-words corpus, nonzero where a document has the term.

    A gensim ``MmCorpus`` is read with one call to :func:`scipy.io.mmread` instead of a Python
    loop over its lines.
    """
    if isinstance(corpus, MmCorpus):
        matrix = sps.csc_matrix(scipy.io.mmread(corpus.input))
    else:
        documents = list(corpus)
        rows = np.repeat(np.arange(len(documents)), [len(document) for document in documents])
        columns = np.fromiter((word_id for document in documents for word_id, _ in document), dtype=np.int64,
                              count=len(rows))
        matrix = sps.csc_matrix((np.ones(len(rows)), (rows, columns)),
                                shape=(len(documents), int(columns.max(initial=-1)) + 1))
    matrix.resize((matrix.shape[0], max(matrix.shape[1], n_terms)))
    return matrix
