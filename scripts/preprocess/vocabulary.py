"""Vocabulary: document-frequency counts → filtered gensim ``Dictionary`` and the table of what was cut.

Counts are collected per batch of documents (:func:`count_terms`), summed, and turned into a
dictionary whose ids follow the sorted terms, so the result does not depend on document order
within a batch or on the number of workers.

Example
-------
>>> counts = count_terms([["paz", "guerra"], ["paz"], ["paz", "tregua"]])
>>> dictionary, vocabulary = build_dictionary(*counts, no_below=2, no_above=1.0, keep_n=None)
>>> list(dictionary.token2id)
['paz']
>>> vocabulary[["term", "doc_freq", "kept"]].values.tolist()
[['paz', 3, True], ['guerra', 1, False], ['tregua', 1, False]]
"""


import logging
from collections import Counter
from typing import TYPE_CHECKING, Iterable

import pandas as pd

if TYPE_CHECKING:  # gensim is imported when the dictionary is built (about 1 s, spent while workers tokenize)
    from gensim.corpora import Dictionary

logger = logging.getLogger(__name__)


def count_terms(token_lists: Iterable[list[str]]) -> tuple[Counter, Counter, int]:
    """Document frequency, corpus frequency and number of documents of some token lists.

    Returns
    -------
    doc_freq, corpus_freq : collections.Counter
        Term → documents containing it; term → occurrences.
    n_documents : int
    """
    doc_freq: Counter = Counter()
    corpus_freq: Counter = Counter()
    n_documents = 0
    for tokens in token_lists:
        doc_freq.update(set(tokens))
        corpus_freq.update(tokens)
        n_documents += 1
    return doc_freq, corpus_freq, n_documents


def build_dictionary(
    doc_freq: Counter, corpus_freq: Counter, n_documents: int, no_below: int, no_above: float, keep_n: int | None
) -> tuple["Dictionary", pd.DataFrame]:
    """The dictionary after :meth:`gensim.corpora.Dictionary.filter_extremes`, plus the vocabulary table.

    Parameters
    ----------
    doc_freq, corpus_freq : collections.Counter
        Term counts over the training documents.
    n_documents : int
        Number of training documents.
    no_below, no_above, keep_n
        Passed to ``filter_extremes``: drop terms in fewer than ``no_below`` documents or in more
        than ``no_above`` (a share) of them, then keep the ``keep_n`` most frequent.

    Returns
    -------
    dictionary : gensim.corpora.Dictionary
        Ids in sorted-term order.
    vocabulary : pandas.DataFrame
        ``term, doc_freq, corpus_freq, kept, reason`` for every term seen, most frequent first.
    """
    from gensim.corpora import Dictionary

    terms = sorted(doc_freq)
    full = Dictionary()
    full.token2id = {term: i for i, term in enumerate(terms)}
    full.dfs = {i: doc_freq[term] for i, term in enumerate(terms)}
    full.cfs = {i: corpus_freq[term] for i, term in enumerate(terms)}
    full.num_docs = n_documents
    full.num_pos = sum(corpus_freq.values())
    full.num_nnz = sum(doc_freq.values())
    full.filter_extremes(no_below=no_below, no_above=no_above, keep_n=keep_n)
    survivors = sorted(full.token2id)
    dictionary = Dictionary()
    dictionary.token2id = {term: i for i, term in enumerate(survivors)}
    dictionary.dfs = {i: doc_freq[term] for i, term in enumerate(survivors)}
    dictionary.cfs = {i: corpus_freq[term] for i, term in enumerate(survivors)}
    dictionary.num_docs = n_documents
    dictionary.num_pos = sum(dictionary.cfs.values())
    dictionary.num_nnz = sum(dictionary.dfs.values())
    dictionary.lifecycle_events = None  # no timestamps in the saved file: byte-identical reruns
    kept = set(survivors)
    no_above_abs = int(no_above * n_documents)  # as filter_extremes computes it
    rows = []
    for term in terms:
        if term in kept:
            reason = ""
        elif doc_freq[term] < no_below:
            reason = f"doc_freq < no_below ({no_below})"
        elif doc_freq[term] > no_above_abs:
            reason = f"doc_freq > no_above ({no_above:g} of {n_documents} = {no_above_abs})"
        else:
            reason = f"beyond keep_n ({keep_n})"
        rows.append((term, doc_freq[term], corpus_freq[term], term in kept, reason))
    vocabulary = pd.DataFrame(rows, columns=["term", "doc_freq", "corpus_freq", "kept", "reason"])
    vocabulary = vocabulary.sort_values(["doc_freq", "term"], ascending=[False, True], kind="stable")
    logger.info("vocabulary: %d of %d terms kept", len(dictionary), len(terms))
    return dictionary, vocabulary.reset_index(drop=True)


def seed_word_table(themes: dict[str, list[str]], to_tokens, dictionary: "Dictionary", vocabulary: pd.DataFrame) -> pd.DataFrame:
    """Each theme seed word, its normal form and whether it is in the vocabulary, with the reason if not.

    A multi-word seed becomes one term when the aliases or the learned phrases join it
    (``guardia nacional`` → ``guardia_nacional``); otherwise its joined form is used if the
    vocabulary has it, else each of its words is a row of its own. A term that is not in the
    vocabulary because the corpus only has it inside learned phrases (``soberanía`` only in
    ``soberanía_nacional``) is represented by those phrases, one row each.

    Parameters
    ----------
    themes : dict of str to list of str
        Theme name → seed words (surface forms).
    to_tokens : callable
        Text → normalised tokens with phrases joined, exactly as the corpus documents.
    dictionary : gensim.corpora.Dictionary
        The final vocabulary.
    vocabulary : pandas.DataFrame
        The table of :func:`build_dictionary` (for the reason a term was cut).

    Returns
    -------
    pandas.DataFrame
        ``theme, seed_word, term, in_vocabulary, reason``.
    """
    cut_reason = dict(zip(vocabulary["term"], vocabulary["reason"]))
    phrases_of: dict[str, list[str]] = {}
    for term in dictionary.token2id:  # sorted-term order
        if "_" in term:
            for part in set(term.split("_")):
                phrases_of.setdefault(part, []).append(term)
    rows = []
    for theme, words in themes.items():
        for word in words:
            forms = to_tokens(word)
            if len(forms) > 1 and "_".join(forms) in dictionary.token2id:
                forms = ["_".join(forms)]
            if not forms:
                rows.append((theme, word, "", False, "stopword or too short: removed by preprocessing"))
            for form in forms:
                if form in dictionary.token2id:
                    rows.append((theme, word, form, True, ""))
                elif form not in cut_reason and phrases_of.get(form):
                    note = f"{form} occurs only inside learned phrases"
                    rows.extend((theme, word, phrase, True, note) for phrase in phrases_of[form])
                else:
                    rows.append((theme, word, form, False, cut_reason.get(form) or "not in the training documents"))
    return pd.DataFrame(rows, columns=["theme", "seed_word", "term", "in_vocabulary", "reason"])
