"""Generated corpora with planted effects on theme prevalence: the check of :mod:`scripts.themes.effects`.

Articles are built like the demo corpus (:mod:`scripts.demo.generate`: each article draws theme
proportions from a Dirichlet, then each sentence a theme), but two themes have an expected share
set by the article's outlet (``section``: ``norte`` or ``sur``) and whether it appeared on or after
an event date, with known effects in percentage points:

``E[share] = base + group · sur + event · post + interaction · sur · post``

The ``target`` theme carries the planted effects; the ``null`` theme has a flat expected share (every
planted effect 0); the other themes share the rest along the demo's curves. The regression
``theme ~ section * post_event`` then has the planted values as its true coefficients.

Example
-------
>>> corpus = planted_corpus(np.random.default_rng(0), n_articles=40, with_text=False)
>>> corpus.fractions.shape, sorted(corpus.articles["section"].unique())
((40, 6), ['norte', 'sur'])
"""


from dataclasses import dataclass

import numpy as np
import pandas as pd

from scripts.demo.generate import BACKGROUND_SENTENCES, THEMES, _sentence, theme_curves

#: Planted effects on the target theme, in percentage points (terms of ``theme ~ section * post_event``).
PLANTED = {"section=sur": 6.0, "post_event": 5.0, "section=sur:post_event": 8.0}
TARGET, NULL = "fentanilo", "soberania"
BASE = {TARGET: 0.15, NULL: 0.15}
EVENT_DATE = "2024-01-15"


@dataclass(frozen=True)
class PlantedCorpus:
    """A generated corpus and what was planted in it.

    Attributes
    ----------
    articles : pandas.DataFrame
        ``doc_id, date, title, text, section`` (``text``/``title`` empty without text).
    proportions : numpy.ndarray
        ``(n_articles, n_themes)`` Dirichlet proportions each article was drawn with.
    counts : numpy.ndarray
        ``(n_articles, n_themes)`` theme sentences of each article.
    fractions : numpy.ndarray
        ``counts`` over the article's sentences: what a perfect model reading the text would find.
    truth : pandas.DataFrame
        ``theme, term, planted`` (points) for the target and null themes.
    """

    articles: pd.DataFrame
    proportions: np.ndarray
    counts: np.ndarray
    fractions: np.ndarray
    truth: pd.DataFrame


def planted_means(sur: np.ndarray, post: np.ndarray, month: np.ndarray, n_months: int) -> np.ndarray:
    """Expected theme shares of each article (rows sum to 1), in the order of :data:`THEMES`."""
    names = list(THEMES)
    curves = theme_curves(n_months)[month]
    target = BASE[TARGET] + (PLANTED["section=sur"] * sur + PLANTED["post_event"] * post
                             + PLANTED["section=sur:post_event"] * sur * post) / 100.0
    fixed = {names.index(TARGET): target, names.index(NULL): np.full(sur.size, BASE[NULL])}
    others = [j for j in range(len(names)) if j not in fixed]
    means = np.zeros((sur.size, len(names)))
    rest = 1.0 - sum(fixed.values())
    means[:, others] = curves[:, others] / curves[:, others].sum(axis=1, keepdims=True) * rest[:, None]
    for j, values in fixed.items():
        means[:, j] = values
    return means


def planted_corpus(rng: np.random.Generator, n_articles: int = 1200, n_months: int = 24, start: str = "2023-01-01",
                   concentration: float = 1.8, sentences: tuple = (8, 14), with_text: bool = True) -> PlantedCorpus:
    """Draw one corpus with the planted effects (see the module docstring).

    Parameters
    ----------
    rng : numpy.random.Generator
    n_articles, n_months : int
        Articles, months from ``start``.
    start : str
        First day (ISO).
    concentration : float
        Total Dirichlet concentration of an article's proportions (the demo's is 0.3 × 6 = 1.8:
        articles dominated by one or two themes).
    sentences : tuple of int
        Inclusive range of theme sentences per article.
    with_text : bool
        Build the text (off for the quick coverage study, which needs only the sentence themes).
    """
    names = list(THEMES)
    month = np.sort(rng.integers(0, n_months, size=n_articles))
    month_starts = pd.date_range(start, periods=n_months, freq="MS")
    days = np.array([rng.integers(0, month_starts[m].days_in_month) for m in month])
    dates = month_starts[month] + pd.to_timedelta(days, unit="D")
    sur = rng.integers(0, 2, size=n_articles).astype(float)
    post = (dates >= pd.Timestamp(EVENT_DATE)).astype(float)
    means = planted_means(sur, np.asarray(post), month, n_months)
    proportions = np.vstack([rng.dirichlet(concentration * row) for row in means])
    n_sentences = rng.integers(sentences[0], sentences[1] + 1, size=n_articles)
    counts = np.vstack([rng.multinomial(n, p) for n, p in zip(n_sentences, proportions)])
    rows = []
    for i in range(n_articles):
        text, title = "", ""
        if with_text:
            themes = rng.permutation(np.repeat(np.arange(len(names)), counts[i]))
            parts = [_sentence(THEMES[names[j]], rng) for j in themes]
            parts.insert(int(rng.integers(0, len(parts) + 1)), str(rng.choice(BACKGROUND_SENTENCES)))
            text = " ".join(parts)
            title = str(rng.choice(THEMES[names[int(np.argmax(counts[i]))]].titles))
        rows.append({"doc_id": f"art{i:05d}", "date": dates[i].date().isoformat(), "title": title, "text": text,
                     "section": "sur" if sur[i] else "norte"})
    truth = pd.DataFrame([(theme, term, value if theme == TARGET else 0.0)
                          for theme in (TARGET, NULL) for term, value in PLANTED.items()],
                         columns=["theme", "term", "planted"])
    return PlantedCorpus(pd.DataFrame(rows), proportions, counts, counts / n_sentences[:, None], truth)


def seed_model_shares(fractions: np.ndarray, rng: np.random.Generator, n_seeds: int = 3, noise: float = 30.0,
                      seed_scale: float = 0.03) -> list:
    """Shares as seed models might estimate them: the sentence fractions with model noise.

    Each seed model scales every theme by its own factor ``1 + N(0, seed_scale)`` (a seed that
    gives a theme a little more or less of the documents than another), then each document's
    shares are redrawn from a Dirichlet centred on them (``noise``: its concentration; zero
    fractions stay zero). The noise has mean zero: the expected share is the sentence fraction.

    Returns
    -------
    list of numpy.ndarray
        ``n_seeds`` arrays shaped like ``fractions``.
    """
    shares = []
    for _ in range(n_seeds):
        scaled = fractions * (1.0 + rng.normal(0.0, seed_scale, size=fractions.shape[1]))
        scaled /= scaled.sum(axis=1, keepdims=True)
        gamma = np.where(scaled > 0, rng.gamma(np.maximum(noise * scaled, 1e-12)), 0.0)
        shares.append(gamma / gamma.sum(axis=1, keepdims=True))
    return shares
