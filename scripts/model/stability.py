"""Topic stability across seeds: do the topics of one K come back when only the seed changes?

For each K, every pair of seeds has its topics matched one-to-one by the Hungarian algorithm
(:func:`scipy.optimize.linear_sum_assignment`) on the Jensen–Shannon distance between the
topic-term distributions (base 2, so 0…1). A matched pair's similarity is ``1 - JS``; the
top-word Jaccard overlap of the same pair is reported beside it, because it is easier to read
("matched topics share this share of their top words").

A topic's stability is the mean similarity to its partners in the other seeds; a model's
``stability`` is the mean over its topics, so K values can be compared on one scale
(Greene, O'Callaghan & Cunningham 2014 use the same matching with top-word agreement).

Raw similarity is not comparable across K by itself: the Hungarian matching finds *some*
partner for every topic, and how similar two unrelated topics look depends on how peaked they
are, which changes with K. So each pair of seeds is also matched against a **null**: the same
two models with the second model's vocabulary shuffled (one random permutation of the word ids
for all its topics, :func:`null_similarity`), which keeps every topic's shape and sparsity but
breaks any shared meaning. ``stability_null`` is the mean matched similarity under that null and
``stability_above_null = (stability - stability_null) / (1 - stability_null)`` the chance-corrected
stability (0: no better than unrelated topics; 1: identical topics), in the spirit of Cohen's kappa.

Example
-------
>>> import numpy as np
>>> a = np.array([[0.9, 0.1], [0.1, 0.9]])
>>> partner, similarity = match_topics(a, a[::-1])
>>> partner.tolist(), similarity.round(3).tolist()
([1, 0], [1.0, 1.0])
"""


import itertools

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment


def js_distance_matrix(topic_term_a: np.ndarray, topic_term_b: np.ndarray) -> np.ndarray:
    """Jensen–Shannon distance (base 2) between every row of ``a`` and every row of ``b``.

    Vectorised over topic pairs, and equal to :func:`scipy.spatial.distance.jensenshannon`.

    Parameters
    ----------
    topic_term_a, topic_term_b : numpy.ndarray
        Row-stochastic matrices of shapes ``(K_a, V)`` and ``(K_b, V)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(K_a, K_b)``, values in ``[0, 1]``.

    Examples
    --------
    >>> js_distance_matrix(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])).tolist()
    [[1.0, 0.0]]
    """
    p = np.asarray(topic_term_a, dtype=np.float64)
    q = np.asarray(topic_term_b, dtype=np.float64)
    p = p / p.sum(axis=1, keepdims=True)
    q = q / q.sum(axis=1, keepdims=True)
    distance = np.empty((len(p), len(q)))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.where(p > 0, np.log2(p), 0.0)
        log_q = np.where(q > 0, np.log2(q), 0.0)
        for i, row in enumerate(p):
            mixture = 0.5 * (row[None, :] + q)
            log_m = np.where(mixture > 0, np.log2(mixture), 0.0)
            kl_p = np.sum(row[None, :] * (log_p[i][None, :] - log_m), axis=1)
            kl_q = np.sum(q * (log_q - log_m), axis=1)
            distance[i] = np.sqrt(np.clip(0.5 * (kl_p + kl_q), 0.0, 1.0))
    return distance


def top_term_ids(topic_term: np.ndarray, top_n: int) -> np.ndarray:
    """Ids of each topic's ``top_n`` heaviest terms (ties broken by the smaller id)."""
    return np.argsort(-np.asarray(topic_term), axis=1, kind="stable")[:, :top_n]


def jaccard(ids_a, ids_b) -> float:
    """Jaccard overlap of two id sets.

    >>> jaccard([1, 2, 3], [2, 3, 4])
    0.5
    """
    set_a, set_b = set(map(int, ids_a)), set(map(int, ids_b))
    union = set_a | set_b
    return len(set_a & set_b) / len(union) if union else 1.0


def match_topics(topic_term_a: np.ndarray, topic_term_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match the topics of two models one-to-one by minimum total Jensen–Shannon distance.

    Parameters
    ----------
    topic_term_a, topic_term_b : numpy.ndarray
        Topic-term distributions of the same shape ``(K, V)``.

    Returns
    -------
    partner : numpy.ndarray
        ``partner[i]`` is the topic of ``b`` matched to topic ``i`` of ``a``.
    similarity : numpy.ndarray
        ``1 - JS`` of each matched pair.
    """
    distance = js_distance_matrix(topic_term_a, topic_term_b)
    rows, cols = linear_sum_assignment(distance)
    partner = np.empty(len(rows), dtype=int)
    partner[rows] = cols
    return partner, 1.0 - distance[np.arange(len(partner)), partner]


def null_similarity(topic_term_a: np.ndarray, topic_term_b: np.ndarray, rng: np.random.Generator,
                    n_permutations: int = 1) -> float:
    """Mean matched ``1 - JS`` between ``a`` and ``b`` with ``b``'s vocabulary shuffled.

    Parameters
    ----------
    topic_term_a, topic_term_b : numpy.ndarray
        Topic-term distributions of the same shape ``(K, V)``.
    rng : numpy.random.Generator
        Source of the permutations.
    n_permutations : int
        Shuffles averaged over.

    Returns
    -------
    float
        The similarity two models of these shapes reach by chance.

    Examples
    --------
    >>> m = np.eye(3)[:, [0, 1, 2]] * 0.9 + 0.1 / 3
    >>> 0 <= null_similarity(m, m, np.random.default_rng(0)) <= 1
    True
    """
    values = []
    for _ in range(max(int(n_permutations), 1)):
        shuffled = np.asarray(topic_term_b)[:, rng.permutation(np.asarray(topic_term_b).shape[1])]
        values.append(float(np.mean(match_topics(topic_term_a, shuffled)[1])))
    return float(np.mean(values))


def above_null(stability, null):
    """Chance-corrected stability ``(stability - null) / (1 - null)``.

    >>> round(float(above_null(0.6, 0.2)), 3)
    0.5
    """
    stability, null = np.asarray(stability, dtype=float), np.asarray(null, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(null < 1, (stability - null) / (1 - null), np.nan)


def stability_tables(topic_terms: dict, top_n: int, null_seed: int = 0,
                     n_permutations: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-model and per-topic stability across the seeds of each K.

    Parameters
    ----------
    topic_terms : dict
        ``(k, seed)`` → topic-term matrix ``(k, V)``.
    top_n : int
        Top words compared by the Jaccard overlap (``model.top_n``).
    null_seed : int
        Seed of the vocabulary shuffles of the null (:func:`null_similarity`).
    n_permutations : int
        Shuffles per pair of seeds.

    Returns
    -------
    per_model : pandas.DataFrame
        ``k, seed, stability, stability_jaccard, stability_null, stability_above_null`` (NaN
        when K has a single seed).
    per_topic : pandas.DataFrame
        ``k, seed, topic, match_similarity, match_jaccard, min_similarity``: mean over the
        other seeds of the matched partner's ``1 - JS`` and top-word Jaccard, and the worst
        ``1 - JS`` (a topic that vanishes under one seed has a low minimum).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> m = rng.dirichlet(np.ones(30), size=3)
    >>> per_model, per_topic = stability_tables({(3, 1): m, (3, 2): m[[2, 0, 1]]}, top_n=10)
    >>> per_model["stability"].tolist(), len(per_topic)
    ([1.0, 1.0], 6)
    """
    model_rows, topic_rows = [], []
    rng = np.random.default_rng(null_seed)
    for k in sorted({key[0] for key in topic_terms}):
        seeds = sorted(seed for kk, seed in topic_terms if kk == k)
        top_ids = {seed: top_term_ids(topic_terms[(k, seed)], top_n) for seed in seeds}
        similarity = {seed: [] for seed in seeds}
        overlap = {seed: [] for seed in seeds}
        null = {seed: [] for seed in seeds}
        for seed_a, seed_b in itertools.combinations(seeds, 2):
            pair_null = null_similarity(topic_terms[(k, seed_a)], topic_terms[(k, seed_b)], rng, n_permutations)
            null[seed_a].append(pair_null)
            null[seed_b].append(pair_null)
            partner, pair_similarity = match_topics(topic_terms[(k, seed_a)], topic_terms[(k, seed_b)])
            pair_overlap = np.array([jaccard(top_ids[seed_a][t], top_ids[seed_b][partner[t]]) for t in range(k)])
            back = np.argsort(partner)  # topic of a matched to each topic of b
            similarity[seed_a].append(pair_similarity)
            overlap[seed_a].append(pair_overlap)
            similarity[seed_b].append(pair_similarity[back])
            overlap[seed_b].append(pair_overlap[back])
        for seed in seeds:
            if similarity[seed]:
                topic_similarity = np.mean(similarity[seed], axis=0)
                topic_overlap = np.mean(overlap[seed], axis=0)
                topic_min = np.min(similarity[seed], axis=0)
            else:
                topic_similarity = topic_overlap = topic_min = np.full(k, np.nan)
            model_null = float(np.mean(null[seed])) if null[seed] else np.nan
            model_rows.append((k, seed, float(np.mean(topic_similarity)), float(np.mean(topic_overlap)), model_null,
                               float(above_null(np.mean(topic_similarity), model_null))))
            topic_rows.extend(
                (k, seed, topic, float(topic_similarity[topic]), float(topic_overlap[topic]), float(topic_min[topic]))
                for topic in range(k)
            )
    per_model = pd.DataFrame(model_rows, columns=["k", "seed", "stability", "stability_jaccard", "stability_null",
                                                  "stability_above_null"])
    per_topic = pd.DataFrame(
        topic_rows, columns=["k", "seed", "topic", "match_similarity", "match_jaccard", "min_similarity"]
    )
    return per_model.round(10), per_topic.round(10)
