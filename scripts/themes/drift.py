"""Vocabulary drift: the terms that carry each theme in each period.

Each occurrence of term ``w`` in document ``d`` is shared among the topics in proportion to
``doc_topic[d, k] × topic_term[k, w]`` (its posterior topic responsibility), and the topics'
parts are given to the themes by the link weights. Summed over a period's documents, this is
the number of the period's tokens of ``w`` that the theme accounts for: topic-term weights times
the period's actual term use. ``weight`` is that count as a share of all the theme's tokens in
the period, so the top terms of a period read as "what the theme was made of then".

Example
-------
>>> doc_topic = np.array([[1.0, 0.0], [0.0, 1.0]])
>>> topic_term = np.array([[0.9, 0.1], [0.1, 0.9]])
>>> counts = sparse.csr_matrix(np.array([[3, 1], [0, 2]]))
>>> carried = theme_term_counts(counts, doc_topic, topic_term, np.array([[1.0], [0.0]]), np.array([0, 1]), 2)
>>> carried[0].toarray().round(2).tolist()
[[3.0, 1.0], [0.0, 0.0]]
"""


import logging

import numpy as np
import pandas as pd
from scipy import sparse

logger = logging.getLogger(__name__)

DRIFT_COLUMNS = ["theme", "period", "rank", "term", "weight"]
NNZ_BLOCK = 250_000


def count_matrix(token_lists, token2id: dict, block: int = 20_000) -> sparse.csr_matrix:
    """Documents × vocabulary term counts from token lists (terms outside the vocabulary skipped).

    Built ``block`` documents at a time, so memory stays near the size of the sparse result.

    Example
    -------
    >>> count_matrix([["a", "b", "a"], ["c"]], {"a": 0, "b": 1}).toarray().tolist()
    [[2, 1], [0, 0]]
    """
    token_lists = list(token_lists)
    blocks = []
    for start in range(0, max(len(token_lists), 1), block):
        rows, cols = [], []
        chunk = token_lists[start:start + block]
        for row, tokens in enumerate(chunk):
            ids = [token2id[t] for t in tokens if t in token2id]
            rows.extend([row] * len(ids))
            cols.extend(ids)
        data = np.ones(len(rows), dtype=np.int32)
        blocks.append(sparse.coo_matrix((data, (rows, cols)), shape=(len(chunk), len(token2id))).tocsr())
    return sparse.vstack(blocks, format="csr")


def theme_term_counts(
    counts: sparse.csr_matrix,
    doc_topic: np.ndarray,
    topic_term: np.ndarray,
    weights: np.ndarray,
    doc_period: np.ndarray,
    n_periods: int,
) -> list:
    """Tokens of each term that each theme accounts for, per period.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix
        ``(n_documents, V)`` term counts.
    doc_topic : numpy.ndarray
        ``(n_documents, K)`` topic proportions.
    topic_term : numpy.ndarray
        ``(K, V)`` topic-term distributions.
    weights : numpy.ndarray
        ``(K, n_themes)`` link weights.
    doc_period : numpy.ndarray
        Period index of each document (``0 … n_periods - 1``).
    n_periods : int

    Returns
    -------
    list of scipy.sparse.csr_matrix
        One ``(n_periods, V)`` matrix per theme.
    """
    coo = counts.tocoo()
    n_themes = weights.shape[1]
    carried = [sparse.csr_matrix((n_periods, counts.shape[1])) for _ in range(n_themes)]
    for start in range(0, coo.nnz, NNZ_BLOCK):
        rows = coo.row[start:start + NNZ_BLOCK]
        cols = coo.col[start:start + NNZ_BLOCK]
        joint = doc_topic[rows] * topic_term[:, cols].T
        responsibility = (joint @ weights) / np.maximum(joint.sum(axis=1, keepdims=True), 1e-300)
        values = coo.data[start:start + NNZ_BLOCK, None] * responsibility
        for theme in range(n_themes):
            block = sparse.coo_matrix((values[:, theme], (doc_period[rows], cols)), shape=carried[theme].shape)
            carried[theme] = carried[theme] + block.tocsr()
    return carried


def drift_table(carried: list, themes: list, periods: list, id2term: dict, top_n: int) -> pd.DataFrame:
    """Top ``top_n`` terms of each theme in each period: ``theme, period, rank, term, weight``.

    Parameters
    ----------
    carried : list of scipy.sparse.csr_matrix
        Output of :func:`theme_term_counts`.
    themes : list of str
        Theme names, in the order of ``carried``.
    periods : list of str
        ISO first day of each period, in index order.
    id2term : dict
        Vocabulary id → term.
    top_n : int
        Terms per theme and period.

    Returns
    -------
    pandas.DataFrame
        ``weight`` is the term's share of the theme's tokens in the period.
    """
    rows = []
    for theme, matrix in zip(themes, carried):
        matrix = matrix.tocsr()
        for p, period in enumerate(periods):
            row = matrix.getrow(p)
            total = row.sum()
            if total <= 0:
                continue
            order = np.lexsort((row.indices, -row.data))[:top_n]
            for rank, position in enumerate(order, start=1):
                term_id = int(row.indices[position])
                rows.append((theme, period, rank, id2term[term_id], round(float(row.data[position] / total), 10)))
    table = pd.DataFrame(rows, columns=DRIFT_COLUMNS)
    return table.sort_values(["theme", "period", "rank"]).reset_index(drop=True)
