"""Keyword-assisted LDA: a topic-word prior (gensim ``eta``) that gives each theme its own topic.

Used by the fit stage when ``theme_method: seeded``.

Example
-------
>>> from gensim.corpora import Dictionary
>>> d = Dictionary([["fentanilo", "gol", "estadio"]])
>>> eta = seeded_eta(d, 3, {"fentanilo": ["fentanilo"]}, base=0.01, boost=1.0)
>>> float(eta[0, d.token2id["fentanilo"]])
1.0
"""

import numpy as np
from gensim.corpora import Dictionary


def seeded_eta(
    dictionary: Dictionary, k: int, theme_terms: dict[str, list[str]], base: float, boost: float
) -> np.ndarray:
    """Topic-word prior that raises each theme's seed terms in a dedicated topic.

    Topic ``i`` (``i < len(theme_terms)``) belongs to the ``i``-th theme: its seed terms get prior
    ``boost`` and the other themes' seed terms are damped to ``base / 10``; the remaining topics
    keep a flat ``base`` prior and stay free.

    Parameters
    ----------
    dictionary : gensim.corpora.Dictionary
        Vocabulary.
    k : int
        Number of topics (must be at least the number of themes).
    theme_terms : dict
        Theme name → normalised terms (terms outside the vocabulary are ignored).
    base, boost : float
        Flat prior and seed-term prior.

    Returns
    -------
    numpy.ndarray
        Array of shape ``(k, len(dictionary))``.
    """
    if k < len(theme_terms):
        raise ValueError(f"model.k: K={k} is smaller than the number of themes ({len(theme_terms)})")
    eta = np.full((k, len(dictionary)), base, dtype=np.float64)
    all_ids = {dictionary.token2id[t] for terms in theme_terms.values() for t in terms if t in dictionary.token2id}
    for topic, terms in enumerate(theme_terms.values()):
        own = [dictionary.token2id[t] for t in terms if t in dictionary.token2id]
        others = sorted(all_ids - set(own))
        eta[topic, others] = base / 10.0
        eta[topic, own] = boost
    return eta
