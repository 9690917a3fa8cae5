"""Describe each topic of the chosen model: a label guess from its top terms, and its typical documents.

The label is the topic's three most *relevant* terms (Sievert & Shirley's relevance with
``lambda = 0.6``: frequent in the topic and rarer elsewhere), so a topic is not named after a word
every topic shares. Representative documents are those with the largest share of the topic.

Example
-------
>>> terms = pd.DataFrame({"topic": [0, 0, 0, 1, 1, 1], "rank": [1, 2, 3, 1, 2, 3],
...     "term": ["gobierno", "fentanilo", "opioide", "gobierno", "gol", "estadio"],
...     "weight": [0.1, 0.09, 0.08, 0.1, 0.09, 0.08]})
>>> label_guesses(terms, n_label=2)["label"].tolist()
['fentanilo / opioide', 'gol / estadio']
"""


import logging

import numpy as np
import pandas as pd

from scripts.text.display import pretty_term

logger = logging.getLogger(__name__)


def label_guesses(
    topic_terms: pd.DataFrame,
    sizes: pd.DataFrame | None = None,
    n_label: int = 3,
    n_terms: int = 10,
    relevance_lambda: float = 0.6,
) -> pd.DataFrame:
    """A short label per topic from its most relevant top terms.

    Parameters
    ----------
    topic_terms : pandas.DataFrame
        ``topic, rank, term, weight`` (top terms of each topic).
    sizes : pandas.DataFrame, optional
        ``topic, share``: topic sizes weight the corpus-wide term probability.
    n_label : int
        Terms in the label.
    n_terms : int
        Terms listed in ``top_terms``.
    relevance_lambda : float
        1 ranks by weight alone; lower values favour terms specific to the topic.

    Returns
    -------
    pandas.DataFrame
        ``topic, share, label, top_terms`` sorted by topic.
    """
    topics = sorted(topic_terms["topic"].unique())
    shares = {topic: 1.0 / len(topics) for topic in topics}
    if sizes is not None and len(sizes):
        shares.update(dict(zip(sizes["topic"], sizes["share"])))
    matrix = topic_terms.pivot_table(index="topic", columns="term", values="weight", aggfunc="sum", fill_value=0.0)
    share_vector = np.array([shares[topic] for topic in matrix.index])
    share_vector = share_vector / share_vector.sum() if share_vector.sum() > 0 else share_vector
    corpus_term = pd.Series(share_vector @ matrix.to_numpy(), index=matrix.columns)
    rows = []
    for topic in topics:
        terms = topic_terms[topic_terms["topic"] == topic].sort_values(["rank", "term"]).head(n_terms)
        weight = terms["weight"].clip(lower=1e-12).to_numpy()
        relevance = relevance_lambda * np.log(weight) + (1 - relevance_lambda) * np.log(
            weight / corpus_term[terms["term"]].clip(lower=1e-12).to_numpy()
        )
        ranked = terms.assign(relevance=relevance).sort_values(["relevance", "rank"], ascending=[False, True])
        # the most relevant term leads, then the next most relevant in the topic's own order
        chosen = ranked["term"].head(n_label).tolist()
        rows.append(
            {
                "topic": int(topic),
                "share": float(shares[topic]),
                "label": " / ".join(pretty_term(t) for t in chosen[:1] + [t for t in terms["term"] if t in chosen[1:]]),
                "top_terms": ", ".join(pretty_term(t) for t in terms["term"].head(n_terms)),
            }
        )
    return pd.DataFrame(rows, columns=["topic", "share", "label", "top_terms"])


def representative_documents(doc_topics: pd.DataFrame, documents: pd.DataFrame, n_docs: int = 3) -> pd.DataFrame:
    """The ``n_docs`` documents with the largest share of each topic (one per distinct title).

    Parameters
    ----------
    doc_topics : pandas.DataFrame
        ``doc_id`` and ``topic_0 … topic_{K-1}``.
    documents : pandas.DataFrame
        ``doc_id, date, title``.

    Returns
    -------
    pandas.DataFrame
        ``topic, rank, doc_id, date, title, weight``.
    """
    topic_columns = [c for c in doc_topics.columns if c.startswith("topic_")]
    meta = documents[["doc_id", "date", "title"]].copy()
    meta["date"] = pd.to_datetime(meta["date"]).dt.strftime("%Y-%m-%d")
    meta["title"] = meta["title"].fillna("").astype(str).str.strip()
    merged = doc_topics[["doc_id", *topic_columns]].merge(meta, on="doc_id", how="inner")
    rows = []
    for column in sorted(topic_columns, key=lambda c: int(c.split("_")[1])):
        ranked = merged.sort_values([column, "doc_id"], ascending=[False, True])
        ranked = ranked[ranked["title"] != ""].drop_duplicates("title")
        for rank, row in enumerate(ranked.head(n_docs).itertuples(), start=1):
            rows.append(
                {
                    "topic": int(column.split("_")[1]),
                    "rank": rank,
                    "doc_id": row.doc_id,
                    "date": row.date,
                    "title": row.title,
                    "weight": round(float(getattr(row, column)), 10),
                }
            )
    return pd.DataFrame(rows, columns=["topic", "rank", "doc_id", "date", "title", "weight"])


def opening_words(text, n_words: int = 14) -> str:
    """The first ``n_words`` words of a text, marked as an excerpt.

    >>> opening_words("uno dos tres cuatro", n_words=2)
    '«uno dos…»'
    """
    words = str(text or "").split()
    return f"«{' '.join(words[:n_words])}{'…' if len(words) > n_words else ''}»" if words else ""


def run_describe_topics(smk) -> None:
    """Snakemake entry point of ``describe_topics``."""
    topic_terms = pd.read_csv(smk.input.topic_terms)
    sizes = pd.read_csv(smk.input.topic_sizes)
    labels = label_guesses(topic_terms, sizes)
    labels["share"] = labels["share"].round(10)
    labels.to_csv(smk.output.topics, index=False)
    doc_topics = pd.read_parquet(smk.input.doc_topics)
    documents = pd.read_parquet(smk.input.documents, columns=["doc_id", "date", "title"])
    untitled = documents["title"].fillna("").astype(str).str.strip() == ""
    if untitled.any():  # e.g. speaker turns: show the opening words instead of a title
        texts = pd.read_parquet(smk.input.documents, columns=["doc_id", "text"]).set_index("doc_id")["text"]
        documents.loc[untitled, "title"] = documents.loc[untitled, "doc_id"].map(texts).map(opening_words)
    representative_documents(doc_topics, documents).to_csv(smk.output.documents, index=False)
    logger.info("described %d topics", len(labels))

