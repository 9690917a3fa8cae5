"""Drift signals of new documents, calibrated on the fit period's own month-to-month spread.

Three signals, each measured for every new period and, as a baseline, for every period of the
fit (``time.freq``):

* ``oov_rate``: share of the tokens (after the frozen normalisation and phrases) that are not
  in the frozen dictionary. Baseline: the fit period's **held-out** documents, which the
  dictionary never saw (a token cut as too rare or too common counts as out of vocabulary in both).
* ``perplexity``: per-word perplexity by document completion (half of each document's
  vocabulary tokens infer its topics, the other half is scored;
  :func:`scripts.model.scores.heldout_perplexity`) under the chosen model. Baseline: the
  held-out documents of each fit period (the model never saw them either).
* ``term_divergence``: Jensen–Shannon divergence (base 2, 0…1) between the period's
  distribution of vocabulary terms and the fit period's. Baseline: each fit period against the
  rest of the fit period (leave one period out), each fit period's documents drawn down to the new
  period's number of vocabulary tokens (:func:`matched_divergence`), since a smaller sample
  diverges more by chance. The terms behind it are in ``rising_terms.csv``
  (:func:`rising_terms`).

**Verdict** (:func:`verdicts`): ``z = (value - mean) / sd`` over the fit periods' values; a
signal is ``drift`` when ``z > monitor.max_z`` (only a rise is drift: fewer unknown words or a
better fit is not), ``ok`` otherwise, ``unknown`` with fewer than :data:`MIN_BASELINE` fit periods
to compare with. "Unusual" thus means outside what the fit period shows from one period to the
next. Held-out baselines rest on fewer documents per period than a month of new documents, so
their spread is wider and the test errs on the side of ``ok``.

Example
-------
>>> baseline = pd.DataFrame({"signal": ["oov_rate"] * 4, "value": [0.10, 0.12, 0.11, 0.13]})
>>> new = pd.DataFrame({"period": ["2025-01-01"], "signal": ["oov_rate"], "value": [0.30]})
>>> verdicts(new, baseline, 3.0)[["z", "verdict"]].values.tolist()
[[14.33, 'drift']]
"""

import logging

import numpy as np
import pandas as pd

from scripts.model.scores import heldout_perplexity

logger = logging.getLogger(__name__)

SIGNALS = ("oov_rate", "perplexity", "term_divergence")
MIN_BASELINE = 3  # fit periods with a value needed for a verdict


def oov_counts(token_lists, token2id: dict) -> tuple:
    """``(n_oov, n_tokens)`` per document: tokens not in the dictionary, and all tokens.

    >>> oov_counts([["a", "x", "x"], []], {"a": 0})
    (array([2, 0]), array([3, 0]))
    """
    n_oov = np.array([sum(token not in token2id for token in tokens) for tokens in token_lists], dtype=int)
    n_tokens = np.array([len(tokens) for tokens in token_lists], dtype=int)
    return n_oov, n_tokens


def term_counts(token_lists, token2id: dict) -> np.ndarray:
    """Counts of every vocabulary term over some documents (other tokens ignored)."""
    counts = np.zeros(len(token2id))
    for tokens in token_lists:
        for token in tokens:
            index = token2id.get(token)
            if index is not None:
                counts[index] += 1
    return counts


def js_divergence(counts_a: np.ndarray, counts_b: np.ndarray) -> float:
    """Jensen–Shannon divergence (base 2) of two count vectors' distributions; NaN if one is empty.

    >>> js_divergence(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    1.0
    >>> js_divergence(np.array([2.0, 2.0]), np.array([1.0, 1.0]))
    0.0
    """
    if counts_a.sum() <= 0 or counts_b.sum() <= 0:
        return float("nan")
    p, q = counts_a / counts_a.sum(), counts_b / counts_b.sum()
    m = 0.5 * (p + q)

    def kl(x):
        used = x > 0
        return float(np.sum(x[used] * np.log2(x[used] / m[used])))

    return round(max(0.5 * kl(p) + 0.5 * kl(q), 0.0), 12)


def period_signals(period: str, token_lists, bows, token2id: dict, model, seed: int,
                   reference_counts: np.ndarray, with_oov: bool = True) -> list:
    """Rows ``period, signal, value, n_docs, n_tokens`` of one period's documents.

    Parameters
    ----------
    token_lists : list of list of str
        Every token of the documents (for ``oov_rate``; ignored when ``with_oov`` is false).
    bows : list of list of (int, int)
        Their vocabulary bags of words (for ``perplexity``), or ``None`` to skip it.
    reference_counts : numpy.ndarray
        Vocabulary counts of the period it is compared with (for ``term_divergence``), or ``None``.
    """
    rows = []
    if with_oov:
        n_oov, n_tokens = oov_counts(token_lists, token2id)
        rate = n_oov.sum() / n_tokens.sum() if n_tokens.sum() else float("nan")
        rows.append((period, "oov_rate", round(float(rate), 10), len(token_lists), int(n_tokens.sum())))
    if bows is not None:
        n_vocab = int(sum(c for bow in bows for _, c in bow))
        rows.append((period, "perplexity", round(heldout_perplexity(model, bows, seed=seed), 6), len(bows), n_vocab))
    if reference_counts is not None:
        counts = term_counts(token_lists, token2id)
        rows.append((period, "term_divergence", js_divergence(counts, reference_counts), len(token_lists),
                     int(counts.sum())))
    return rows


SIGNAL_COLUMNS = ["period", "signal", "value", "n_docs", "n_tokens"]


def verdicts(new: pd.DataFrame, baseline: pd.DataFrame, max_z: float) -> pd.DataFrame:
    """Each new signal value against the fit periods' values of the same signal (see module doc).

    Returns
    -------
    pandas.DataFrame
        ``new``'s columns and ``fit_mean, fit_sd, fit_min, fit_max, n_fit_periods, z, threshold, verdict``.
    """
    rows = []
    for row in new.itertuples(index=False):
        values = baseline.loc[(baseline["signal"] == row.signal), "value"].dropna().to_numpy(dtype=float)
        mean = float(values.mean()) if values.size else float("nan")
        sd = float(values.std(ddof=1)) if values.size > 1 else float("nan")
        if values.size < MIN_BASELINE or not np.isfinite(row.value):
            z, verdict = float("nan"), "unknown"
        else:
            z = (row.value - mean) / sd if sd > 0 else (np.inf if row.value > mean else 0.0)
            verdict = "drift" if z > max_z else "ok"
        rows.append({**row._asdict(), "fit_mean": mean, "fit_sd": sd,
                     "fit_min": float(values.min()) if values.size else float("nan"),
                     "fit_max": float(values.max()) if values.size else float("nan"),
                     "n_fit_periods": int(values.size), "z": z, "threshold": max_z, "verdict": verdict})
    table = pd.DataFrame(rows)
    for column in ("fit_mean", "fit_sd", "fit_min", "fit_max", "z"):
        table[column] = table[column].astype(float).round(4 if column == "z" else 10)
    return table


def rising_terms(new_counts: dict, fit_counts: dict, in_vocabulary: set, smoothing: float, min_count: int,
                 top_n: int) -> pd.DataFrame:
    """The terms whose rate rises most from the fit period to the new documents.

    ``log_ratio = log((c_new + a) / (N_new + a V)) - log((c_fit + a) / (N_fit + a V))`` (natural
    log; ``a`` = ``smoothing``, ``V`` the terms of either period), for terms seen at least
    ``min_count`` times in the new documents; sorted by ``log_ratio`` (then term).

    Parameters
    ----------
    new_counts, fit_counts : dict of str to int
        Token counts of the new documents (every token) and of the fit period's training
        documents (``vocabulary.csv`` ``corpus_freq``: every term seen, kept or cut).
    in_vocabulary : set of str
        The frozen dictionary's terms.

    Example
    -------
    >>> table = rising_terms({"a": 10, "b": 10}, {"a": 100, "b": 1}, {"a"}, 0.5, 5, 1)
    >>> table[["term", "count_new", "count_fit", "in_vocabulary"]].values.tolist()
    [['b', 10, 1, False]]
    """
    terms = sorted(set(new_counts) | set(fit_counts))
    n_new, n_fit = sum(new_counts.values()), sum(fit_counts.values())
    size = len(terms)
    rows = []
    for term in terms:
        count_new = int(new_counts.get(term, 0))
        if count_new < min_count:
            continue
        count_fit = int(fit_counts.get(term, 0))
        rate_new = (count_new + smoothing) / (n_new + smoothing * size)
        rate_fit = (count_fit + smoothing) / (n_fit + smoothing * size)
        rows.append((term, count_new, count_fit, round(1e4 * count_new / max(n_new, 1), 4),
                     round(1e4 * count_fit / max(n_fit, 1), 4), round(float(np.log(rate_new / rate_fit)), 6),
                     term in in_vocabulary))
    columns = ["term", "count_new", "count_fit", "per_10k_new", "per_10k_fit", "log_ratio", "in_vocabulary"]
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["log_ratio", "term"], ascending=[False, True], kind="stable")
    return table.head(top_n).reset_index(drop=True)


def matched_divergence(fit: pd.DataFrame, token2id: dict, fit_counts: np.ndarray, n_tokens: int, seed: int) -> pd.DataFrame:
    """``term_divergence`` of every fit period against the rest, its documents drawn down to ``n_tokens``.

    The divergence of a sample from a distribution grows as the sample shrinks, so each fit period
    is compared at the new period's size: its documents in a seeded random order, taken until they
    hold ``n_tokens`` vocabulary tokens (all of them when the period is smaller, which errs towards ``ok``).
    """
    rows = []
    for index, period in enumerate(sorted(set(fit["period"]))):
        members = fit.loc[fit["period"] == period, "tokens"].to_numpy()
        rest = fit_counts - term_counts(members, token2id)
        order = np.random.default_rng([seed, index]).permutation(len(members))
        sizes = np.array([len(members[i]) for i in order])
        n_docs = int(np.searchsorted(np.cumsum(sizes), n_tokens) + 1)
        drawn = [members[i] for i in order[:n_docs]]
        rows += period_signals(period, drawn, None, token2id, None, 0, rest, with_oov=False)
    return pd.DataFrame(rows, columns=SIGNAL_COLUMNS)
