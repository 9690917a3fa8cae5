"""Theme prevalence per period with intervals that carry both sampling and model uncertainty.

A period's prevalence is the mean theme share of its documents in the chosen model. Its interval
is a percentile bootstrap with two levels, one replicate at a time:

1. draw one model among the seeds of the chosen K (each seed's model has its own theme links,
   so a theme that one seed splits and another keeps whole is compared like with like);
2. resample the period's documents with replacement and take the mean of that model's shares.

The ``ci_level`` percentile range of the replicates is the interval; it is widened, if need be,
to contain the point estimate (with very few seeds the chosen model can sit at the edge).
Periods with fewer than ``min_docs`` documents keep their row and are flagged ``low_n``.

Example
-------
>>> period_start(pd.Series(pd.to_datetime(["2024-02-14", "2024-05-01"])), "quarter").dt.date.astype(str).tolist()
['2024-01-01', '2024-04-01']
"""


import logging

import numpy as np
import pandas as pd


logger = logging.getLogger(__name__)

PERIOD_CODES = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
BOOT_BLOCK = 200


def period_start(dates: pd.Series, freq: str) -> pd.Series:
    """First day of each date's period (weeks start on Monday).

    Parameters
    ----------
    dates : pandas.Series
        Dates (anything :func:`pandas.to_datetime` reads).
    freq : {"week", "month", "quarter", "year"}
        ``time.freq`` (checked with the config).

    Returns
    -------
    pandas.Series of datetime64
    """
    return pd.to_datetime(pd.Series(dates).reset_index(drop=True)).dt.to_period(PERIOD_CODES[freq]).dt.start_time


def bootstrap_interval(
    shares_by_seed: list, chosen: int, n_boot: int, level: float, rng: np.random.Generator
) -> tuple:
    """Point estimate and two-level bootstrap interval of the mean share of one block of documents.

    Parameters
    ----------
    shares_by_seed : list of numpy.ndarray
        One ``(n_documents, n_themes)`` array per seed model of the chosen K, rows aligned.
    chosen : int
        Index of the chosen model in ``shares_by_seed`` (gives the point estimate).
    n_boot : int
        Replicates.
    level : float
        Interval level, e.g. 0.95.
    rng : numpy.random.Generator

    Returns
    -------
    tuple of numpy.ndarray
        ``(prevalence, ci_low, ci_high)``, each of shape ``(n_themes,)``.

    Example
    -------
    >>> a = np.array([[0.1], [0.3]]); b = np.array([[0.2], [0.4]])
    >>> point, low, high = bootstrap_interval([a, b], 0, 400, 0.9, np.random.default_rng(0))
    >>> float(point[0]), bool(low[0] <= 0.2 <= high[0]), bool(high[0] <= 0.4)
    (0.2, True, True)
    """
    n_docs = shares_by_seed[0].shape[0]
    point = shares_by_seed[chosen].mean(axis=0)
    replicates = np.empty((n_boot, point.size))
    model_of_replicate = rng.integers(0, len(shares_by_seed), size=n_boot)
    for start in range(0, n_boot, BOOT_BLOCK):
        stop = min(start + BOOT_BLOCK, n_boot)
        counts = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=stop - start)
        for model, shares in enumerate(shares_by_seed):
            rows = np.flatnonzero(model_of_replicate[start:stop] == model)
            if rows.size:
                replicates[start + rows] = counts[rows] @ shares / n_docs
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(replicates, [tail, 1.0 - tail], axis=0)
    return point, np.minimum(low, point), np.maximum(high, point)


def prevalence_table(
    periods: pd.Series,
    shares_by_seed: list,
    chosen: int,
    themes: list,
    n_boot: int,
    level: float,
    seed: int,
    min_docs: int,
    groups: pd.Series | None = None,
) -> pd.DataFrame:
    """Prevalence of every theme in every period (and group) with bootstrap intervals.

    Parameters
    ----------
    periods : pandas.Series
        Period start of each document (see :func:`period_start`).
    shares_by_seed : list of numpy.ndarray
        ``(n_documents, n_themes)`` theme shares, one array per seed model of the chosen K.
    chosen : int
        Index of the chosen model.
    themes : list of str
        Theme names (columns of the share arrays).
    n_boot, level, seed, min_docs
        Replicates, interval level, bootstrap seed, low-count threshold.
    groups : pandas.Series, optional
        Group of each document; adds a leading ``group`` column.

    Returns
    -------
    pandas.DataFrame
        ``[group,] period, theme, prevalence, ci_low, ci_high, n_docs, low_n``, sorted.

    Example
    -------
    >>> periods = period_start(pd.Series(["2024-01-03", "2024-01-20", "2024-02-02"]), "month")
    >>> shares = np.array([[0.2], [0.4], [0.5]])
    >>> table = prevalence_table(periods, [shares], 0, ["a"], 200, 0.95, 1, 2)
    >>> table[["period", "prevalence", "n_docs", "low_n"]].values.tolist()
    [['2024-01-01', 0.3, 2, False], ['2024-02-01', 0.5, 1, True]]
    """
    frame = pd.DataFrame({"period": pd.to_datetime(periods).dt.date.astype(str).to_numpy()})
    keys = ["period"]
    if groups is not None:
        frame.insert(0, "group", pd.Series(groups).fillna("missing").astype(str).to_numpy())
        keys = ["group", "period"]
    rows = []
    for index, (key, block) in enumerate(frame.groupby(keys if len(keys) > 1 else keys[0], sort=True).groups.items()):
        key = key if isinstance(key, tuple) else (key,)
        members = np.asarray(block)
        rng = np.random.default_rng([seed, index])
        point, low, high = bootstrap_interval([s[members] for s in shares_by_seed], chosen, n_boot, level, rng)
        for j, theme in enumerate(themes):
            rows.append((*key, theme, point[j], low[j], high[j], members.size))
    table = pd.DataFrame(rows, columns=[*keys, "theme", "prevalence", "ci_low", "ci_high", "n_docs"])
    table["low_n"] = table["n_docs"] < min_docs
    for column in ("prevalence", "ci_low", "ci_high"):
        table[column] = table[column].astype(float).round(10)
    order = ["group", "theme", "period"] if groups is not None else ["theme", "period"]
    return table.sort_values(order).reset_index(drop=True)


def topic_prevalence_table(periods: pd.Series, doc_topic: np.ndarray) -> pd.DataFrame:
    """Mean topic proportion per period of the chosen model: ``period, topic, prevalence, n_docs``.

    Example
    -------
    >>> periods = period_start(pd.Series(["2024-01-03", "2024-02-02"]), "month")
    >>> topic_prevalence_table(periods, np.array([[0.25, 0.75], [1.0, 0.0]]))["prevalence"].tolist()
    [0.25, 1.0, 0.75, 0.0]
    """
    labels = pd.to_datetime(periods).dt.date.astype(str).to_numpy()
    frame = pd.DataFrame(doc_topic, columns=range(doc_topic.shape[1]))
    frame["period"] = labels
    means = frame.groupby("period").mean()
    counts = frame.groupby("period").size()
    table = means.reset_index().melt(id_vars="period", var_name="topic", value_name="prevalence")
    table["topic"] = table["topic"].astype(int)
    table["prevalence"] = table["prevalence"].round(10)
    table["n_docs"] = table["period"].map(counts).astype(int)
    return table.sort_values(["topic", "period"]).reset_index(drop=True)
