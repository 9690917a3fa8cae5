"""Evaluate stage: quality measures of every model of the grid, in one job.

Measures per model: NPMI and c_v coherence on the training texts and UMass on the training
bag-of-words (all three with :class:`gensim.models.CoherenceModel`, each topic's ``top_n``
terms), held-out per-word perplexity by document completion (:func:`heldout_perplexity`),
topic diversity (share of unique words among all topics' top 25) and exclusivity (mean share
of a top word's weight held by its topic, :mod:`distinctiveness`).

The sliding-window counts behind NPMI (window 10) and c_v (window 110) are the expensive part.
Instead of one pass over the texts per model, the grid's topics are scored together: a single
``CoherenceModel`` holds every topic of every model, so each window statistic is counted once
for the union of their top words, and each topic's coherence depends only on its own words, so
the numbers are the ones a per-model ``CoherenceModel`` gives. The counts themselves come from
:mod:`scripts.model.cooccurrence` (gensim's counts, one matrix product per text instead of a
Python loop per window: one process, seconds instead of minutes on jornada).

Example
-------
>>> topic_diversity([["a", "b"], ["b", "c"]])
0.75
"""


import logging
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
from gensim.corpora import Dictionary, MmCorpus
from gensim.models import CoherenceModel, LdaModel

from scripts.model.cooccurrence import coherence_accumulators, document_accumulator
from scripts.model.distinctiveness import topic_exclusivity
from scripts.model.estep import batched_inference

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
                        corpus=None) -> np.ndarray:
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
    return coherences_per_topic(topics, texts, dictionary, [measure], corpus)[measure]


def coherences_per_topic(topics: list[list[str]], texts, dictionary: Dictionary, measures, corpus=None) -> dict:
    """Coherence of every topic under several gensim measures, each count made once.

    The sliding-window counts of every window size come from one encoding of the texts
    (:func:`cooccurrence.coherence_accumulators`), the document counts of ``u_mass`` from one
    pass over ``corpus`` (:func:`cooccurrence.document_accumulator`); gensim's own confirmation
    measures turn them into coherences, so each value is the one a ``CoherenceModel`` of these
    topics gives.

    Parameters
    ----------
    topics : list of list of str
        Top terms of every topic to score (may come from many models).
    texts : list of list of str
        Tokenized training documents (for the sliding-window measures).
    dictionary : gensim.corpora.Dictionary
        Vocabulary.
    measures : iterable of str
        Among ``c_npmi``, ``c_v`` and ``u_mass``.
    corpus : iterable of list of (int, int), optional
        Training bag-of-words, used by ``u_mass``.

    Returns
    -------
    dict
        Measure → one value per topic (:class:`numpy.ndarray`), in input order.
    """
    relevant_ids = {dictionary.token2id[term] for topic in topics for term in topic}
    models = {
        measure: CoherenceModel(
            topics=topics,
            texts=texts if measure != "u_mass" else None,
            corpus=corpus if measure == "u_mass" else None,
            dictionary=dictionary,
            coherence=measure,
            topn=max(len(topic) for topic in topics),
            processes=1,
        )
        for measure in measures
    }
    started = time.perf_counter()
    windows = {model.window_size for measure, model in models.items() if measure != "u_mass"}
    accumulators = coherence_accumulators(texts, relevant_ids, dictionary, sorted(windows)) if windows else {}
    if "u_mass" in models:
        accumulators["u_mass"] = document_accumulator(corpus, relevant_ids, dictionary)
    logger.info("counts for %s in %.1f s", ", ".join(models), time.perf_counter() - started)
    values = {}
    for measure, model in models.items():
        started = time.perf_counter()
        model._accumulator = accumulators["u_mass" if measure == "u_mass" else model.window_size]
        values[measure] = np.asarray(model.get_coherence_per_topic(), dtype=float)
        logger.info("%s for %d topics in %.1f s", measure, len(topics), time.perf_counter() - started)
    return values


def split_document(bow, rng: np.random.Generator) -> tuple[list, list]:
    """Split one document's tokens at random into an observed and an evaluated half.

    The tokens are expanded from the bag of words, shuffled, and the first ``n // 2`` form the
    observed half (a one-token document has nothing to complete: both halves come back empty).

    Parameters
    ----------
    bow : list of (int, int)
        The document's bag of words.
    rng : numpy.random.Generator
        Source of the shuffle.

    Returns
    -------
    observed, evaluated : list of (int, int)
        Bags of words of the two halves (sorted by term id).

    Examples
    --------
    >>> observed, evaluated = split_document([(0, 2), (3, 2)], np.random.default_rng(0))
    >>> sum(c for _, c in observed), sum(c for _, c in evaluated)
    (2, 2)
    """
    tokens = np.repeat([int(i) for i, _ in bow], [int(c) for _, c in bow]) if bow else np.array([], dtype=int)
    if len(tokens) < 2:
        return [], []
    tokens = rng.permutation(tokens)
    half = len(tokens) // 2

    def counts(part):
        ids, n = np.unique(part, return_counts=True)
        return [(int(i), int(c)) for i, c in zip(ids, n)]

    return counts(tokens[:half]), counts(tokens[half:])


def completion_log_likelihood(theta, topic_term, bows) -> tuple[float, int]:
    """Log-likelihood of held-out tokens given their documents' topic shares and the topics.

    ``sum_d sum_{w in d} n_dw log(sum_k theta_dk phi_kw)`` (natural log).

    Parameters
    ----------
    theta : array_like
        ``(D, K)`` topic shares of each document (rows sum to 1).
    topic_term : array_like
        ``(K, V)`` topic-word distributions ``phi`` (rows are normalised).
    bows : list of list of (int, int)
        The ``D`` documents' evaluated tokens.

    Returns
    -------
    log_likelihood : float
    n_tokens : int

    Examples
    --------
    >>> completion_log_likelihood([[1.0, 0.0]], [[0.5, 0.5], [1.0, 0.0]], [[(0, 2)]])
    (-1.3862943611198906, 2)
    """
    theta = np.asarray(theta, dtype=np.float64)
    phi = np.asarray(topic_term, dtype=np.float64)
    phi = phi / phi.sum(axis=1, keepdims=True)
    total, n_tokens = 0.0, 0
    for d, bow in enumerate(bows):
        if not bow:
            continue
        ids = np.array([i for i, _ in bow], dtype=int)
        counts = np.array([c for _, c in bow], dtype=np.float64)
        word_probability = theta[d] @ phi[:, ids]
        total += float(counts @ np.log(np.maximum(word_probability, 1e-300)))
        n_tokens += int(counts.sum())
    return total, n_tokens


def infer_theta(model: LdaModel, bows, seed: int = 0) -> np.ndarray:
    """Topic shares of documents under a fitted model (gensim's variational E-step, seeded and batched).

    Returns
    -------
    numpy.ndarray
        ``(D, K)``, rows normalised ``gamma`` (the posterior mean of theta).
    """
    if not bows:
        return np.zeros((0, model.num_topics))
    saved = model.random_state
    model.random_state = np.random.RandomState(seed)
    try:
        gamma, _ = batched_inference(model, list(bows))
    finally:
        model.random_state = saved
    return gamma / gamma.sum(axis=1, keepdims=True)


def heldout_perplexity(model: LdaModel, heldout, seed: int = 0, split_seed: int = 0) -> float:
    """Per-word perplexity of held-out documents by document completion (NaN when there are none).

    Each held-out document's tokens are split at random in two halves
    (:func:`split_document`); its topic shares are inferred from the first half and the second
    half is scored with ``exp(-sum log sum_k theta_dk phi_kw / n_tokens)``
    (:func:`completion_log_likelihood`), with ``phi`` the model's topics (``get_topics()``).
    This is the document-completion estimate of Wallach et al. (2009). Unlike gensim's
    ``log_perplexity`` bound without ``total_docs``, it does not divide the topic-word term of
    the bound by the held-out word count (which favours small K) and does not include the
    topic-word prior ``eta`` (which, for seeded models, sums a whole ``K x V`` prior), so
    every model of the grid, seeded or not, is scored on the same footing.

    Parameters
    ----------
    model : gensim.models.LdaModel
        Fitted model.
    heldout : iterable of list of (int, int)
        Held-out bags of words.
    seed : int
        Seeds the variational initialisation, so the value is repeatable.
    split_seed : int
        Seeds the split into halves; keep it fixed so every model of a grid is scored on the
        same tokens.

    Returns
    -------
    float
    """
    return completion_perplexity(model, split_heldout(heldout, split_seed), seed)


def split_heldout(heldout, split_seed: int = 0) -> list[tuple[list, list]]:
    """Held-out documents split in halves (:func:`split_document`), those with two non-empty halves.

    The split depends only on the documents and ``split_seed``, so a grid's models share it.

    Parameters
    ----------
    heldout : iterable of list of (int, int)
        Held-out bags of words.
    split_seed : int
        Seeds the split.

    Returns
    -------
    list of (observed, evaluated)
    """
    rng = np.random.default_rng(split_seed)
    halves = [split_document(bow, rng) for bow in heldout]
    return [(observed, evaluated) for observed, evaluated in halves if observed and evaluated]


def completion_perplexity(model: LdaModel, halves, seed: int = 0) -> float:
    """Per-word perplexity of the evaluated halves given the observed ones (see :func:`heldout_perplexity`).

    Parameters
    ----------
    model : gensim.models.LdaModel
        Fitted model.
    halves : list of (observed, evaluated)
        As :func:`split_heldout` returns them.
    seed : int
        Seeds the variational initialisation.

    Returns
    -------
    float
        NaN when there are no halves.
    """
    if not halves:
        return float("nan")
    theta = infer_theta(model, [observed for observed, _ in halves], seed)
    log_likelihood, n_tokens = completion_log_likelihood(theta, model.get_topics(), [e for _, e in halves])
    return float(np.exp(-log_likelihood / n_tokens))


def score_grid(models: dict, dictionary: Dictionary, texts, train, heldout,
               top_n: int, threads: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
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
        Models whose held-out perplexity is computed at the same time (each is seeded on its
        own, so the numbers do not depend on it).

    Returns
    -------
    per_model : pandas.DataFrame
        ``k, seed, npmi, c_v, umass, perplexity, diversity, exclusivity`` (coherences and
        exclusivity are topic means; perplexity by document completion, see
        :func:`heldout_perplexity`).
    per_topic : pandas.DataFrame
        ``k, seed, topic, npmi, c_v, umass, exclusivity`` (exclusivity: mean over the topic's
        ``top_n`` words of ``phi_kw / sum_j phi_jw``, :func:`distinctiveness.topic_exclusivity`).
    """
    keys = sorted(models)
    topic_term = {key: models[key].get_topics() for key in keys}
    topics = [terms for key in keys for terms in top_terms(topic_term[key], dictionary, top_n)]
    per_topic = pd.DataFrame(
        [(k, seed, topic) for k, seed in keys for topic in range(topic_term[(k, seed)].shape[0])],
        columns=["k", "seed", "topic"],
    )
    coherences = coherences_per_topic(topics, texts, dictionary, COHERENCE_MEASURES.values(), corpus=train)
    for name, measure in COHERENCE_MEASURES.items():
        per_topic[name] = coherences[measure]
    per_topic["exclusivity"] = np.concatenate([topic_exclusivity(topic_term[key], top_n) for key in keys])
    halves = split_heldout(heldout)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        perplexities = list(pool.map(lambda key: completion_perplexity(models[key], halves, key[1]), keys))
    logger.info("perplexity of %d models in %.1f s (%d threads)", len(keys), time.perf_counter() - started, threads)
    rows = [
        {
            "k": k,
            "seed": seed,
            "perplexity": perplexity,
            "diversity": topic_diversity(top_terms(topic_term[(k, seed)], dictionary, DIVERSITY_TOP_N)),
        }
        for (k, seed), perplexity in zip(keys, perplexities)
    ]
    means = per_topic.groupby(["k", "seed"])[[*COHERENCE_MEASURES, "exclusivity"]].mean().reset_index()
    per_model = means.merge(pd.DataFrame(rows), on=["k", "seed"])
    per_model = per_model[["k", "seed", *COHERENCE_MEASURES, "perplexity", "diversity", "exclusivity"]]
    return per_model.round(10), per_topic.round(10)


def run_score_models(smk) -> None:
    """Snakemake entry point: ``model_scores.csv`` and ``topic_coherence.csv`` for the grid."""
    dictionary = Dictionary.load(smk.input.dictionary)
    models = {(entry["k"], entry["seed"]): LdaModel.load(entry["model"]) for entry in smk.params.models}
    tokens = pq.read_table(smk.input.tokens, columns=["split", "tokens"])
    texts = tokens.filter(pc.equal(tokens["split"], "train"))["tokens"].combine_chunks()  # Arrow: no Python strings
    logger.info("scoring %d models on %d training texts", len(models), len(texts))
    per_model, per_topic = score_grid(
        models, dictionary, texts, MmCorpus(smk.input.train), MmCorpus(smk.input.heldout), top_n=smk.params.top_n,
        threads=smk.threads,
    )
    per_model.to_csv(smk.output.scores, index=False)
    per_topic.to_csv(smk.output.topic_coherence, index=False)
