"""Synthetic document theme shares with known per-period means: checks of the prevalence intervals
(tests/test_prevalence.py, bench/bench_intervals.py)."""

import numpy as np
import pandas as pd


def synthetic_shares(rng, n_periods=30, mean_docs=30, n_themes=4, concentration=1.2):
    """Documents per period drawn like the news corpora (skewed counts, a few small months) and
    skewed Dirichlet theme shares around known per-period means (the generating curve).

    Parameters
    ----------
    rng : numpy.random.Generator
    n_periods, mean_docs, n_themes : int
        Months, mean documents per month (negative binomial), themes (at most 4).
    concentration : float
        Dirichlet concentration: small values give skewed shares (most documents far from the mean).

    Returns
    -------
    dates : pandas.Series
        One date per document.
    shares : numpy.ndarray
        ``(n_documents, n_themes)`` theme shares.
    truth : pandas.DataFrame
        ``period, theme, truth``: the generating mean of each theme per month.

    Example
    -------
    >>> dates, shares, truth = synthetic_shares(np.random.default_rng(0), n_periods=3)
    >>> shares.shape[1], len(truth)
    (4, 12)
    """
    t = np.linspace(0, 1, n_periods)
    curves = np.column_stack([0.05 + 0.25 * t, 0.10 + 0.08 * np.sin(6 * t), np.where(t > 0.6, 0.25, 0.08),
                              np.full(n_periods, 0.12)])[:, :n_themes]
    curves = np.column_stack([curves, 1 - curves.sum(axis=1)])
    counts = np.maximum(1, rng.negative_binomial(3, 3 / (3 + mean_docs), size=n_periods))
    period = np.repeat(np.arange(n_periods), counts)
    shares = np.vstack([rng.dirichlet(concentration * curves[p]) for p in period])
    dates = pd.Series(pd.date_range("2023-01-01", periods=n_periods, freq="MS")[period])
    truth = pd.DataFrame(curves[:, :n_themes], columns=[f"t{j}" for j in range(n_themes)])
    truth["period"] = pd.date_range("2023-01-01", periods=n_periods, freq="MS").date.astype(str)
    return dates, shares[:, :n_themes], truth.melt("period", var_name="theme", value_name="truth")
