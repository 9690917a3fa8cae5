"""Multi-word phrases learned on the corpus, scored and applied as gensim ``Phrases`` does.

A document is held as a *stream*: one string of normal forms joined by single spaces, where an
empty token (a double space) marks a removed word or punctuation (:data:`scripts.preprocess.normalise.BREAK`), so
phrases only join words that were adjacent in the text. Connector words (``de``, ``del``) may
sit inside a phrase (``secretaría de salud`` → ``secretaría_de_salud``) but never start or end one.

The counts are gensim's (``Phrases.vocab``: every word, and every pair of adjacent non-connector
words with the connectors between them, keyed ``"a de b"``), collected with C-level
``Counter``/regex passes per batch instead of gensim's per-word Python loop; the scores are
gensim's own scorers (:func:`gensim.models.phrases.npmi_scorer`, ``original_scorer``) and the
joining follows ``Phrases.analyze_sentence`` (greedy, left to right). Batches are summed in
order, so the learned phrases do not depend on the number of workers.

Example
-------
>>> streams = ["crimen organizado  guardia nacional  tema"] * 20 + ["crimen  guardia  tema"]
>>> vocab, n_words = count_phrase_vocab(streams, connector_words=frozenset())
>>> model = freeze_phrases(vocab, n_words, {"min_count": 5, "threshold": 0.5, "scoring": "npmi"})
>>> final_tokens(PhraseJoiner(model).apply(streams[0]), frozenset())
['crimen_organizado', 'guardia_nacional', 'tema']
"""


import logging
import re
from collections import Counter
from itertools import filterfalse
from operator import add
from typing import Iterable, Sequence

import pandas as pd

logger = logging.getLogger(__name__)

DELIMITER = " "  # in counts and phrase keys, as gensim's ``delimiter``
JOINER = "_"  # in the tokens (aliases already contain "_")
#: ``preprocess.phrases.scoring`` → the name of gensim's scorer (imported when phrases are scored: gensim
#: costs about 1 s to import, which the rule spends while its workers tokenize, see scripts.preprocess.pipeline)
SCORERS = {"npmi": "npmi_scorer", "default": "original_scorer"}


def _candidate_pattern(connector_words: frozenset[str]) -> re.Pattern:
    """Overlapping ``word (connector)* word`` runs with single spaces (breaks are double spaces).

    For ``findall`` on ``"\\n" + "\\n".join(streams)``: a match consumes the space or newline
    before a word and captures the run starting there in a lookahead, so ``re`` only tries at
    separators (a literal-class prefix it scans for quickly), not at every character.

    >>> _candidate_pattern(frozenset({"de"})).findall("\\na de b c  d")
    ['a de b', 'b c']
    """
    if not connector_words:
        return re.compile(r"[ \n](?=(\S+ \S+)(?!\S))")
    connector = "(?:" + "|".join(re.escape(w) for w in sorted(connector_words, key=len, reverse=True)) + ")"
    word = rf"(?!{connector}(?!\S))\S+"
    return re.compile(rf"[ \n](?=({word}(?: {connector})* {word})(?!\S))")


def count_phrase_vocab(streams: Iterable[str], connector_words: frozenset[str]) -> tuple[dict[str, int], int]:
    """Unigram and candidate-phrase counts of some streams, as gensim ``Phrases`` collects them.

    Parameters
    ----------
    streams : iterable of str
        Documents as streams (see the module docstring).
    connector_words : frozenset of str
        Words allowed inside a phrase.

    Returns
    -------
    vocab : dict of str to int
        Counts keyed by word or by space-joined candidate phrase.
    n_words : int
        Words counted (connector words included, as gensim counts them).

    Examples
    --------
    >>> sorted(count_phrase_vocab(["a de b  c"], frozenset({"de"}))[0].items())
    [('a', 1), ('a de b', 1), ('b', 1), ('c', 1)]
    """
    text = "\n" + "\n".join(streams)
    words = text.split()
    vocab = Counter(words)
    n_words = len(words)
    for connector in connector_words:
        vocab.pop(connector, None)
    vocab.update(_candidate_pattern(connector_words).findall(text))
    return dict(vocab), n_words


def segments(stream: str) -> list[list[str]]:
    """Runs of adjacent words of a stream (split at every break), as gensim's "sentences".

    >>> segments("guardia nacional  de  estado")
    [['guardia', 'nacional'], ['de'], ['estado']]
    """
    return [piece.split() for piece in stream.split("  ") if piece.strip()]


def merge_vocab(total: dict[str, int], part: dict[str, int]) -> None:
    """Add the counts of ``part`` into ``total`` (in place).

    The keys already in ``total`` are summed with C-level ``map``, and the new keys are added
    by one ``dict.update`` (in ``part``'s order, as a key-by-key loop would add them).
    ``total`` may be a ``collections.Counter``.

    >>> total = {"a": 1}
    >>> merge_vocab(total, {"b": 2, "a": 3})
    >>> total
    {'a': 4, 'b': 2}
    """
    added = dict(part)
    if total:
        common = total.keys() & part.keys()  # a set, unchanged while its three iterators run in step
        dict.update(added, zip(common, map(add, map(total.__getitem__, common), map(part.__getitem__, common))))
    dict.update(total, added)  # also for a Counter, whose own update would add the counts again


def freeze_phrases(vocab: dict[str, int], n_words: int, settings: dict, len_vocab: int | None = None) -> dict[str, float]:
    """The phrases whose gensim score exceeds the threshold: ``{"a de b": score}``.

    Parameters
    ----------
    vocab, n_words
        Summed output of :func:`count_phrase_vocab`.
    settings : dict
        ``min_count``, ``threshold`` and ``scoring`` (``npmi`` or gensim's ``default``) of
        ``preprocess.phrases``. A phrase needs at least ``min_count`` occurrences.
    len_vocab : int, optional
        Size of the whole vocabulary (words and candidates) when ``vocab`` holds only the
        frequent candidates and their words (gensim's ``default`` scorer uses it); default ``len(vocab)``.

    Returns
    -------
    dict of str to float
    """
    min_count, threshold = settings["min_count"], settings["threshold"]
    from gensim.models import phrases as gensim_phrases

    scorer = getattr(gensim_phrases, SCORERS[settings["scoring"]])
    len_vocab = len(vocab) if len_vocab is None else len_vocab
    phrasegrams = {}
    for key, count in vocab.items():
        if count >= min_count and DELIMITER in key:
            parts = key.split(DELIMITER)
            count_a, count_b = vocab.get(parts[0], 0), vocab.get(parts[-1], 0)
            if count_a and count_b:
                score = scorer(worda_count=count_a, wordb_count=count_b, bigram_count=count,
                               len_vocab=len_vocab, min_count=min_count, corpus_word_count=n_words)
                if score > threshold:
                    phrasegrams[key] = float(score)
    logger.info("%d phrases learned (min_count %s, threshold %s)", len(phrasegrams), min_count, threshold)
    return phrasegrams


def _trie_pattern(keys: Sequence[str]) -> str:
    """A regular expression matching any of ``keys``, factored by common prefixes (fast in ``re``)."""
    trie: dict = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # a longer key first, else stop here

    return pattern(trie)


class PhraseJoiner:
    """Join a model's phrases in streams, greedily left to right as ``Phrases.analyze_sentence`` does.

    One regular expression of all phrases (a prefix trie) finds them at word starts; since a
    phrase starts and ends with a non-connector word, scanning left to right and taking the
    first phrase that starts at each word gives gensim's result.
    The expression is matched on the stream with a space prepended: it starts with that space
    and a class of the phrases' first letters, which ``re`` tests at separators only.

    >>> PhraseJoiner({"guardia nacional": 0.9}).apply("la  guardia nacional llegó")
    'la  guardia_nacional llegó'
    """

    def __init__(self, phrasegrams: dict[str, float]) -> None:
        keys = sorted(phrasegrams)
        first = "".join(re.escape(char) for char in sorted({key[0] for key in keys}))
        self.pattern = re.compile(rf" (?=[{first}])({_trie_pattern(keys)})(?!\S)") if keys else None

    def apply(self, stream: str) -> str:
        """The stream with its phrases joined by ``_`` (breaks and connector words kept)."""
        if self.pattern is None:
            return stream
        return self.pattern.sub(_joined, " " + stream)[1:]


def _joined(match: re.Match) -> str:
    """The separator and the phrase of a :class:`PhraseJoiner` match, its words joined by ``_``."""
    return " " + match.group(1).replace(DELIMITER, JOINER)


def apply_phrases(stream: str, phrasegrams: dict[str, float], connector_words: frozenset[str]) -> str:
    """The stream with its phrases joined by ``_`` (breaks and connector words kept).

    Reference implementation of gensim's ``analyze_sentence`` (used to test :class:`PhraseJoiner`).

    >>> apply_phrases("la  guardia nacional llegó", {"guardia nacional": 0.9}, frozenset())
    'la  guardia_nacional llegó'
    """
    if not phrasegrams:
        return stream
    out: list[str] = []
    start, between = None, []
    for word in stream.split(" "):
        if not word or word not in connector_words:  # a word or a break
            if start is not None:
                key = DELIMITER.join([start, *between, word]) if between else f"{start} {word}"
                if word and key in phrasegrams:
                    out.append(key.replace(DELIMITER, JOINER))
                    start, between = None, []
                    continue
                out.append(start)
                out.extend(between)
            if word:
                start, between = word, []
            else:
                start, between = None, []
                out.append(word)
        elif start is not None:
            between.append(word)
        else:
            out.append(word)
    if start is not None:
        out.append(start)
        out.extend(between)
    return " ".join(out)


def final_tokens(stream: str, connector_words: frozenset[str]) -> list[str]:
    """Content tokens of a stream: connector words left outside a phrase are dropped.

    >>> final_tokens("secretaría_de_salud  de  operativo", frozenset({"de"}))
    ['secretaría_de_salud', 'operativo']
    """
    return list(filterfalse(connector_words.__contains__, stream.split()))


def phrase_table(models: Sequence[dict[str, float]], vocabs: Sequence[dict[str, int]]) -> pd.DataFrame:
    """Learned phrases for inspection: ``phrase, n_words, count, score, model``.

    Parameters
    ----------
    models : sequence of dict
        The bigram phrases, then the trigram phrases if any.
    vocabs : sequence of dict
        The counts each model was learned from.

    Returns
    -------
    pandas.DataFrame
        Sorted by count (descending) then phrase; scores rounded to 10 decimals.
    """
    rows = []
    for level, (phrasegrams, vocab) in enumerate(zip(models, vocabs)):
        for key, score in phrasegrams.items():
            rows.append((key.replace(DELIMITER, JOINER), len(key.split(DELIMITER)), vocab.get(key, 0),
                         round(score, 10), "bigram" if level == 0 else "trigram"))
    table = pd.DataFrame(rows, columns=["phrase", "n_words", "count", "score", "model"])
    return table.sort_values(["count", "phrase"], ascending=[False, True], kind="stable").reset_index(drop=True)
