"""Preprocess stage: documents → tokens → gensim dictionary and streamed bag-of-words corpora.

Outputs (all under ``results/corpus/``): ``tokens.parquet`` (one row per document with its
normalised tokens and train/held-out split), ``dictionary.gensim``, ``train.mm`` and
``heldout.mm`` (gensim Matrix Market corpora, rows in ``tokens.parquet`` order within each
split), ``vocabulary.csv`` (every term seen, with its document frequency and whether it was kept
or why it was removed) and ``seed_words.csv`` (each theme seed word, its normal form and whether
it survived into the vocabulary).

Example
-------
>>> from textnorm import Normaliser
>>> tokens = tokenize_documents(["El fentanilo llegó.", "Fentanilo decomisado."],
...                              Normaliser(stopwords=set()), threads=1)
>>> tokens[0][0]
'fentanilo'
"""


import copy
import logging
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary, MmCorpus

from textnorm import Normaliser, default_stopwords

logger = logging.getLogger(__name__)

_WORKER_NORMALISER: Normaliser | None = None


def _init_worker(normaliser: Normaliser) -> None:
    global _WORKER_NORMALISER
    _WORKER_NORMALISER = normaliser


def _tokens_of_batch(texts: Sequence[str]) -> list[list[str]]:
    return [_WORKER_NORMALISER.tokens(text) for text in texts]


def _batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def tokenize_documents(
    texts: Sequence[str], normaliser: Normaliser, threads: int = 1, batch_size: int = 500
) -> list[list[str]]:
    """Normalised tokens of each text, in input order, using ``threads`` processes.

    The result is identical whatever ``threads`` is: batches are mapped in order.

    Parameters
    ----------
    texts : sequence of str
        Document texts.
    normaliser : textnorm.Normaliser
        How to turn text into tokens.
    threads : int
        Worker processes (1 = in this process).
    batch_size : int
        Documents per task sent to a worker.

    Returns
    -------
    list of list of str
        One token list per text.
    """
    if threads <= 1 or len(texts) < 2 * batch_size:
        return [normaliser.tokens(text) for text in texts]
    with get_context("fork").Pool(threads, initializer=_init_worker, initargs=(normaliser,)) as pool:
        tokens: list[list[str]] = []
        for batch_tokens in pool.imap(_tokens_of_batch, _batches(list(texts), batch_size)):
            tokens.extend(batch_tokens)
    return tokens


def heldout_mask(n_documents: int, fraction: float, seed: int) -> np.ndarray:
    """Boolean mask of held-out documents: ``round(fraction * n)`` drawn with ``seed``.

    Parameters
    ----------
    n_documents : int
        Number of documents.
    fraction : float
        Share held out for perplexity (0 disables the split).
    seed : int
        Random seed.

    Returns
    -------
    numpy.ndarray of bool
    """
    mask = np.zeros(n_documents, dtype=bool)
    n_heldout = int(round(fraction * n_documents))
    if n_heldout and n_documents - n_heldout >= 1:
        mask[np.random.default_rng(seed).choice(n_documents, size=n_heldout, replace=False)] = True
    return mask


def build_dictionary(
    train_tokens: Iterable[list[str]], no_below: int, no_above: float, keep_n: int | None
) -> tuple[Dictionary, pd.DataFrame]:
    """Dictionary of the training documents after ``filter_extremes``, plus the vocabulary table.

    Parameters
    ----------
    train_tokens : iterable of list of str
        Tokens of the training documents.
    no_below, no_above, keep_n
        Passed to :meth:`gensim.corpora.Dictionary.filter_extremes`.

    Returns
    -------
    dictionary : gensim.corpora.Dictionary
        With ids compacted in a deterministic (sorted-term) order.
    vocabulary : pandas.DataFrame
        Columns ``term, doc_freq, corpus_freq, kept, reason`` for every term seen.
    """
    full = Dictionary(train_tokens)
    n_docs = max(full.num_docs, 1)
    terms = sorted(full.token2id)
    doc_freq = {t: full.dfs[full.token2id[t]] for t in terms}
    corpus_freq = {t: full.cfs[full.token2id[t]] for t in terms}
    filtered = copy.deepcopy(full)
    filtered.filter_extremes(no_below=no_below, no_above=no_above, keep_n=keep_n)
    survivors = set(filtered.token2id)
    # rebuild with sorted ids so the mapping does not depend on document order quirks
    dictionary = Dictionary()
    dictionary.token2id = {t: i for i, t in enumerate(sorted(survivors))}
    dictionary.dfs = {dictionary.token2id[t]: doc_freq[t] for t in survivors}
    dictionary.cfs = {dictionary.token2id[t]: corpus_freq[t] for t in survivors}
    dictionary.num_docs = full.num_docs
    rows = []
    for term in terms:
        if term in survivors:
            reason = ""
        elif doc_freq[term] < no_below:
            reason = f"doc_freq < no_below ({no_below})"
        elif doc_freq[term] > no_above * n_docs:
            reason = f"doc_freq > no_above ({no_above:g} of {n_docs})"
        else:
            reason = f"beyond keep_n ({keep_n})"
        rows.append((term, doc_freq[term], corpus_freq[term], term in survivors, reason))
    vocabulary = pd.DataFrame(rows, columns=["term", "doc_freq", "corpus_freq", "kept", "reason"])
    vocabulary = vocabulary.sort_values(["doc_freq", "term"], ascending=[False, True], kind="stable")
    return dictionary, vocabulary.reset_index(drop=True)


def seed_word_table(themes: dict[str, list[str]], normaliser: Normaliser, dictionary: Dictionary) -> pd.DataFrame:
    """Each theme seed word, its normal form(s) and whether it is in the vocabulary.

    A seed word that normalises to nothing (a stopword) or to a term outside the vocabulary
    cannot shape its theme; ``in_vocabulary`` says so by name.
    """
    rows = []
    for theme, words in themes.items():
        for word in words:
            forms = normaliser.tokens(word.replace(" ", "_")) if "_" in word else normaliser.tokens(word)
            if not forms:
                rows.append((theme, word, "", False))
            for form in forms:
                rows.append((theme, word, form, form in dictionary.token2id))
    return pd.DataFrame(rows, columns=["theme", "seed_word", "term", "in_vocabulary"])


def preprocess(documents: pd.DataFrame, settings: dict, themes: dict, threads: int = 1) -> dict:
    """Run the whole stage in memory-light steps and return the tables to write.

    Parameters
    ----------
    documents : pandas.DataFrame
        ``documents.parquet`` from ingest.
    settings : dict
        The ``preprocess`` config section.
    themes : dict
        Theme name → seed words.
    threads : int
        Worker processes for tokenization.

    Returns
    -------
    dict
        ``tokens`` (DataFrame), ``dictionary``, ``vocabulary``, ``seed_words``.
    """
    stopwords = default_stopwords() | {w.lower() for w in settings.get("extra_stopwords", [])}
    normaliser = Normaliser(
        method=settings.get("normalize", "lemmatize"),
        stopwords=stopwords,
        min_token_len=settings.get("min_token_len", 3),
        keep_numbers=settings.get("keep_numbers", False),
        accents=not settings.get("strip_accents", False),
    )
    texts = (documents["title"].fillna("") + ". " + documents["text"].fillna("")).tolist()
    token_lists = tokenize_documents(texts, normaliser, threads=threads)
    is_heldout = heldout_mask(len(documents), settings.get("heldout_fraction", 0.1), settings.get("seed", 1))
    dictionary, vocabulary = build_dictionary(
        (t for t, h in zip(token_lists, is_heldout) if not h),
        no_below=settings.get("no_below", 5),
        no_above=settings.get("no_above", 0.5),
        keep_n=settings.get("keep_n", 100000),
    )
    tokens = pd.DataFrame(
        {
            "doc_id": documents["doc_id"].to_numpy(),
            "date": documents["date"].to_numpy(),
            "split": np.where(is_heldout, "heldout", "train"),
            "tokens": [[t for t in doc if t in dictionary.token2id] for doc in token_lists],
        }
    )
    tokens["n_tokens"] = tokens["tokens"].map(len)
    logger.info(
        "%d documents, %d held out, vocabulary %d of %d terms",
        len(tokens), int(is_heldout.sum()), len(dictionary), len(vocabulary),
    )
    return {
        "tokens": tokens,
        "dictionary": dictionary,
        "vocabulary": vocabulary,
        "seed_words": seed_word_table(themes, normaliser, dictionary),
    }


def bow_stream(tokens: pd.DataFrame, dictionary: Dictionary, split: str) -> Iterator[list[tuple[int, int]]]:
    """Stream bag-of-words vectors of one split, in table order."""
    for doc in tokens.loc[tokens["split"] == split, "tokens"]:
        yield dictionary.doc2bow(list(doc))


def main(smk) -> None:
    """Snakemake entry point."""
    documents = pd.read_parquet(smk.input.documents, columns=["doc_id", "date", "title", "text"])
    outputs = preprocess(documents, dict(smk.params.settings), dict(smk.params.themes), threads=smk.threads)
    out = smk.output
    outputs["tokens"].to_parquet(out.tokens, index=False)
    outputs["dictionary"].save(out.dictionary)
    MmCorpus.serialize(out.train, bow_stream(outputs["tokens"], outputs["dictionary"], "train"))
    MmCorpus.serialize(out.heldout, bow_stream(outputs["tokens"], outputs["dictionary"], "heldout"))
    outputs["vocabulary"].to_csv(out.vocabulary, index=False)
    outputs["seed_words"].to_csv(out.seed_words, index=False)
    missing = outputs["seed_words"].loc[~outputs["seed_words"]["in_vocabulary"]]
    for row in missing.itertuples():
        logger.warning("theme %s: seed word %r (%s) is not in the vocabulary", row.theme, row.seed_word, row.term)


if __name__ == "__main__" and "snakemake" in globals():
    from stage_logging import run_stage

    run_stage(main, globals()["snakemake"])
