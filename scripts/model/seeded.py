"""Keyword-assisted LDA: a topic-word prior (gensim ``eta``) that gives each theme its own topic.

Used by the fit stage when ``theme_method: seeded``. Topic ``i`` belongs to the ``i``-th theme of
the config; the topics after the themes' stay free. Two things make the prior bite in gensim:

* **strength in data units**: a seed term's prior in its theme's topic is ``boost`` times the
  term's count in the training corpus (``model.seeded.boost``, default 0.1), so the prior keeps the
  seed term in its topic whatever the corpus size, without swamping the topic with seed terms
  (``boost`` near 1 turns the topic into a list of seed words and leaves their context to free
  topics); other themes' seed terms are damped to ``base / 10`` in it;
* **a seeded start**: gensim starts from random topics and adds ``eta`` only after the first
  update, so the first pass would cluster at random; :func:`seeded_start` starts each theme
  topic from the words of the documents that contain its seed terms.

This module builds the prior and the starting statistics only (numpy, no model fitting), so that
imports go one way: :func:`scripts.model.fit.fit_seeded_lda` fits the model with them.

Example
-------
>>> from gensim.corpora import Dictionary
>>> d = Dictionary([["fentanilo", "gol", "estadio"]] * 20)
>>> eta = seeded_eta(d, 3, {"fentanilo": ["fentanilo"]}, base=0.01, boost=0.1)
>>> float(eta[0, d.token2id["fentanilo"]]), float(eta[1, d.token2id["fentanilo"]])
(2.0, 0.01)
"""

import numpy as np
from gensim.corpora import Dictionary

from scripts.logs import UserInputError


def seeded_eta(
    dictionary: Dictionary, k: int, theme_terms: dict[str, list[str]], base: float, boost: float
) -> np.ndarray:
    """Topic-word prior that raises each theme's seed terms in a dedicated topic.

    Topic ``i`` (``i < len(theme_terms)``) belongs to the ``i``-th theme: its seed terms get prior
    ``boost × corpus count`` (at least ``base``) and the other themes' seed terms are damped to
    ``base / 10``; the remaining topics keep a flat ``base`` prior and stay free.

    Parameters
    ----------
    dictionary : gensim.corpora.Dictionary
        Vocabulary.
    k : int
        Number of topics (must be at least the number of themes).
    theme_terms : dict
        Theme name → normalised terms (terms outside the vocabulary are ignored).
    base : float
        Flat prior of every other topic-term pair.
    boost : float
        Seed-term prior as a multiple of the term's count in the training corpus (``dictionary.cfs``).

    Returns
    -------
    numpy.ndarray
        Array of shape ``(k, len(dictionary))``.
    """
    if k < len(theme_terms):
        raise UserInputError(
            f"model.k: K={k} is smaller than the number of themes ({len(theme_terms)}); with "
            "theme_method: seeded every K in model.k must be at least the number of themes "
            "(or use theme_method: guided or mapped)"
        )
    eta = np.full((k, len(dictionary)), base, dtype=np.float64)
    all_ids = {dictionary.token2id[t] for terms in theme_terms.values() for t in terms if t in dictionary.token2id}
    for topic, terms in enumerate(theme_terms.values()):
        own = [dictionary.token2id[t] for t in terms if t in dictionary.token2id]
        others = sorted(all_ids - set(own))
        eta[topic, others] = base / 10.0
        cfs = np.array([dictionary.cfs.get(i, 0) for i in own], dtype=np.float64)
        eta[topic, own] = np.maximum(boost * cfs, base)
    return eta


def theme_seed_ids(eta: np.ndarray) -> list:
    """Seed-term ids of each theme topic of a seeded prior: every term raised above the row's flat prior.

    The flat prior is the most common value of the prior (seed terms are few), so all seed terms of a
    theme are found, not only the most frequent one. Rows after the last theme row (free topics,
    flat) are left out; a theme row without raised terms (no seed term in the vocabulary) gives an
    empty array, so the list stays aligned with the themes.

    Example
    -------
    >>> [ids.tolist() for ids in theme_seed_ids(np.array([[5.0, 2.0, 0.1, 0.1, 0.1], [0.01, 0.01, 0.1, 0.1, 0.1],
    ...                                                    [0.1, 0.1, 0.1, 0.1, 0.1]]))]
    [[0, 1], []]
    """
    values, counts = np.unique(eta, return_counts=True)
    flat = values[np.argmax(counts)]
    found = [np.flatnonzero(row > flat) for row in eta]
    themed = [i for i, row in enumerate(eta) if row.max() > row.min()]
    return found[: (themed[-1] + 1) if themed else 0]


def seeded_start(corpus, seed_ids: list, random_start: np.ndarray) -> np.ndarray:
    """Starting topic-word statistics: each theme's topic starts as the words of its documents.

    A training document that contains seed terms gives its bag of words to the theme topics in
    proportion to how many seed-term tokens of each theme it holds. Only a word's excess over
    what the corpus's overall word shares predict is kept (words that are merely common, or
    belong to other subjects that share the documents, stay with the free topics, which keep
    gensim's random start). Theme rows are rescaled to the total of their random row, so a theme
    topic competes on equal terms with the free topics.

    Parameters
    ----------
    corpus : iterable of list of (int, int)
        Training bag-of-words.
    seed_ids : list of numpy.ndarray
        Seed-term ids of theme topics ``0 … len(seed_ids) - 1`` (see :func:`theme_seed_ids`).
    random_start : numpy.ndarray
        ``(k, V)`` gensim's random starting statistics.

    Returns
    -------
    numpy.ndarray
        ``(k, V)`` starting statistics.

    Example
    -------
    >>> start = seeded_start([[(0, 2), (1, 1)], [(2, 3)]], [np.array([0])], np.ones((2, 3)))
    >>> start.round(2).tolist()
    [[3.0, 2.0, 1.0], [1.0, 1.0, 1.0]]
    """
    theme_of_term = {}
    for theme, ids in enumerate(seed_ids):
        for term in ids:
            theme_of_term.setdefault(int(term), []).append(theme)
    counts = np.zeros((len(seed_ids), random_start.shape[1]))
    corpus_counts = np.zeros(random_start.shape[1])
    for bow in corpus:
        if len(bow) == 0:
            continue
        ids = np.fromiter((t for t, _ in bow), dtype=np.int64, count=len(bow))
        values = np.fromiter((c for _, c in bow), dtype=np.float64, count=len(bow))
        corpus_counts[ids] += values
        hits = np.zeros(len(seed_ids))
        for term, count in zip(ids.tolist(), values.tolist()):
            for theme in theme_of_term.get(term, ()):
                hits[theme] += count
        for theme in np.flatnonzero(hits):
            counts[theme, ids] += values * (hits[theme] / hits.sum())
    corpus_share = corpus_counts / max(corpus_counts.sum(), 1.0)
    start = random_start.copy()
    for theme in range(len(seed_ids)):
        excess = np.maximum(counts[theme] - counts[theme].sum() * corpus_share, 0.0)
        if excess.sum() > 0:
            start[theme] += excess * (random_start[theme].sum() / excess.sum())
    return start
