"""Evaluate stage: quality measures of every model of the grid, in one job.

Measures per model: NPMI and c_v coherence on the training texts and UMass on the training
bag-of-words (all three with :class:`gensim.models.CoherenceModel`, each topic's ``top_n``
terms), held-out per-word perplexity, and topic diversity (share of unique words among all
topics' top 25).

The sliding-window counts behind NPMI (window 10) and c_v (window 110) are the expensive part.
Instead of one pass over the texts per model, the grid's topics are scored together: a single
``CoherenceModel`` holds every topic of every model, so each window statistic is accumulated
once for the union of their top words (``processes`` = the rule's threads), and each topic's
coherence depends only on its own words, so the numbers are the ones a per-model
``CoherenceModel`` gives.

Example
-------
>>> topic_diversity([["a", "b"], ["b", "c"]])
0.75
"""


import logging
import time

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary, MmCorpus
from gensim.models import CoherenceModel, LdaModel

logger = logging.getLogger(__name__)

COHERENCE_MEASURES = {"npmi": "c_npmi", "c_v": "c_v", "umass": "u_mass"}
DIVERSITY_TOP_N = 25


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


def top_terms(topic_term: np.ndarray, dictionary: Dictionary, top_n: int) -> list[list[str]]:
    """Each topic's ``top_n`` heaviest terms (ties broken by the smaller term id).

    >>> d = Dictionary([["a", "b", "c"]])
    >>> top_terms(np.array([[0.1, 0.6, 0.3]]), d, 2)
    [['b', 'c']]
    """
    order = np.argsort(-np.asarray(topic_term), axis=1, kind="stable")[:, :top_n]
    return [[dictionary[int(i)] for i in row] for row in order]


def coherence_per_topic(topics: list[list[str]], texts, dictionary: Dictionary, measure: str,
                        corpus=None, threads: int = 1) -> np.ndarray:
    """Coherence of every topic under one gensim measure, with one pass over the texts.

    Parameters
    ----------
    topics : list of list of str
        Top terms of every topic to score (may come from many models).
    texts : list of list of str
        Tokenized training documents (for the sliding-window measures).
    dictionary : gensim.corpora.Dictionary
        Vocabulary.
    measure : str
        ``c_npmi``, ``c_v`` or ``u_mass``.
    corpus : iterable of list of (int, int), optional
        Training bag-of-words, used by ``u_mass``.
    threads : int
        Processes for the sliding-window counts (the counts, and so the result, do not depend
        on it).

    Returns
    -------
    numpy.ndarray
        One value per topic, in input order.

    Examples
    --------
    >>> texts = [["gol", "estadio", "torneo"], ["fentanilo", "sobredosis"]] * 5
    >>> d = Dictionary(texts)
    >>> coherence_per_topic([["gol", "estadio"], ["gol", "fentanilo"]], texts, d, "c_npmi").round(2).tolist()
    [1.0, -0.95]
    """
    window_based = measure != "u_mass"
    model = CoherenceModel(
        topics=topics,
        texts=texts if window_based else None,
        corpus=None if window_based else corpus,
        dictionary=dictionary,
        coherence=measure,
        topn=max(len(topic) for topic in topics),
        processes=max(int(threads), 1),
    )
    started = time.perf_counter()
    values = np.asarray(model.get_coherence_per_topic(), dtype=float)
    logger.info("%s for %d topics in %.1f s", measure, len(topics), time.perf_counter() - started)
    return values


def heldout_perplexity(model: LdaModel, heldout, seed: int = 0) -> float:
    """Per-word perplexity ``2 ** -bound`` on held-out documents (NaN when there are none).

    The variational initialisation is seeded so the value is repeatable.
    """
    heldout = [bow for bow in heldout]
    if not any(heldout):
        return float("nan")
    model.random_state = np.random.RandomState(seed)
    return float(np.exp2(-model.log_perplexity(heldout)))


def score_grid(models: dict, dictionary: Dictionary, texts, train, heldout, top_n: int,
               threads: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All measures of every model of the grid.

    Parameters
    ----------
    models : dict
        ``(k, seed)`` → fitted :class:`gensim.models.LdaModel`.
    dictionary : gensim.corpora.Dictionary
        Vocabulary.
    texts : list of list of str
        Tokenized training documents.
    train, heldout : iterable of list of (int, int)
        Training and held-out bag-of-words.
    top_n : int
        Top terms per topic for the coherence measures.
    threads : int
        Processes for the sliding-window counts.

    Returns
    -------
    per_model : pandas.DataFrame
        ``k, seed, npmi, c_v, umass, perplexity, diversity`` (coherences are topic means).
    per_topic : pandas.DataFrame
        ``k, seed, topic, npmi, c_v, umass``.
    """
    keys = sorted(models)
    topic_term = {key: models[key].get_topics() for key in keys}
    topics = [terms for key in keys for terms in top_terms(topic_term[key], dictionary, top_n)]
    per_topic = pd.DataFrame(
        [(k, seed, topic) for k, seed in keys for topic in range(topic_term[(k, seed)].shape[0])],
        columns=["k", "seed", "topic"],
    )
    for name, measure in COHERENCE_MEASURES.items():
        per_topic[name] = coherence_per_topic(topics, texts, dictionary, measure, corpus=train, threads=threads)
    heldout = list(heldout)
    rows = []
    for k, seed in keys:
        rows.append({
            "k": k,
            "seed": seed,
            "perplexity": heldout_perplexity(models[(k, seed)], heldout, seed),
            "diversity": topic_diversity(top_terms(topic_term[(k, seed)], dictionary, DIVERSITY_TOP_N)),
        })
    coherence = per_topic.groupby(["k", "seed"])[list(COHERENCE_MEASURES)].mean().reset_index()
    per_model = coherence.merge(pd.DataFrame(rows), on=["k", "seed"])
    return per_model.round(10), per_topic.round(10)


def run_score_models(smk) -> None:
    """Snakemake entry point: ``model_scores.csv`` and ``topic_coherence.csv`` for the grid."""
    dictionary = Dictionary.load(smk.input.dictionary)
    models = {(entry["k"], entry["seed"]): LdaModel.load(entry["model"]) for entry in smk.params.models}
    tokens = pd.read_parquet(smk.input.tokens, columns=["split", "tokens"])
    texts = [list(t) for t in tokens.loc[tokens["split"] == "train", "tokens"]]
    logger.info("scoring %d models on %d training texts with %d threads", len(models), len(texts), smk.threads)
    per_model, per_topic = score_grid(
        models, dictionary, texts, MmCorpus(smk.input.train), MmCorpus(smk.input.heldout),
        top_n=smk.params.top_n, threads=smk.threads,
    )
    per_model.to_csv(smk.output.scores, index=False)
    per_topic.to_csv(smk.output.topic_coherence, index=False)

