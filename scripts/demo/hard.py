"""A harder generated corpus for theme recovery: shared vocabulary, mixed documents, rare seeds.

Beside the easy demo corpus of :mod:`generate_corpus` (one theme per article, separable words),
documents here are token lists drawn from word distributions (no ingest or lemmatising needed):

* six themes, each a Zipf-weighted distribution over its own words **plus shared words**
  (``frontera`` is frequent in both ``migracion`` and ``seguridad``, ``cartel`` in ``seguridad``
  and ``fentanilo``, ``arancel`` in ``comercio`` and ``energia``);
* one broad **background** topic (US–Mexico relations, with ``frontera`` and ``acuerdo``) that
  co-occurs with ``seguridad``, ``migracion`` and ``comercio`` documents, plus general filler;
* every document **mixes 2–3 themes** (the main one drawn from the curves);
* **short documents** (20–80 words, 70%) beside long ones (250–600 words);
* **seed words are rare**: 5 per theme with a total weight of 1.2% of the theme's words, so most
  short documents about a theme hold none of them;
* known monthly curves: rise, spike, step, season, decline and one **flat** theme.

The truth of a document is the fraction of its tokens drawn from each theme; the true curve of
a theme is the monthly mean of that fraction.

Example
-------
>>> docs, truth, seeds = generate_hard_corpus(n_docs=60, n_months=6, seed=1)
>>> len(docs), list(truth.columns)[:3], len(seeds)
(60, ['month', 'seguridad', 'migracion'], 6)
"""

import numpy as np
import pandas as pd

THEMES = ["seguridad", "migracion", "fentanilo", "comercio", "energia", "deportes"]
SHAPES = {"seguridad": "rise", "migracion": "spike", "fentanilo": "step", "comercio": "season",
          "energia": "decline", "deportes": "flat"}
SHARED = {"frontera": ("seguridad", "migracion"), "cartel": ("seguridad", "fentanilo"),
          "arancel": ("comercio", "energia")}
BACKGROUND_THEMES = ("seguridad", "migracion", "comercio")
SEED_MASS = 0.012


def hard_curves(n_months: int) -> pd.DataFrame:
    """Relative weight of each theme as main theme per month (rows sum to 1)."""
    t = np.linspace(0.0, 1.0, n_months)
    raw = {
        "seguridad": 0.08 + 0.3 * t,
        "migracion": 0.12 + 0.35 * np.exp(-((t - 0.5) ** 2) / 0.01),
        "fentanilo": np.where(t < 0.6, 0.08, 0.32),
        "comercio": 0.18 + 0.12 * np.sin(2 * np.pi * np.arange(n_months) / 12),
        "energia": 0.35 - 0.25 * t,
        "deportes": np.full(n_months, 0.2),
    }
    frame = pd.DataFrame(raw)
    return frame.div(frame.sum(axis=1), axis=0)


def _lexicons(rng: np.random.Generator) -> tuple[dict, dict]:
    """Word distributions of themes, background and filler; seed words of each theme."""
    lexicons, seeds = {}, {}
    for theme in THEMES:
        words = [f"{theme[:4]}{i:02d}" for i in range(60)]
        weights = 1.0 / np.arange(1, 61) ** 0.9
        dist = dict(zip(words, weights / weights.sum() * (1 - SEED_MASS)))
        theme_seeds = [f"{theme}_clave{i}" for i in range(4)]
        for shared, owners in SHARED.items():
            if theme in owners:
                dist = {w: p * 0.93 for w, p in dist.items()}
                dist[shared] = 0.07
                if theme == owners[0]:
                    theme_seeds.append(shared)  # a seed word that another theme uses as much
        if len(theme_seeds) < 5:
            theme_seeds.append(f"{theme}_clave4")
        own = [w for w in theme_seeds if w not in SHARED]
        for w in own:
            dist[w] = SEED_MASS / len(own) * (1 - sum(0.07 for s, o in SHARED.items() if theme in o))
        total = sum(dist.values())
        lexicons[theme] = {w: p / total for w, p in dist.items()}
        seeds[theme] = theme_seeds
    back = [f"relac{i:02d}" for i in range(50)] + ["frontera", "acuerdo"]
    weights = np.r_[1.0 / np.arange(1, 51) ** 0.8, [3.0, 2.0]]
    lexicons["_background"] = dict(zip(back, weights / weights.sum()))
    filler = [f"gral{i:03d}" for i in range(200)]
    weights = 1.0 / np.arange(1, 201) ** 1.0
    lexicons["_filler"] = dict(zip(filler, weights / weights.sum()))
    return lexicons, seeds


def generate_hard_corpus(n_docs: int = 1500, n_months: int = 30, seed: int = 0):
    """Documents, their true theme fractions and the seed words.

    Parameters
    ----------
    n_docs : int
        Documents (spread evenly over the months).
    n_months : int
        Months.
    seed : int
        Random seed.

    Returns
    -------
    tuple
        ``(docs, truth, seeds)``: list of token lists; DataFrame with ``month`` and one column per
        theme (fraction of the document's tokens from that theme); theme → seed words.
    """
    rng = np.random.default_rng(seed)
    lexicons, seeds = _lexicons(rng)
    arrays = {name: (np.array(list(lex)), np.array(list(lex.values()))) for name, lex in lexicons.items()}
    curves = hard_curves(n_months).to_numpy()
    docs, rows = [], []
    for d in range(n_docs):
        month = d * n_months // n_docs
        main = rng.choice(len(THEMES), p=curves[month])
        others = rng.choice([i for i in range(len(THEMES)) if i != main], size=rng.integers(1, 3), replace=False)
        mix = np.zeros(len(THEMES))
        mix[main] = rng.uniform(0.55, 0.8)
        mix[others] = rng.dirichlet(np.ones(len(others))) * (1 - mix[main])
        background = rng.uniform(0.15, 0.35) if THEMES[main] in BACKGROUND_THEMES else rng.uniform(0.0, 0.05)
        filler = rng.uniform(0.1, 0.2)
        theme_part = 1.0 - background - filler
        length = int(rng.integers(20, 81)) if rng.random() < 0.7 else int(rng.integers(250, 601))
        sources = rng.choice(len(THEMES) + 2, size=length, p=np.r_[mix * theme_part, background, filler])
        tokens = []
        for source in sources:
            name = THEMES[source] if source < len(THEMES) else ("_background" if source == len(THEMES) else "_filler")
            words, probs = arrays[name]
            tokens.append(str(words[rng.choice(len(words), p=probs)]))
        docs.append(tokens)
        counts = np.bincount(sources, minlength=len(THEMES) + 2)[: len(THEMES)] / length
        rows.append((month, *counts))
    truth = pd.DataFrame(rows, columns=["month", *THEMES])
    return docs, truth, seeds
