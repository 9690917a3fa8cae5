"""Describe each topic of the chosen model: a label guess from its top terms, and its typical documents.

The label is the topic's three most *relevant* terms (Sievert & Shirley's relevance with
``lambda = 0.6``: frequent in the topic and rarer elsewhere), so a topic is not named after a word
every topic shares. Representative documents are those with the largest share of the topic.

From the chosen model's full topic-word matrix (:func:`distinctive_terms`, see
:mod:`distinctiveness`) each topic also gets its FREX terms (frequent in the topic *and*
exclusive to it, stm's ``labelTopics``), its most relevant terms over the whole vocabulary, and
its exclusivity (mean share of its top words' weight that no other topic holds).

Example
-------
>>> terms = pd.DataFrame({"topic": [0, 0, 0, 1, 1, 1], "rank": [1, 2, 3, 1, 2, 3],
...     "term": ["gobierno", "fentanilo", "opioide", "gobierno", "gol", "estadio"],
...     "weight": [0.1, 0.09, 0.08, 0.1, 0.09, 0.08]})
>>> label_guesses(terms, n_label=2)["label"].tolist()
['fentanilo / opioide', 'gol / estadio']
"""


import logging

import json

import numpy as np
import pandas as pd

from scripts.model.distinctiveness import (
    FREX_WEIGHT, RELEVANCE_LAMBDA, frex_matrix, marginal_term_probability, relevance_matrix, top_ids,
    topic_exclusivity,
)
from scripts.text.display import pretty_term, read_surface_forms, surface_term

logger = logging.getLogger(__name__)


def label_guesses(
    topic_terms: pd.DataFrame,
    sizes: pd.DataFrame | None = None,
    n_label: int = 3,
    n_terms: int = 10,
    relevance_lambda: float = 0.6,
    term_probability: pd.Series | None = None,
    forms: dict[str, str] | None = None,
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
    term_probability : pandas.Series, optional
        Term → marginal probability from the full topic-word matrix
        (:func:`distinctiveness.marginal_term_probability`); without it, it is estimated from the
        top-terms table alone (terms outside a topic's table count as weight 0 there).
    forms : dict of str to str, optional
        Term → surface form (``surface_forms.csv``, :func:`scripts.text.display.read_surface_forms`)
        for the display columns.

    Returns
    -------
    pandas.DataFrame
        ``topic, share, label, top_terms, label_display, terms_display`` sorted by topic: the
        label and terms as lemmas with spaces, and as the corpus writes them
        (:func:`scripts.text.display.surface_term`: "crisis de opioides", "Chivas").
    """
    topics = sorted(topic_terms["topic"].unique())
    shares = {topic: 1.0 / len(topics) for topic in topics}
    if sizes is not None and len(sizes):
        shares.update(dict(zip(sizes["topic"], sizes["share"])))
    matrix = topic_terms.pivot_table(index="topic", columns="term", values="weight", aggfunc="sum", fill_value=0.0)
    share_vector = np.array([shares[topic] for topic in matrix.index])
    share_vector = share_vector / share_vector.sum() if share_vector.sum() > 0 else share_vector
    corpus_term = pd.Series(share_vector @ matrix.to_numpy(), index=matrix.columns)
    if term_probability is not None:
        corpus_term = term_probability.reindex(matrix.columns).fillna(corpus_term)
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
        label_terms = chosen[:1] + [t for t in terms["term"] if t in chosen[1:]]
        top_terms = terms["term"].head(n_terms).tolist()
        rows.append(
            {
                "topic": int(topic),
                "share": float(shares[topic]),
                "label": " / ".join(pretty_term(t) for t in label_terms),
                "top_terms": ", ".join(pretty_term(t) for t in top_terms),
                "label_display": " / ".join(surface_term(t, forms) for t in label_terms),
                "terms_display": ", ".join(surface_term(t, forms) for t in top_terms),
            }
        )
    return pd.DataFrame(rows, columns=["topic", "share", "label", "top_terms", "label_display", "terms_display"])


def distinctive_terms(
    topic_term,
    terms,
    shares=None,
    n_terms: int = 10,
    *,
    top_n: int,
    frex_weight: float = FREX_WEIGHT,
    relevance_lambda: float = RELEVANCE_LAMBDA,
    forms: dict[str, str] | None = None,
) -> pd.DataFrame:
    """FREX terms, relevant terms and exclusivity of every topic, from the full topic-word matrix.

    Parameters
    ----------
    topic_term : array_like
        ``(K, V)`` topic-word distributions (``model.get_topics()``).
    terms : sequence of str
        The ``V`` terms, by id.
    shares : array_like, optional
        Mean share of each topic in the corpus; weights the marginal term probability of the
        relevance (uniform when omitted).
    n_terms : int
        Terms listed in ``frex_terms`` and ``relevance_terms``.
    top_n : int
        Top words whose exclusivity is averaged.
    frex_weight : float
        stm's ``frexweight``: weight of the frequency rank in FREX.
    relevance_lambda : float
        LDAvis ``lambda``.
    forms : dict of str to str, optional
        Term → surface form, for ``frex_display`` and ``relevance_display``.

    Returns
    -------
    pandas.DataFrame
        ``topic, frex_terms, relevance_terms, exclusivity, frex_display, relevance_display``
        (terms comma-separated, phrases written with spaces; the display columns as the corpus
        writes the terms).

    Examples
    --------
    >>> phi = np.array([[0.5, 0.3, 0.2], [0.1, 0.3, 0.6]])
    >>> distinctive_terms(phi, ["gol", "gobierno", "fentanilo"], n_terms=1, top_n=1).values.tolist()
    [[0, 'gol', 'gol', 0.8333333333, 'gol', 'gol'], [1, 'fentanilo', 'fentanilo', 0.75, 'fentanilo', 'fentanilo']]
    """
    phi = np.asarray(topic_term, dtype=np.float64)
    terms = list(terms)
    frex = top_ids(frex_matrix(phi, frex_weight), n_terms)
    relevance = top_ids(relevance_matrix(phi, marginal_term_probability(phi, shares), relevance_lambda), n_terms)
    exclusivity = topic_exclusivity(phi, top_n)
    return pd.DataFrame(
        {
            "topic": np.arange(len(phi)),
            "frex_terms": [", ".join(pretty_term(terms[i]) for i in row) for row in frex],
            "relevance_terms": [", ".join(pretty_term(terms[i]) for i in row) for row in relevance],
            "exclusivity": np.round(exclusivity, 10),
            "frex_display": [", ".join(surface_term(terms[i], forms) for i in row) for row in frex],
            "relevance_display": [", ".join(surface_term(terms[i], forms) for i in row) for row in relevance],
        }
    )


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
    from gensim.models import LdaModel

    topic_terms = pd.read_csv(smk.input.topic_terms)
    sizes = pd.read_csv(smk.input.topic_sizes)
    with open(smk.input.selection, encoding="utf-8") as handle:
        selection = json.load(handle)
    chosen = next(entry for entry in smk.params.models if (entry["k"], entry["seed"]) == (selection["k"], selection["seed"]))
    model = LdaModel.load(chosen["model"])
    phi = model.get_topics()
    vocabulary = [model.id2word[i] for i in range(phi.shape[1])]
    shares = sizes.set_index("topic")["share"].reindex(range(len(phi))).fillna(0.0).to_numpy()
    shares = shares if shares.sum() > 0 else None
    term_probability = pd.Series(marginal_term_probability(phi, shares), index=vocabulary)
    forms = read_surface_forms(smk.input.surface_forms)
    labels = label_guesses(topic_terms, sizes, term_probability=term_probability, forms=forms)
    labels["share"] = labels["share"].round(10)
    distinctive = distinctive_terms(phi, vocabulary, shares, top_n=smk.params.top_n, forms=forms)
    labels = labels.merge(distinctive, on="topic", how="left")
    columns = [c for c in labels.columns if not c.endswith("_display")]  # the former columns first, in order
    labels = labels[columns + [c for c in labels.columns if c.endswith("_display")]]
    labels.to_csv(smk.output.topics, index=False)
    doc_topics = pd.read_parquet(smk.input.doc_topics)
    documents = pd.read_parquet(smk.input.documents, columns=["doc_id", "date", "title"])
    untitled = documents["title"].fillna("").astype(str).str.strip() == ""
    if untitled.any():  # e.g. speaker turns: show the opening words instead of a title
        texts = pd.read_parquet(smk.input.documents, columns=["doc_id", "text"]).set_index("doc_id")["text"]
        documents.loc[untitled, "title"] = documents.loc[untitled, "doc_id"].map(texts).map(opening_words)
    representative_documents(doc_topics, documents).to_csv(smk.output.documents, index=False)
    logger.info("described %d topics", len(labels))

