"""Topic and theme shares of new documents under the frozen models, and the curves they extend.

Every seed model of the chosen K scores the new documents (gensim's inference with the seed the
fit used, as ``fit_lda`` does for the fit period), so the new periods' intervals carry model
uncertainty as the old ones do. Theme shares are the fit period's method
(:func:`scripts.themes.shares.guided_shares`) with the fit period's own inputs: the expanded
lexicon of the fit documents and each model's topic shares over the fit documents, so a new
document is split by the same rule and the same weights as an old one. Only the new documents'
counts and topic shares are new.

:func:`append_curves` writes the fit period's rows of ``results/themes/prevalence.csv`` as they
are (the text of each line, not re-formatted numbers) with ``,fit`` appended, and the new periods'
rows with ``,monitor``, ordered by theme and period.

Example
-------
>>> old = "period,theme,prevalence\\n2024-01-01,a,0.1\\n"
>>> new = pd.DataFrame({"period": ["2024-02-01"], "theme": ["a"], "prevalence": [0.25]})
>>> print(append_curves(old, new), end="")
period,theme,prevalence,source
2024-01-01,a,0.1,fit
2024-02-01,a,0.25,monitor
"""

import io
import logging

import numpy as np
import pandas as pd

from scripts.model.fit import document_topics
from scripts.themes.drift import count_matrix
from scripts.themes.shares import expanded_lexicon, guided_shares

logger = logging.getLogger(__name__)


def topic_columns(doc_topics: pd.DataFrame) -> list:
    """The ``topic_<k>`` columns of a ``doc_topics.parquet`` table."""
    return [column for column in doc_topics.columns if column.startswith("topic_")]


def fit_inputs(tokens: pd.DataFrame, token2id: dict, term_ids: dict, themes: list) -> dict:
    """What the fit period's theme shares were computed from: kept rows, token weights, lexicon.

    As in :func:`scripts.themes.pipeline.run_track_themes`: documents without tokens are left out,
    each document weighs its share of the tokens, the lexicon is the fit corpus's.
    """
    n_tokens = tokens["tokens"].map(len).to_numpy()
    keep = n_tokens > 0
    counts = count_matrix(tokens["tokens"].to_numpy()[keep], token2id)
    return {"keep": keep, "doc_weight": n_tokens[keep] / n_tokens[keep].sum(),
            "lexicon": expanded_lexicon(counts, term_ids, themes)}


def new_shares(model, fit_doc_topics: pd.DataFrame, seed: int, bows: list, counts, term_ids: dict, themes: list,
               fit: dict, min_relative: float) -> tuple:
    """``(doc_topic, shares)`` of the new documents under one frozen model.

    Parameters
    ----------
    model : gensim.models.LdaModel
        A fitted model of the chosen K.
    fit_doc_topics : pandas.DataFrame
        Its ``doc_topics.parquet`` (the fit period's topic shares, rounded as stored).
    seed : int
        Its seed (inference is seeded with it, as in ``fit_lda``).
    bows : list of list of (int, int)
        The new documents' bags of words.
    counts : scipy.sparse.csr_matrix
        Their term counts (rows as ``bows``).
    term_ids, themes, min_relative
        As in :func:`scripts.themes.shares.guided_shares`.
    fit : dict
        From :func:`fit_inputs`.
    """
    doc_topic = np.round(document_topics(model, bows, seed), 10)
    fit_doc_topic = fit_doc_topics[topic_columns(fit_doc_topics)].to_numpy()[fit["keep"]]
    topic_share = fit["doc_weight"] @ fit_doc_topic
    shares = guided_shares(counts, doc_topic, model.get_topics(), term_ids, themes, topic_share, min_relative,
                           weights=fit["lexicon"])
    return doc_topic, shares


def append_curves(old_text: str, new: pd.DataFrame) -> str:
    """The fit curves' CSV text with ``source`` added and the new rows merged in (see module doc).

    Parameters
    ----------
    old_text : str
        ``results/themes/prevalence.csv`` as written by ``track_themes``.
    new : pandas.DataFrame
        The new periods' rows (the same columns, e.g. from :func:`scripts.themes.prevalence.prevalence_table`).
    """
    lines = old_text.splitlines()
    header, old_lines = lines[0], lines[1:]
    columns = header.split(",")
    missing = [column for column in columns if column not in new.columns]
    if missing:
        raise ValueError(f"new rows lack column(s) {missing}")
    buffer = io.StringIO()
    new[columns].to_csv(buffer, index=False, header=False, lineterminator="\n")
    new_lines = buffer.getvalue().splitlines()
    position = {name: columns.index(name) for name in ("period", "theme")}

    def key(line: str) -> tuple:
        fields = line.split(",")
        return fields[position["theme"]], fields[position["period"]]

    rows = [(key(line), line + ",fit") for line in old_lines] + [(key(line), line + ",monitor") for line in new_lines]
    rows.sort(key=lambda row: row[0])
    return "\n".join([header + ",source", *[line for _, line in rows]]) + "\n"
