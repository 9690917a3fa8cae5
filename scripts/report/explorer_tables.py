"""The tables behind ``results/report/explorer.html`` (rule ``tabulate_explorer``).

* :func:`topic_term_table`: per topic, the candidate terms of the relevance slider with what the
  page needs to rank them for any λ: ``p(w|k)``, ``p(w)`` and FREX. The candidates are every word
  that is among the ``n`` most relevant for some λ (:func:`slider_candidates`) and the ``n`` top
  FREX words, so the page's ranking equals the one over the whole vocabulary.
* :func:`theme_document_table`: per theme and period, the ``n`` documents with the largest share
  of the theme, with date, title, metadata and a passage around the theme's seed words.

Both are plain tables (Parquet), readable without the page.

Example
-------
>>> phi = np.array([[0.6, 0.3, 0.1], [0.1, 0.1, 0.8]])
>>> table = topic_term_table(phi, ["a", "b", "c"], shares=None, n=1)
>>> table[["topic", "term"]].values.tolist()
[[0, 'a'], [1, 'c']]
"""


import heapq

import numpy as np
import pandas as pd

from scripts.model.distinctiveness import frex_matrix, marginal_term_probability, relevance_matrix, top_ids
from scripts.report.passages import passage, seed_forms
from scripts.text.display import surface_term
from scripts.themes.prevalence import period_start

TERM_COLUMNS = ["topic", "term", "label", "probability", "marginal", "frex"]


def slider_candidates(probability, lift, n: int) -> np.ndarray:
    """Ids of the words that are among the ``n`` most relevant for some λ in [0, 1].

    Relevance is ``λ log p + (1 - λ) log lift``, so a word that ``n`` others beat on both
    ``p(w|k)`` and lift never makes the top ``n``; every other word is kept. Exact, and only the
    words of the top ``5n`` by probability or with a lift reaching theirs are looked at (the
    others are beaten by ``n`` of those).

    >>> slider_candidates(np.array([0.5, 0.3, 0.1, 0.1]), np.array([1.0, 3.0, 2.0, 0.5]), 1).tolist()
    [0, 1]
    """
    probability, lift = np.asarray(probability, dtype=float), np.asarray(lift, dtype=float)
    by_probability = np.argsort(-probability, kind="stable")
    head = by_probability[: 5 * n]
    threshold = np.sort(lift[head])[::-1][min(n, len(head)) - 1]
    pool = np.union1d(head, np.flatnonzero(lift >= threshold))
    pool = pool[np.lexsort((-lift[pool], -probability[pool]))]  # by probability, then lift, decreasing
    kept, best = [], []  # best: the n largest lifts among words of higher probability (a min-heap)
    for word in pool:
        if len(best) < n or best[0] < lift[word]:
            kept.append(word)
        if len(best) < n:
            heapq.heappush(best, lift[word])
        elif best[0] < lift[word]:
            heapq.heapreplace(best, lift[word])
    return np.sort(np.array(kept, dtype=int))


def topic_term_table(phi, vocabulary, shares, n: int, forms=None) -> pd.DataFrame:
    """Candidate terms of every topic for the relevance slider and FREX.

    Parameters
    ----------
    phi : array_like
        ``(K, V)`` topic-word matrix of the chosen model.
    vocabulary : sequence of str
        Term of each column.
    shares : array_like or None
        Mean share of each topic (weights of ``p(w)``; uniform when None).
    n : int
        Top terms taken from each ranking.
    forms : mapping of str to str, optional
        Term -> surface form (``surface_forms.csv``), for the ``label`` a reader sees.

    Returns
    -------
    pandas.DataFrame
        ``topic, term, label, probability, marginal, frex``, by topic then decreasing probability.
    """
    phi = np.asarray(phi, dtype=np.float64)
    phi = phi / phi.sum(axis=1, keepdims=True)
    marginal = marginal_term_probability(phi, shares)
    frex = frex_matrix(phi)
    lift = relevance_matrix(phi, marginal, 0.0)
    n = min(n, phi.shape[1])
    rows = []
    for topic in range(len(phi)):
        ids = set(slider_candidates(phi[topic], lift[topic], n).tolist())
        ids.update(top_ids(frex[topic : topic + 1], n)[0].tolist())
        for term_id in sorted(ids, key=lambda i: (-phi[topic, i], i)):
            rows.append((topic, vocabulary[term_id], surface_term(vocabulary[term_id], forms), float(phi[topic, term_id]),
                         float(marginal[term_id]), float(frex[topic, term_id])))
    return pd.DataFrame(rows, columns=TERM_COLUMNS)


def top_documents(doc_themes: pd.DataFrame, themes, freq: str, n: int, min_share: float = 0.0) -> pd.DataFrame:
    """The ``n`` documents with the largest share of each theme in each period (at least ``min_share``).

    Returns
    -------
    pandas.DataFrame
        ``theme, period, rank, doc_id, share`` (period: its first day, ``YYYY-MM-DD``).
    """
    periods = period_start(doc_themes["date"], freq).dt.strftime("%Y-%m-%d").to_numpy()
    frames = []
    for theme in themes:
        if theme not in doc_themes:
            continue
        frame = pd.DataFrame({"theme": theme, "period": periods, "doc_id": doc_themes["doc_id"].to_numpy(),
                              "share": doc_themes[theme].to_numpy()})
        frame = frame.sort_values(["period", "share", "doc_id"], ascending=[True, False, True], kind="stable")
        frame["rank"] = frame.groupby("period").cumcount() + 1
        frames.append(frame[(frame["rank"] <= n) & (frame["share"] >= min_share)])
    columns = ["theme", "period", "rank", "doc_id", "share"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def theme_document_table(doc_themes: pd.DataFrame, documents: pd.DataFrame, seed_words: dict, facets, freq: str,
                         n_docs: int, n_words: int, min_share: float = 0.0) -> pd.DataFrame:
    """Per theme and period, the documents that drive it, ready to read.

    Parameters
    ----------
    doc_themes : pandas.DataFrame
        ``doc_id, date`` and one share column per theme (``results/themes/doc_themes.parquet``).
    documents : pandas.DataFrame
        ``doc_id, date, title, text`` and the ``facets`` columns (``documents.parquet``).
    seed_words : dict
        Theme → seed words and their terms (what a passage is centred on and highlights).
    facets : sequence of str
        Metadata columns carried (``source`` and the ``corpus.keep_columns``).
    freq : str
        ``time.freq``.
    n_docs, n_words : int
        Documents per theme and period; words per passage.
    min_share : float
        Documents with less of the theme are left out.

    Returns
    -------
    pandas.DataFrame
        ``theme, period, rank, doc_id, share, date, title, <facets>, passage, marks`` (``marks``:
        the seed-word spans of the passage, as JSON ``[[start, end], …]``).
    """
    top = top_documents(doc_themes, list(seed_words), freq, n_docs, min_share)
    columns = ["doc_id", "date", "title", "text", *facets]
    table = top.merge(documents[columns], on="doc_id", how="left")
    table["date"] = pd.to_datetime(table["date"]).dt.strftime("%Y-%m-%d")
    table["title"] = table["title"].fillna("").astype(str)
    for facet in facets:
        table[facet] = table[facet].astype("string").fillna("")
    forms = {theme: seed_forms(words) for theme, words in seed_words.items()}
    cut = [passage(text, forms[theme], n_words) for theme, text in zip(table["theme"], table["text"])]
    table["passage"] = [text for text, _ in cut]
    table["marks"] = [str(marks).replace(" ", "") for _, marks in cut]
    return table.drop(columns="text")
