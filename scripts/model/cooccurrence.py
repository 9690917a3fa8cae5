"""Sliding-window word counts for NPMI and c_v, as gensim counts them, without a loop per window.

gensim's ``WordOccurrenceAccumulator`` moves a window over every text one token at a time and,
for each of the ~1.7 million windows of a news corpus, updates a Python ``Counter`` with every
pair of top words in the window: that loop is most of ``score_models``. Here each text is cut
into the runs of windows during which the set of flagged words does not change; a run's words
co-occur in every one of its windows, so one small matrix product per text gives the text's
counts (:func:`window_counts`).

The counts are gensim's, including one quirk of its sliding update: when a token leaves the
window, its word is unflagged even if the word occurs again later in the window (it is flagged
again only when a new occurrence enters). A word ``v`` at position ``p`` is set at window
``max(0, p - w + 1)`` and cleared at window ``p + 1``; at one window a clear comes before a set;
the word's flag holds from each event to its next one. A text not longer than the window is one
window of its distinct words. :func:`coherence_accumulator` fills a gensim accumulator with the
counts, so gensim's own confirmation measures turn them into NPMI and c_v
(``tests/test_cooccurrence.py`` compares the result with ``CoherenceModel``).

Example
-------
>>> occurrences, co_occurrences, n_windows = window_counts([[0, -1, 1, 0]], 2, window=2)
>>> occurrences.astype(int).tolist(), int(co_occurrences[0, 1]), n_windows
([2, 2], 1, 3)
"""


import numpy as np
import scipy.sparse as sps
from gensim.topic_coherence.text_analysis import WordOccurrenceAccumulator


def _flag_intervals(ids: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Windows during which each relevant word of one text is flagged: ``(word, start, end)``, count."""
    n_windows = len(ids) - window + 1
    positions = np.flatnonzero(ids >= 0)
    words = ids[positions]
    set_time = np.maximum(0, positions - window + 1)
    clear_time = positions + 1
    has_clear = clear_time < n_windows
    event_word = np.concatenate([words, words[has_clear]])
    event_time = np.concatenate([set_time, clear_time[has_clear]])
    event_is_set = np.concatenate([np.ones(len(words), dtype=bool), np.zeros(int(has_clear.sum()), dtype=bool)])
    order = np.lexsort((event_is_set, event_time, event_word))
    event_word, event_time, event_is_set = event_word[order], event_time[order], event_is_set[order]
    next_time = np.full(len(event_time), n_windows)
    same_word = event_word[1:] == event_word[:-1]
    next_time[:-1][same_word] = event_time[1:][same_word]
    flagged = event_is_set & (next_time > event_time)
    return event_word[flagged], event_time[flagged], next_time[flagged], n_windows


def window_counts(texts, n_words: int, window: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Boolean sliding-window occurrence and co-occurrence counts of ``n_words`` words.

    Parameters
    ----------
    texts : iterable of numpy.ndarray
        Each text as contiguous word ids (``0 … n_words-1``), ``-1`` for any other token.
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
    occurrences = np.zeros(n_words)
    co_occurrences = np.zeros((n_words, n_words))
    total_windows = 0
    for ids in texts:
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) <= window:
            present = np.unique(ids[ids >= 0])
            occurrences[present] += 1
            co_occurrences[np.ix_(present, present)] += 1
            total_windows += 1
            continue
        word, start, end, n_windows = _flag_intervals(ids, window)
        total_windows += n_windows
        if not len(word):
            continue
        boundaries = np.unique(np.concatenate([start, end]))
        present, column = np.unique(word, return_inverse=True)
        steps = np.zeros((len(boundaries), len(present)))
        np.add.at(steps, (np.searchsorted(boundaries, start), column), 1.0)
        np.add.at(steps, (np.searchsorted(boundaries, end), column), -1.0)
        flags = np.cumsum(steps, axis=0)[:-1]  # (runs, words): 1 where flagged
        run_length = np.diff(boundaries).astype(float)
        occurrences[present] += run_length @ flags
        co_occurrences[np.ix_(present, present)] += flags.T @ (run_length[:, None] * flags)
    return occurrences, co_occurrences, total_windows


def coherence_accumulator(texts, relevant_ids, dictionary, window: int) -> WordOccurrenceAccumulator:
    """A gensim ``WordOccurrenceAccumulator`` holding :func:`window_counts` of ``texts``.

    Parameters
    ----------
    texts : list of list of str
        Tokenized documents.
    relevant_ids : set of int
        Dictionary ids of the words to count (every top word of the scored topics).
    dictionary : gensim.corpora.Dictionary
        Vocabulary.
    window : int
        Window size (10 for NPMI, 110 for c_v in gensim).

    Returns
    -------
    gensim.topic_coherence.text_analysis.WordOccurrenceAccumulator
        Ready for gensim's confirmation measures (as if ``accumulate`` had run).
    """
    accumulator = WordOccurrenceAccumulator(relevant_ids, dictionary)
    contiguous = {dictionary[word_id]: number for word_id, number in accumulator.id2contiguous.items()}
    encoded = (np.fromiter((contiguous.get(token, -1) for token in text), dtype=np.int64, count=len(text))
               for text in texts)
    occurrences, co_occurrences, n_windows = window_counts(encoded, len(contiguous), window)
    accumulator._occurrences = occurrences.astype(np.uint32)
    accumulator._co_occurrences = sps.csr_matrix(co_occurrences.astype(np.uint32))
    accumulator._num_docs = n_windows
    return accumulator
