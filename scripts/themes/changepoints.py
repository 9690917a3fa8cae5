"""Change points in each theme's prevalence series (``ruptures``, PELT with a least-squares cost).

Model: the series is piecewise constant plus noise (cost ``l2``: shifts in the mean), segmented by
PELT, the exact search for the segmentation that minimises ``cost + penalty × number of
changes``. So that one penalty means the same thing for every theme, each series is first divided
by its noise scale, estimated robustly from the period-to-period differences
(``median |Δx| / (0.6745 √2)``, insensitive to the few large jumps that are the change points
themselves). The penalty ``time.change_points.penalty`` is therefore in units of the noise
variance: a change is kept when it lowers the squared error by more than ``penalty`` noise
variances. A shift of ``d`` noise units between two segments of ``n1`` and ``n2`` periods lowers it by
``d² n1 n2 / (n1 + n2)``; the default 10 keeps a sustained shift of ~2.5 noise units between
segments of 4+ periods and ignores single noisy periods. ``min_size`` is the shortest segment.
Periods flagged ``low_n`` are left out of the search (their noise would make spurious breaks).

Example
-------
>>> values = np.r_[np.full(8, 0.1), np.full(8, 0.4)] + np.tile([0.01, -0.01], 8)
>>> change_points(values, penalty=10.0, min_size=2)
[8]
"""


import logging

import numpy as np
import pandas as pd
import ruptures

logger = logging.getLogger(__name__)

CHANGE_POINT_COLUMNS = ["theme", "period", "before", "after"]


def noise_scale(values: np.ndarray) -> float:
    """Robust noise standard deviation of a series from its first differences.

    Example
    -------
    >>> round(noise_scale(np.array([0.0, 1.0, 0.0, 1.0, 0.0])), 3)
    1.048
    """
    if values.size < 3:
        return 0.0
    scale = float(np.median(np.abs(np.diff(values)))) / (0.6745 * np.sqrt(2.0))
    if scale <= 0:
        scale = float(np.std(np.diff(values))) / np.sqrt(2.0)
    return float(scale)


def change_points(values: np.ndarray, penalty: float, min_size: int) -> list:
    """Indices where a new segment starts in ``values`` (PELT, ``l2`` cost, noise-scaled).

    Parameters
    ----------
    values : numpy.ndarray
        The series, in period order.
    penalty : float
        Penalty per change, in noise variances.
    min_size : int
        Minimum segment length, in periods.

    Returns
    -------
    list of int
        Start index of every segment but the first.
    """
    values = np.asarray(values, dtype=float)
    scale = noise_scale(values)
    if values.size < 2 * min_size or scale <= 0:
        return []
    signal = ((values - values.mean()) / scale).reshape(-1, 1)
    breaks = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(signal).predict(pen=penalty)
    return [int(b) for b in breaks[:-1]]


def change_point_table(prevalence: pd.DataFrame, penalty: float, min_size: int) -> pd.DataFrame:
    """Change points of every theme's series: ``theme, period, before, after``.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        ``period, theme, prevalence, low_n`` (the prevalence table).
    penalty, min_size
        See :func:`change_points`.

    Returns
    -------
    pandas.DataFrame
        One row per change: the first period of the new segment and the mean prevalence of the
        segments before and after it.
    """
    rows = []
    for theme, series in prevalence.groupby("theme", sort=True):
        series = series.sort_values("period")
        if "low_n" in series:
            series = series[~series["low_n"].astype(bool)]
        values = series["prevalence"].to_numpy(dtype=float)
        starts = change_points(values, penalty, min_size)
        bounds = [0, *starts, values.size]
        for i, start in enumerate(starts, start=1):
            before = values[bounds[i - 1]:start].mean()
            after = values[start:bounds[i + 1]].mean()
            rows.append((theme, series["period"].iloc[start], round(float(before), 10), round(float(after), 10)))
        logger.info("theme %s: %d change point(s)", theme, len(starts))
    return pd.DataFrame(rows, columns=CHANGE_POINT_COLUMNS).sort_values(["theme", "period"]).reset_index(drop=True)
