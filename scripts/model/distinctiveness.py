"""How distinctive each topic's words are, from the full topic-word matrix: exclusivity, FREX, relevance.

All functions take the full ``(K, V)`` topic-word matrix ``phi`` (``model.get_topics()``), never a
top-terms table, so a word's weight in *every* topic is known.

* **exclusivity** of word ``w`` in topic ``k``: ``phi_kw / sum_j phi_jw``, the share of the word's
  topic weight that sits in this topic (1: only this topic uses it; ``1/K``: every topic alike).
  A topic's exclusivity is the mean over its ``top_n`` heaviest words, so a model's mean
  exclusivity says how far its topics' top words are their own (Bischof & Airoldi 2012; stm's
  ``searchK`` plots it against semantic coherence).
* **FREX** (stm's ``labelTopics``/``calcfrex``): per topic, the harmonic mean of the
  empirical-CDF rank of the word's frequency ``phi_kw`` and of its exclusivity, both ranked among
  all words of the vocabulary within the topic::

      FREX_kw = 1 / (w / F_k(phi_kw) + (1 - w) / E_k(excl_kw)),   w = 0.5 by default

  so a FREX word is both frequent in the topic and exclusive to it.
* **relevance** (Sievert & Shirley 2014, LDAvis):
  ``lambda * log phi_kw + (1 - lambda) * log(phi_kw / p_w)`` with ``p_w`` the marginal
  probability of the word (:func:`marginal_term_probability`: topic shares times ``phi``).

Example
-------
>>> phi = np.array([[0.5, 0.4, 0.1], [0.1, 0.4, 0.5]])
>>> exclusivity_matrix(phi).round(2).tolist()
[[0.83, 0.5, 0.17], [0.17, 0.5, 0.83]]
>>> topic_exclusivity(phi, top_n=1).round(2).tolist()
[0.83, 0.83]
"""


import numpy as np
from scipy.stats import rankdata

FREX_WEIGHT = 0.5
RELEVANCE_LAMBDA = 0.6


def _normalised(topic_term) -> np.ndarray:
    phi = np.asarray(topic_term, dtype=np.float64)
    return phi / phi.sum(axis=1, keepdims=True)


def exclusivity_matrix(topic_term) -> np.ndarray:
    """``phi_kw / sum_j phi_jw``: each word's share of its topic weight held by each topic.

    Parameters
    ----------
    topic_term : array_like
        ``(K, V)`` topic-word distributions (rows are normalised).

    Returns
    -------
    numpy.ndarray
        ``(K, V)``; each column sums to 1 (columns of words no topic uses are ``1/K``).
    """
    phi = _normalised(topic_term)
    total = phi.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, phi / np.where(total > 0, total, 1.0), 1.0 / phi.shape[0])


def ecdf_rank(values) -> np.ndarray:
    """Empirical CDF of each value within its row: ``rank / n`` (ties share their mean rank).

    >>> ecdf_rank(np.array([[0.1, 0.3, 0.2, 0.2]])).tolist()
    [[0.25, 1.0, 0.625, 0.625]]
    """
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    return rankdata(values, axis=1) / values.shape[1]


def frex_matrix(topic_term, weight: float = FREX_WEIGHT) -> np.ndarray:
    """stm's FREX score of every word in every topic.

    Parameters
    ----------
    topic_term : array_like
        ``(K, V)`` topic-word distributions.
    weight : float
        ``w``: weight of the frequency rank (stm's ``frexweight``, 0.5); ``1 - w`` goes to the
        exclusivity rank.

    Returns
    -------
    numpy.ndarray
        ``(K, V)`` in ``(0, 1]``; 1 for a word that is both the most frequent in the topic and
        the most exclusive to it.
    """
    phi = _normalised(topic_term)
    frequency = ecdf_rank(phi)
    exclusive = ecdf_rank(exclusivity_matrix(phi))
    return 1.0 / (weight / frequency + (1.0 - weight) / exclusive)


def top_ids(scores, n: int) -> np.ndarray:
    """Ids of each row's ``n`` highest scores (ties go to the smaller id).

    >>> top_ids(np.array([[0.1, 0.5, 0.5]]), 2).tolist()
    [[1, 2]]
    """
    return np.argsort(-np.asarray(scores), axis=1, kind="stable")[:, :n]


def topic_exclusivity(topic_term, top_n: int) -> np.ndarray:
    """Each topic's mean exclusivity over its ``top_n`` heaviest words (``1/K`` … 1).

    Parameters
    ----------
    topic_term : array_like
        ``(K, V)`` topic-word distributions.
    top_n : int
        Words per topic (the coherence measures' ``top_n``).

    Returns
    -------
    numpy.ndarray
        One value per topic.
    """
    phi = _normalised(topic_term)
    exclusive = exclusivity_matrix(phi)
    ids = top_ids(phi, top_n)
    return np.take_along_axis(exclusive, ids, axis=1).mean(axis=1)


def marginal_term_probability(topic_term, topic_shares=None) -> np.ndarray:
    """Marginal word probability ``p_w = sum_k share_k phi_kw`` (theta-weighted phi).

    Parameters
    ----------
    topic_term : array_like
        ``(K, V)`` topic-word distributions.
    topic_shares : array_like, optional
        Mean share of each topic in the corpus (uniform when omitted).

    Returns
    -------
    numpy.ndarray
        ``(V,)`` summing to 1.
    """
    phi = _normalised(topic_term)
    shares = np.full(len(phi), 1.0 / len(phi)) if topic_shares is None else np.asarray(topic_shares, dtype=float)
    shares = shares / shares.sum()
    return shares @ phi


def relevance_matrix(topic_term, term_probability, relevance_lambda: float = RELEVANCE_LAMBDA) -> np.ndarray:
    """LDAvis relevance ``lambda log phi_kw + (1 - lambda) log(phi_kw / p_w)`` of every word.

    Parameters
    ----------
    topic_term : array_like
        ``(K, V)`` topic-word distributions.
    term_probability : array_like
        ``(V,)`` marginal word probabilities (:func:`marginal_term_probability`).
    relevance_lambda : float
        1 ranks by ``phi`` alone; lower values favour words specific to the topic.

    Returns
    -------
    numpy.ndarray
        ``(K, V)``.
    """
    tiny = 1e-300
    log_phi = np.log(np.maximum(_normalised(topic_term), tiny))
    log_p = np.log(np.maximum(np.asarray(term_probability, dtype=float), tiny))
    return relevance_lambda * log_phi + (1.0 - relevance_lambda) * (log_phi - log_p[None, :])
