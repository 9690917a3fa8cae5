"""Token streams as integer arrays: the counting, phrase joining and bag-of-words of the preprocess stage in numpy.

A batch of documents is held as one ``int32`` array of token ids and the ``offsets`` where each
document starts (``offsets[d]:offsets[d + 1]``), so a pass over the corpus is a few array
operations instead of a Python step per running word. Three id spaces:

- *raw* ids: the raw tokens as written (per batch in :func:`encode_batch`, then corpus-wide);
- *term* ids: every normal form (``""``, a break, included), then every learned phrase, as
  strings in a :class:`TermTable`; a stream of term ids is the array twin of the space-joined
  streams of :mod:`scripts.preprocess.phrases` (one id per raw token, breaks kept);
- candidate *keys*: an adjacent pair of non-connector words with the connector words between
  them (gensim ``Phrases``' candidates, ``"a de b"``), one ``int64`` per pair
  (:meth:`TermTable.pair_keys`).

Every function here gives exactly the counts and joins of the string functions in
:mod:`scripts.preprocess.phrases` and :mod:`scripts.preprocess.surface` (tests compare them), as long
as no normal form contains whitespace (checked by :meth:`TermTable.__init__`).

Example
-------
>>> vocab, codes, offsets = encode_batch([["Crimen", "organizado", "."], ["crimen"]])
>>> vocab, codes.tolist(), offsets.tolist()
(['Crimen', 'organizado', '.', 'crimen'], [0, 1, 2, 3], [0, 3, 4])
"""


from collections import Counter
from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scripts.preprocess.names import SENTENCE_OPENERS
from scripts.preprocess.phrases import freeze_phrases

DELIMITER = " "  # in phrase keys, as gensim's ``delimiter``
JOINER = "_"


def encode_batch(token_lists: list[list[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Raw tokens of a batch → its distinct tokens (first-seen order), their ids per position, document offsets.

    Parameters
    ----------
    token_lists : list of list of str
        The raw tokens of each document.

    Returns
    -------
    vocab : list of str
    codes : numpy.ndarray of int32
        ``vocab`` index of every token, documents concatenated.
    offsets : numpy.ndarray of int64
        ``len(token_lists) + 1`` positions: document ``d`` is ``codes[offsets[d]:offsets[d + 1]]``.
    """
    offsets = np.zeros(len(token_lists) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists)), out=offsets[1:])
    if not offsets[-1]:
        return [], np.zeros(0, dtype=np.int32), offsets
    encoded = pc.dictionary_encode(pa.array(list(chain.from_iterable(token_lists)), type=pa.string()))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    return encoded.dictionary.to_pylist(), codes, offsets


def global_ids(batch_vocabs: list[pa.Array]) -> tuple[list[str], list[np.ndarray]]:
    """Corpus-wide raw tokens (first-seen order over the batches) and, per batch, the corpus id of each batch token.

    >>> vocab, ids = global_ids([pa.array(["a", "b"]), pa.array(["c", "a"])])
    >>> vocab, [i.tolist() for i in ids]
    (['a', 'b', 'c'], [[0, 1], [2, 0]])
    """
    if not batch_vocabs:
        return [], []
    encoded = pc.dictionary_encode(pa.concat_arrays([vocab.cast(pa.string()) for vocab in batch_vocabs]))
    ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    bounds = np.cumsum([len(vocab) for vocab in batch_vocabs])[:-1]
    return encoded.dictionary.to_pylist(), np.split(ids, bounds)


def document_of(offsets: np.ndarray) -> np.ndarray:
    """Document index of every position (``offsets`` as in :func:`encode_batch`)."""
    return np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))


def openers(vocab: list[str]) -> np.ndarray:
    """Whether each token opens a sentence (ends with one of :data:`SENTENCE_OPENERS`)."""
    return np.fromiter((token[-1:] in SENTENCE_OPENERS for token in vocab), dtype=bool, count=len(vocab))


def sentence_initial(codes: np.ndarray, offsets: np.ndarray, opener: np.ndarray) -> np.ndarray:
    """Whether each position starts a sentence: a document's first token, or one after an opener (:func:`openers`).

    The same positions as :meth:`scripts.preprocess.names.CaseEvidence.from_token_strings` counts.

    >>> vocab, codes, offsets = encode_batch([["Hoy", "llegó", ".", "Pérez"], [], ["«", "Nadie"]])
    >>> sentence_initial(codes, offsets, openers(vocab)).tolist()
    [True, False, False, True, True, True]
    """
    initial = np.zeros(len(codes), dtype=bool)
    if len(codes):
        initial[1:] = opener[codes[:-1]]
        starts = offsets[:-1][np.diff(offsets) > 0]
        initial[starts] = True
    return initial


class TermTable:
    """Term strings and ids: normal forms (``""`` for a break), then learned phrases.

    Parameters
    ----------
    forms : iterable of str
        Distinct normal forms; ``""`` is added if absent.
    connector_words : frozenset of str
        Words allowed inside a phrase (:mod:`scripts.preprocess.phrases`).

    Attributes
    ----------
    strings : list of str
        Term id → term.
    sequences : list of tuple of int
        Connector sequences seen between the words of a candidate (id 0: none); the single
        connector words are registered first, in sorted order.
    """

    def __init__(self, forms, connector_words: frozenset[str]) -> None:
        self.strings: list[str] = list(dict.fromkeys(chain([""], forms)))
        bad = [form for form in self.strings if form != form.strip() or len(form.split()) > 1]
        if bad:
            raise ValueError(f"normal forms with whitespace cannot be streamed: {bad[:5]}")
        self.index = {term: i for i, term in enumerate(self.strings)}
        self.connector_words = connector_words
        self.sequences: list[tuple[int, ...]] = [()]
        self.sequence_index: dict[tuple[int, ...], int] = {(): 0}
        for word in sorted(connector_words):
            if word in self.index:
                self.sequence_code((self.index[word],))
        self.refresh()

    def refresh(self) -> None:
        """Recompute the per-term flags after terms were added."""
        n_terms = len(self.strings)
        self.is_break = np.zeros(n_terms, dtype=bool)
        self.is_break[0] = True
        self.is_connector = np.fromiter((term in self.connector_words for term in self.strings), dtype=bool, count=n_terms)
        self.single_code = np.full(n_terms, -1, dtype=np.int64)
        for sequence, code in self.sequence_index.items():
            if len(sequence) == 1:
                self.single_code[sequence[0]] = code

    def add(self, term: str) -> int:
        """Id of ``term``, added if new (call :meth:`refresh` after adding)."""
        found = self.index.get(term)
        if found is None:
            found = self.index[term] = len(self.strings)
            self.strings.append(term)
        return found

    def sequence_code(self, sequence: tuple[int, ...], grow: bool = True) -> int:
        """Id of a connector sequence (``-1`` if unknown and not ``grow``)."""
        code = self.sequence_index.get(sequence)
        if code is None:
            if not grow:
                return -1
            code = self.sequence_index[sequence] = len(self.sequences)
            self.sequences.append(sequence)
        return code

    def content(self, stream: np.ndarray) -> np.ndarray:
        """Whether each position of a stream holds a word that is neither a break nor a connector."""
        return ~(self.is_break[stream] | self.is_connector[stream])

    def candidate_pairs(self, stream: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of every candidate: consecutive non-connector words with only connector words between.

        Returns the positions of the first and of the last word of each candidate, in stream order.
        """
        position = np.flatnonzero(self.content(stream))
        if len(position) < 2:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        breaks = np.cumsum(self.is_break[stream])
        document = np.searchsorted(offsets, position, side="right")
        left, right = position[:-1], position[1:]
        same = (breaks[left] == breaks[right]) & (document[:-1] == document[1:])
        return left[same], right[same]

    def sequence_codes(self, stream: np.ndarray, left: np.ndarray, right: np.ndarray, grow: bool) -> np.ndarray:
        """Connector-sequence id of each candidate (``-1``: a sequence not seen when learning, with ``grow`` false)."""
        gap = right - left - 1
        codes = np.zeros(len(left), dtype=np.int64)
        single = gap == 1
        codes[single] = self.single_code[stream[left[single] + 1]]
        for i in np.flatnonzero(gap > 1):
            codes[i] = self.sequence_code(tuple(stream[left[i] + 1:right[i]].tolist()), grow)
        return codes

    def pair_keys(self, stream: np.ndarray, left: np.ndarray, right: np.ndarray, n_terms: int,
                  n_sequences: int) -> np.ndarray:
        """One ``int64`` per candidate: ``(first word * n_terms + last word) * n_sequences + sequence``.

        ``-1`` for a candidate whose connector sequence is not known (it cannot be a learned phrase).
        """
        codes = self.sequence_codes(stream, left, right, grow=False)
        keys = (stream[left].astype(np.int64) * n_terms + stream[right]) * n_sequences + codes
        keys[(codes < 0) | (codes >= n_sequences)] = -1
        return keys

    def phrase_string(self, first: int, last: int, sequence: int) -> str:
        """The gensim key of a candidate: its words joined by spaces (``"secretaría de salud"``)."""
        words = [self.strings[first], *(self.strings[c] for c in self.sequences[sequence]), self.strings[last]]
        return DELIMITER.join(words)


def count_candidates(table: TermTable, stream: np.ndarray, offsets: np.ndarray) -> tuple:
    """Unigram and candidate counts of one batch stream, as :func:`scripts.preprocess.phrases.count_phrase_vocab`.

    Returns
    -------
    unigrams : numpy.ndarray of int64
        Occurrences of every term id (connector words and breaks set to 0).
    first, last, sequences : numpy.ndarray
        Distinct candidates (term ids and ids of the batch's connector sequences in ``local``).
    counts : numpy.ndarray of int64
    n_words : int
        Non-break words, connector words included (gensim's ``corpus_word_count``).
    local : list of tuple
        The batch's connector sequences (term ids), index = the ``sequences`` values.
    """
    n_terms = len(table.strings)
    unigrams = np.bincount(stream, minlength=n_terms).astype(np.int64)
    n_words = int(len(stream) - unigrams[0])
    unigrams[table.is_break | table.is_connector] = 0
    left, right = table.candidate_pairs(stream, offsets)
    before = len(table.sequences)
    codes = table.sequence_codes(stream, left, right, grow=True)
    local = list(table.sequences)
    del table.sequences[before:]  # a worker's table stays the parent's; this batch's new ones travel in `local`
    for sequence in local[before:]:
        del table.sequence_index[sequence]
    n_codes = max(len(local), 1)
    keys = (stream[left].astype(np.int64) * n_terms + stream[right]) * n_codes + codes
    keys, counts = np.unique(keys, return_counts=True)
    pair, sequences = np.divmod(keys, n_codes)
    first, last = np.divmod(pair, n_terms)
    return unigrams, first, last, sequences, counts.astype(np.int64), n_words, local


def sum_candidates(results, table: TermTable, max_vocab: int) -> tuple:
    """The :func:`count_candidates` of every batch, summed in batch order.

    As :func:`scripts.preprocess.phrases.merge_vocab` batch by batch with gensim's pruning: when
    words and candidates exceed ``max_vocab``, those seen fewer than 1, then 2, ... times are
    dropped (``Phrases(max_vocab_size)``, :func:`gensim.utils.prune_vocab`). When the summed size
    cannot exceed it, the batches are summed once. New connector sequences join ``table``.

    Returns
    -------
    tuple
        Unigram counts, sorted candidate keys and their counts, words counted, the number of
        words and candidates (gensim's ``len(vocab)``), and the ``n_terms, n_sequences`` of the keys.
    """
    n_terms = len(table.strings)
    unigrams = np.zeros(n_terms, dtype=np.int64)
    parts, n_words, bound = [], 0, 0
    for part_unigrams, first, last, local_codes, counts, part_words, local_sequences in results:
        remap = np.array([table.sequence_code(sequence) for sequence in local_sequences] or [0], dtype=np.int64)
        parts.append((first, last, remap[local_codes], counts, part_unigrams))
        n_words += part_words
        bound += len(counts)
    n_sequences = len(table.sequences)
    part_keys = [(first * n_terms + last) * n_sequences + sequence for first, last, sequence, _, _ in parts]
    if bound + n_terms <= max_vocab:  # gensim would never prune: sum everything once
        for part in parts:
            unigrams += part[4]
        keys, totals = sum_keys(np.concatenate([np.zeros(0, dtype=np.int64), *part_keys]),
                                np.concatenate([np.zeros(0, dtype=np.int64), *(part[3] for part in parts)]))
    else:
        keys, totals, min_reduce = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 1
        for (_, _, _, counts, part_unigrams), batch_keys in zip(parts, part_keys):
            unigrams += part_unigrams
            keys, totals = sum_keys(np.concatenate([keys, batch_keys]), np.concatenate([totals, counts]))
            if np.count_nonzero(unigrams) + len(keys) > max_vocab:  # drop the rarest, as gensim
                unigrams[unigrams < min_reduce] = 0
                keep = totals >= min_reduce
                keys, totals = keys[keep], totals[keep]
                min_reduce += 1
    return unigrams, keys, totals, n_words, int(np.count_nonzero(unigrams)) + len(keys), n_terms, n_sequences


def sum_keys(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys, sorted, with their summed counts."""
    if not len(keys):
        return keys, counts
    order = np.argsort(keys, kind="stable")
    keys, counts = keys[order], counts[order]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    return keys[starts], np.add.reduceat(counts, starts)


def learn_phrases(summed: tuple, table: TermTable, settings: dict) -> tuple[dict, dict, dict]:
    """One phrase model from :func:`sum_candidates`: gensim's phrasegrams, their counts, and the model in term ids.

    The scores are :func:`scripts.preprocess.phrases.freeze_phrases`' (computed on the frequent
    candidates only, with the whole vocabulary's size); the phrases join ``table`` as terms.
    """
    unigrams, keys, totals, n_words, len_vocab, n_terms, n_sequences = summed
    frequent = np.flatnonzero(totals >= settings["min_count"])
    pair, sequence = np.divmod(keys[frequent], n_sequences)
    first, last = np.divmod(pair, n_terms)
    vocab, key_of = {}, {}
    for key, a, b, s, count in zip(keys[frequent].tolist(), first.tolist(), last.tolist(), sequence.tolist(),
                                   totals[frequent].tolist()):
        phrase = table.phrase_string(a, b, s)
        vocab[phrase], key_of[phrase] = count, key
        for word in (a, b):
            if unigrams[word]:
                vocab[table.strings[word]] = int(unigrams[word])
    phrasegrams = freeze_phrases(vocab, n_words, settings, len_vocab=len_vocab)
    model_keys = np.array(sorted(key_of[phrase] for phrase in phrasegrams), dtype=np.int64)
    phrase_of = {key_of[phrase]: phrase for phrase in phrasegrams}
    model_terms = np.array([table.add(phrase_of[key].replace(" ", "_")) for key in model_keys.tolist()], dtype=np.int64)
    table.refresh()
    model = {"keys": model_keys, "terms": model_terms, "n_terms": n_terms, "n_sequences": n_sequences}
    return phrasegrams, {phrase: vocab[phrase] for phrase in phrasegrams}, model


def greedy_phrases(is_phrase: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Which candidates are joined, greedily left to right as gensim's ``analyze_sentence``.

    A candidate is joined when it is a phrase and the candidate before it (sharing its first
    word) was not joined: in a run of consecutive phrase candidates, every other one.

    >>> greedy_phrases(np.array([True, True, True, False, True]), np.array([0, 1, 2, 3, 5]), np.array([1, 2, 3, 4, 6])).tolist()
    [True, False, True, False, True]
    """
    if not len(is_phrase):
        return is_phrase
    chained = np.zeros(len(is_phrase), dtype=bool)
    chained[1:] = is_phrase[1:] & is_phrase[:-1] & (left[1:] == right[:-1])
    index = np.arange(len(is_phrase))
    run_start = np.maximum.accumulate(np.where(chained, 0, index))
    return is_phrase & ((index - run_start) % 2 == 0)


def join_phrases(table: TermTable, stream: np.ndarray, offsets: np.ndarray, spans: np.ndarray,
                 model: dict) -> tuple:
    """Join one model's phrases in a batch stream (as :class:`scripts.preprocess.phrases.PhraseJoiner`).

    Parameters
    ----------
    table : TermTable
        Term ids, the phrase terms included.
    stream, offsets : numpy.ndarray
        The batch stream and its document offsets.
    spans : numpy.ndarray of int64, shape (n, 2)
        First and last raw position of each stream position.
    model : dict
        ``keys`` (sorted candidate keys of the model's phrases, :meth:`TermTable.pair_keys`),
        ``terms`` (the term id of each), and the ``n_terms`` and ``n_sequences`` the keys were made with.

    Returns
    -------
    stream, offsets, spans : numpy.ndarray
        The joined stream (connector words and breaks outside phrases kept).
    """
    left, right = table.candidate_pairs(stream, offsets)
    phrase_keys, phrase_terms = model["keys"], model["terms"]
    keys = table.pair_keys(stream, left, right, model["n_terms"], model["n_sequences"])
    where = np.searchsorted(phrase_keys, keys)
    where[where >= len(phrase_keys)] = 0
    is_phrase = (keys >= 0) & (phrase_keys[where] == keys) if len(phrase_keys) else np.zeros(len(keys), dtype=bool)
    chosen = greedy_phrases(is_phrase, left, right)
    left, right = left[chosen], right[chosen]
    stream, spans = stream.copy(), spans.copy()
    stream[left] = phrase_terms[where[chosen]]
    spans[left, 1] = spans[right, 1]
    cut = np.zeros(len(stream) + 1, dtype=np.int64)
    np.add.at(cut, left + 1, 1)
    np.add.at(cut, right + 1, -1)
    keep = np.cumsum(cut[:-1]) == 0
    kept_before = np.concatenate([[0], np.cumsum(keep)])
    return stream[keep], kept_before[offsets], spans[keep]


def final_positions(table: TermTable, stream: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the content tokens (as :func:`scripts.preprocess.phrases.final_tokens`) and their document offsets."""
    keep = ~(table.is_break[stream] | table.is_connector[stream])
    kept_before = np.concatenate([[0], np.cumsum(keep)])
    return np.flatnonzero(keep), kept_before[offsets]


def term_counts(terms: np.ndarray, offsets: np.ndarray, is_heldout: np.ndarray, n_terms: int) -> tuple:
    """Document and corpus frequency of every term over the training documents, and their number.

    Returns ``(term ids, doc_freq, corpus_freq)`` for the terms seen, and the number of training documents.
    """
    document = document_of(offsets)
    train = ~is_heldout[document]
    terms, document = terms[train], document[train]
    corpus_freq = np.bincount(terms, minlength=n_terms)
    pairs = np.unique(document.astype(np.int64) * n_terms + terms)
    doc_freq = np.bincount(pairs % n_terms, minlength=n_terms)
    seen = np.flatnonzero(corpus_freq)
    return seen, doc_freq[seen], corpus_freq[seen], int((~is_heldout).sum())


def phrase_surfaces(table: TermTable, stream: np.ndarray, spans: np.ndarray, raw: np.ndarray, raw_offsets: np.ndarray,
                    raw_vocab: list[str], is_initial: np.ndarray) -> tuple[Counter, Counter]:
    """Per ``(phrase, original words)``: all occurrences, and those not at a sentence start.

    As :func:`scripts.preprocess.surface.count_phrase_surfaces`: a joined stream position whose
    raw span holds more than one token is a phrase; its original words are the raw tokens of the span.
    """
    counts, mid = Counter(), Counter()
    length = spans[:, 1] - spans[:, 0] + 1
    for size in np.unique(length[length > 1]).tolist():
        at = np.flatnonzero(length == size)
        rows = np.column_stack([stream[at]] + [raw[spans[at, 0] + k] for k in range(size)])
        for counter, select in ((counts, slice(None)), (mid, ~is_initial[spans[at, 0]])):
            unique, n = np.unique(rows[select], axis=0, return_counts=True)
            for row, count in zip(unique.tolist(), n.tolist()):
                counter[table.strings[row[0]], " ".join([raw_vocab[r] for r in row[1:]])] += count
    return counts, mid


def mm_text(documents: np.ndarray, terms: np.ndarray, counts: np.ndarray) -> str:
    """Matrix Market lines ``doc term count`` (already 1-based), one per entry, as :func:`corpus_io.mm_lines` writes them."""
    if not len(documents):
        return ""
    columns = [pc.cast(pa.array(values, type=pa.int64()), pa.string()) for values in (documents, terms, counts)]
    lines = pc.binary_join_element_wise(*columns, " ")
    one_list = pa.ListArray.from_arrays(pa.array([0, len(lines)], type=pa.int32()), lines)
    return pc.binary_join(one_list, "\n")[0].as_py() + "\n"


def bag_of_words(dictionary_ids: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per document, its distinct dictionary ids ascending with their counts: ``(document, term, count)`` arrays."""
    document = document_of(offsets)
    keys = document.astype(np.int64) * (int(dictionary_ids.max(initial=0)) + 1) + dictionary_ids
    keys, counts = np.unique(keys, return_counts=True)
    document, term = np.divmod(keys, int(dictionary_ids.max(initial=0)) + 1)
    return document, term, counts
