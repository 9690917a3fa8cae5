"""Evaluate stage: quality measures of one fitted model.

Measures (one row per model): NPMI and c_v coherence on the training texts
(:class:`gensim.models.CoherenceModel`), UMass coherence on the training bag-of-words, held-out
per-word perplexity, and topic diversity (share of unique words among all topics' top 25).

Example
-------
>>> topic_diversity([["a", "b"], ["b", "c"]])
0.75
"""


import json
import logging

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary, MmCorpus
from gensim.models import CoherenceModel, LdaModel

logger = logging.getLogger(__name__)


def topic_diversity(top_terms: list[list[str]]) -> float:
    """Share of unique words among all topics' top terms (1 = no word shared).

    Parameters
    ----------
    top_terms : list of list of str
        Each topic's top words (usually 25).

    Returns
    -------
    float
    """
    total = sum(len(terms) for terms in top_terms)
    return len({t for terms in top_terms for t in terms}) / total if total else float("nan")


def coherence(topics: list[list[str]], texts, dictionary: Dictionary, measure: str, corpus=None, threads: int = 1) -> float:
    """Mean coherence of ``topics`` under ``measure`` (``c_npmi``, ``c_v`` or ``u_mass``).

    Parameters
    ----------
    topics : list of list of str
        Top terms per topic.
    texts : list of list of str
        Tokenized training documents (for sliding-window measures).
    dictionary : gensim.corpora.Dictionary
        Vocabulary.
    measure : str
        gensim coherence name.
    corpus : iterable, optional
        Bag-of-words, used by ``u_mass``.
    threads : int
        Processes for the window-based measures.

    Returns
    -------
    float
    """
    model = CoherenceModel(
        topics=topics,
        texts=None if measure == "u_mass" else texts,
        corpus=corpus if measure == "u_mass" else None,
        dictionary=dictionary,
        coherence=measure,
        processes=max(threads, 1),
    )
    per_topic = np.asarray(model.get_coherence_per_topic(), dtype=float)
    return float(np.nanmean(per_topic))


def heldout_perplexity(model: LdaModel, heldout) -> float:
    """Per-word perplexity ``2 ** -bound`` on held-out documents (NaN when there are none)."""
    heldout = list(heldout)
    if not heldout or not any(heldout):
        return float("nan")
    return float(np.exp2(-model.log_perplexity(heldout)))


def score_model(model: LdaModel, dictionary: Dictionary, texts, train, heldout, top_n: int, threads: int = 1) -> dict:
    """All measures of one model as a flat dict (rounded to 10 decimals for stable tables)."""
    topic_term = model.get_topics()
    top_ids = np.argsort(-topic_term, axis=1, kind="stable")
    topics = [[dictionary[int(i)] for i in row[:top_n]] for row in top_ids]
    top25 = [[dictionary[int(i)] for i in row[:25]] for row in top_ids]
    scores = {
        "npmi": coherence(topics, texts, dictionary, "c_npmi", threads=threads),
        "c_v": coherence(topics, texts, dictionary, "c_v", threads=threads),
        "umass": coherence(topics, texts, dictionary, "u_mass", corpus=train),
        "perplexity": heldout_perplexity(model, heldout),
        "diversity": topic_diversity(top25),
    }
    return {name: round(value, 10) for name, value in scores.items()}


def main(smk) -> None:
    """Snakemake entry point: write one JSON row of measures."""
    model = LdaModel.load(smk.input.model)
    dictionary = Dictionary.load(smk.input.dictionary)
    tokens = pd.read_parquet(smk.input.tokens, columns=["split", "tokens"])
    texts = [list(t) for t in tokens.loc[tokens["split"] == "train", "tokens"]]
    scores = score_model(
        model, dictionary, texts, MmCorpus(smk.input.train), MmCorpus(smk.input.heldout),
        top_n=smk.params.top_n, threads=smk.threads,
    )
    row = {"k": int(smk.wildcards.k), "seed": int(smk.wildcards.seed), **scores}
    logger.info("scores %s", row)
    with open(smk.output.scores, "w", encoding="utf-8") as handle:
        json.dump(row, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__" and "snakemake" in globals():
    from stage_logging import run_stage

    run_stage(main, globals()["snakemake"])
