"""Change points in each theme's prevalence series: shifts in the level that noise does not explain.

Default method (``time.change_points.method: calibrated``, :func:`detect_changes`):

* the series is ``trend + steps + noise``, the noise of period ``t`` having standard deviation
  ``sigma × se_t`` (``se_t``: the bootstrap standard error of that period, from the prevalence
  table; ``sigma >= 1`` allows extra variation between periods) and AR(1) correlation ``phi``;
* the steps are the exact weighted least-squares segmentation (weights ``1 / (sigma se_t)²``) that
  minimises ``error + penalty × changes`` with the penalty
  ``c × log(n) × (1 + phi) / (1 - phi)``: BIC-like, inflated by the long-run variance of AR(1)
  noise. ``sigma`` and ``phi`` come from the residuals of a first, conservative fit
  (``phi = 0.5`` assumed); ``c = 1.5`` was calibrated by simulation (``bench/bench_changepoints.py``):
  at most 6.5% of flat series with AR(1) ``phi <= 0.5`` and uneven noise get a change, 24 to 200
  periods, while a step of 3 standard errors is found >= 90% of the time;
* one straight line over the whole series belongs to the null model (it costs one penalty): a
  smooth rise is a trend, not a staircase of changes;
* each change gets a ``confidence``: the share of series redrawn from the fitted model (new AR(1)
  noise of the estimated size) in which a change is found again within two periods, and the
  range of periods where it falls in them (``date_low`` – ``date_high``).

The rate of false alarms holds per theme; with ``familywise: true`` the penalty grows by
``2 log(number of themes)`` per change so that it holds for all themes together.
Periods flagged ``low_n`` are left out. ``method: pelt`` keeps the former detector
(``ruptures`` PELT, ``l2`` cost on the series divided by its robust noise scale, fixed
``penalty``; it flags changes in most flat autocorrelated series).

Example
-------
>>> values = np.r_[np.full(8, 0.1), np.full(8, 0.4)] + np.tile([0.01, -0.01], 8)
>>> change_points(values, penalty=10.0, min_size=2)
[8]
>>> detect_changes(values, np.full(16, 0.02), min_size=2)["starts"]
[8]
"""


import functools
import logging

import numpy as np
import pandas as pd
import ruptures

logger = logging.getLogger(__name__)

CHANGE_POINT_COLUMNS = ["theme", "period", "before", "after"]
EXTRA_COLUMNS = ["confidence", "date_low", "date_high", "phi", "sigma", "slope", "n_periods", "n_themes"]


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


# ---- calibrated detector -------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def default_penalty_factor() -> float:
    """``c`` of the calibrated penalty when none is given: the schema's default, the one place it lives."""
    from scripts.settings import section

    return float(section("time")["change_points"]["penalty_factor"])


MAD_TO_SD = 1.0 / 0.6744897501960817
MAX_PHI = 0.85
MIN_PHI = 0.1
PRELIMINARY_PHI = 0.5
MAX_CHANGES = 12


def _robust_var(values: np.ndarray) -> float:
    """Squared median absolute deviation from the median, scaled to a normal variance."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 0.0
    return float((np.median(np.abs(values - np.median(values))) * MAD_TO_SD) ** 2)


def long_run_factor(phi: float) -> float:
    """Variance inflation of a mean of AR(1) noise, ``(1 + phi) / (1 - phi)``.

    Example
    -------
    >>> long_run_factor(0.5)
    3.0
    """
    return (1.0 + phi) / (1.0 - phi)


def residual_noise(residuals: np.ndarray, se: np.ndarray, starts: list) -> tuple:
    """Noise scale and AR(1) coefficient from the residuals of a fitted segmentation.

    Residuals are divided by ``se``; the lag-1 autocorrelation uses pairs inside one segment and
    is corrected for the bias of demeaning each segment, ``(1 + 3 phi) × segments / n``.

    Parameters
    ----------
    residuals : numpy.ndarray
        Series minus its fitted trend and step function.
    se : numpy.ndarray
        Standard error of each period.
    starts : list of int
        Segment starts of the fit.

    Returns
    -------
    tuple of float
        ``(sigma, phi)``, ``phi`` clipped to ``[MIN_PHI, MAX_PHI]`` (0.1, 0.85): the floor keeps the
        penalty from trusting a noisy estimate of no autocorrelation.

    Example
    -------
    >>> sigma, phi = residual_noise(np.random.default_rng(0).normal(0, 2, 500), np.ones(500), [])
    >>> round(sigma, 1), phi  # white noise: phi sits at its floor MIN_PHI
    (2.0, 0.1)
    """
    z = residuals / se
    n = z.size
    segments = len(starts) + 1
    dof = max(n - segments - 1, 1)
    sigma = float(np.sqrt(np.sum(z * z) / dof))
    same = np.ones(n - 1, dtype=bool)
    for start in starts:
        same[start - 1] = False
    denominator = np.sum(z * z)
    if denominator <= 0 or not same.any():
        return sigma, MIN_PHI
    r1 = float(np.sum(z[1:][same] * z[:-1][same]) / denominator * n / same.sum())
    phi = r1 + (1.0 + 3.0 * max(r1, 0.0)) * segments / n
    return sigma, float(np.clip(phi, MIN_PHI, MAX_PHI))


def segment_means(values: np.ndarray, weights: np.ndarray, starts: list) -> np.ndarray:
    """Weighted mean of each segment, repeated over its periods (the fitted step function)."""
    bounds = [0, *starts, values.size]
    fitted = np.empty(values.size)
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        fitted[lo:hi] = np.sum(weights[lo:hi] * values[lo:hi]) / np.sum(weights[lo:hi])
    return fitted


def optimal_partition(values: np.ndarray, weights: np.ndarray, penalty: float, min_size: int,
                      max_changes: int = MAX_CHANGES) -> list:
    """Exact weighted least-squares segmentation in the mean, with at most ``max_changes`` changes.

    Minimises ``Σ_segments Σ_t w_t (x_t - mean_segment)² + penalty × number of changes`` by
    dynamic programming over the number of segments (all segment costs at once in an
    ``(n + 1) × (n + 1)`` array, so a series of 200 periods takes about a millisecond).

    Parameters
    ----------
    values, weights : numpy.ndarray
        Series and the weight of each period (inverse noise variance).
    penalty : float
        Cost of one change, in the units of the weighted squared error.
    min_size : int
        Shortest segment.
    max_changes : int
        Most changes considered.

    Returns
    -------
    list of int
        Start index of every segment but the first.

    Example
    -------
    >>> optimal_partition(np.r_[np.zeros(6), np.ones(6) * 3], np.ones(12), 5.0, min_size=2)
    [6]
    """
    n = values.size
    if n < 2 * min_size:
        return []
    parts = segment_cost_parts(values, weights, min_size)
    return partition_from_costs(parts[0], penalty, min_size, max_changes)


def segment_cost_parts(values: np.ndarray, weights: np.ndarray, min_size: int) -> tuple:
    """Weighted squared error of every segment ``[s, e)`` of ``values - b t``, as ``A0 - 2 b A1 + b² A2``.

    Returns the three ``(n + 1) × (n + 1)`` arrays ``(A0, A1, A2)``; segments shorter than
    ``min_size`` cost ``inf``. With them the segment costs for any global slope ``b`` take
    three array operations.
    """
    n = values.size
    t = np.arange(n, dtype=float)
    sums = [np.r_[0.0, np.cumsum(weights * term)] for term in (np.ones(n), values, t, values * values, values * t, t * t)]
    sw, sx, st, sxx, sxt, stt = (c[None, :] - c[:, None] for c in sums)
    index = np.arange(n + 1)
    short = index[None, :] - index[:, None] < min_size
    sw = np.where(short, 1.0, sw)
    a0 = sxx - sx * sx / sw
    a1 = sxt - sx * st / sw
    a2 = stt - st * st / sw
    a0[short] = np.inf
    return a0, a1, a2


def partition_from_costs(cost: np.ndarray, penalty: float, min_size: int, max_changes: int = MAX_CHANGES) -> list:
    """Optimal segmentation given the ``(n + 1) × (n + 1)`` segment costs (``inf`` = not allowed).

    Dynamic programming over the number of changes (stops after three numbers in a row that do
    not lower ``cost + penalty × changes``).
    """
    n = cost.shape[0] - 1
    index = np.arange(n + 1)
    best_cost = cost[0].copy()
    best_total, best_k = best_cost[n], 0
    back = []
    limit = min(max_changes, n // min_size - 1)
    worse = 0
    for k in range(1, limit + 1):
        candidates = best_cost[:, None] + cost
        arg = np.argmin(candidates, axis=0)
        best_cost = candidates[arg, index]
        back.append(arg)
        total = best_cost[n] + penalty * k
        if total < best_total:
            best_total, best_k, worse = total, k, 0
        else:
            worse += 1
            if worse >= 3:
                break
    starts, end = [], n
    for k in range(best_k, 0, -1):
        end = int(back[k - 1][end])
        starts.append(end)
    return sorted(starts)


def _fit_steps(values: np.ndarray, weights: np.ndarray, penalty: float, min_size: int, iterations: int,
               start_slope: float | None = None, parts: tuple | None = None) -> tuple:
    """Step function (plus, when ``iterations`` > 0, one global slope fitted in turn with the steps,
    starting from the steps alone or, with ``start_slope``, from that slope).

    Returns ``(starts, slope, fitted, penalised cost)``.
    """
    t = np.arange(values.size, dtype=float)
    a0, a1, a2 = segment_cost_parts(values, weights, min_size) if parts is None else parts
    slope = 0.0 if start_slope is None else float(start_slope)
    starts = partition_from_costs(a0 - 2 * slope * a1 + slope * slope * a2, penalty, min_size)
    for _ in range(iterations):
        t_centred = t - segment_means(t, weights, starts)
        x_centred = values - segment_means(values, weights, starts)
        denominator = np.sum(weights * t_centred ** 2)
        new_slope = float(np.sum(weights * t_centred * x_centred) / denominator) if denominator > 0 else 0.0
        if np.isclose(new_slope, slope, rtol=1e-6, atol=1e-12):
            break
        slope = new_slope
        starts = partition_from_costs(a0 - 2 * slope * a1 + slope * slope * a2, penalty, min_size)
    fitted = slope * t + segment_means(values - slope * t, weights, starts)
    score = float(np.sum(weights * (values - fitted) ** 2)) + penalty * len(starts)
    return starts, slope, fitted, score


def detect_changes(
    values: np.ndarray,
    se: np.ndarray | None,
    min_size: int,
    penalty_factor: float | None = None,
    n_series: int = 1,
    trend: bool = True,
    iterations: int = 3,
    rounds: int = 2,
) -> dict:
    """Shifts in the mean of a noisy series, with a penalty calibrated for autocorrelated, uneven noise.

    1. Noise: a first fit assumes ``phi = 0.5`` and takes ``sigma`` from the median absolute
       lag-1 difference standardised by ``se``; later rounds (``rounds``) take ``sigma`` and
       ``phi`` from the residuals of the previous fit (:func:`residual_noise`). ``sigma`` is not
       taken below 1 when ``se`` is given (the series cannot be less noisy than its sampling error).
    2. Segmentation: exact weighted least squares (weights ``1 / (sigma se_t)²``) with the penalty
       ``penalty_factor × log(n) × (1 + phi) / (1 - phi)`` (+ ``2 log(n_series)`` per change when
       several series are tested and the false-alarm rate is to hold for the family).
    3. Trend: a model with one straight line over the whole series plus steps (line and steps
       fitted in turn, started from the steps and from the plain line) competes with the steps
       alone; the line costs one penalty. A smooth linear rise is one line, not a staircase.

    Parameters
    ----------
    values : numpy.ndarray
        The series, in period order.
    se : numpy.ndarray, optional
        Standard error of each value; default: the series' own robust noise scale everywhere.
    min_size : int
        Shortest segment, in periods.
    penalty_factor : float, optional
        ``c`` of the penalty (default: the schema's ``time.change_points.penalty_factor``, calibrated by simulation so
        that at most ~10% of flat series get a change for AR(1) ``phi <= 0.5`` and 24-200 periods).
    n_series : int
        Number of series tested together (multiplicity); 1 = per-series error rate.
    trend : bool
        Include the linear trend in the null model.
    iterations : int
        Rounds of slope / segmentation fitting.

    Returns
    -------
    dict
        ``starts`` (list of int), ``fitted`` (trend + step function), ``slope``, ``sigma``,
        ``phi``, ``penalty``.

    Example
    -------
    >>> rng = np.random.default_rng(0)
    >>> x = np.where(np.arange(40) >= 25, 3.0, 0.0) + rng.normal(0, 1, 40)
    >>> detect_changes(x, np.ones(40), min_size=2)["starts"]
    [25]
    >>> detect_changes(np.linspace(0, 8, 40) + rng.normal(0, 1, 40), np.ones(40), min_size=2)["starts"]
    []
    """
    values = np.asarray(values, dtype=float)
    n = values.size
    own_scale = se is None
    se = np.ones(n) if se is None else np.asarray(se, dtype=float)
    se = np.where(np.isfinite(se) & (se > 0), se, np.nan)
    if np.isnan(se).all():
        se, own_scale = np.ones(n), True
    se = np.where(np.isnan(se), np.nanmedian(se), se)
    empty = dict(starts=[], fitted=np.full(n, values.mean() if n else np.nan), slope=0.0, sigma=0.0, phi=0.0, penalty=np.inf)
    if n < 2 * min_size or n < 4:
        return empty
    d1 = np.diff(values) / np.sqrt(se[1:] ** 2 + se[:-1] ** 2)
    sigma = float(np.sqrt(_robust_var(d1) / (1.0 - PRELIMINARY_PHI)))
    if sigma <= 0:
        return empty
    factor = default_penalty_factor() if penalty_factor is None else float(penalty_factor)
    base = factor * np.log(n) + 2.0 * np.log(max(n_series, 1))
    phi = PRELIMINARY_PHI
    for round_ in range(rounds):
        if round_ > 0:
            sigma, phi = residual_noise(values - fitted, se, starts)
        if not own_scale:
            sigma = max(sigma, 1.0)
        penalty = base * long_run_factor(phi)
        weights = 1.0 / (sigma * se) ** 2
        parts = segment_cost_parts(values, weights, min_size)
        starts, slope, fitted, score = _fit_steps(values, weights, penalty, min_size, 0, parts=parts)
        if trend:
            t = np.arange(n, dtype=float)
            line = np.polyfit(t, values, 1, w=np.sqrt(weights))[0]
            for start_slope in (None, line):
                with_trend = _fit_steps(values, weights, penalty, min_size, iterations, start_slope, parts)
                if with_trend[3] + penalty < score:
                    starts, slope, fitted, score = with_trend
                    score = score + penalty
    return dict(starts=starts, fitted=fitted, slope=slope, sigma=sigma, phi=phi, penalty=penalty)


def ar1_noise(rng: np.random.Generator, phi: float, n: int, size: int = 1) -> np.ndarray:
    """``size`` AR(1) series of length ``n`` with unit marginal variance (stationary start).

    Example
    -------
    >>> x = ar1_noise(np.random.default_rng(0), 0.5, 2000, 4)
    >>> x.shape, bool(abs(x.std() - 1) < 0.1)
    ((4, 2000), True)
    """
    shocks = rng.standard_normal((size, n))
    out = np.empty((size, n))
    out[:, 0] = shocks[:, 0]
    scale = np.sqrt(1.0 - phi * phi)
    for i in range(1, n):
        out[:, i] = phi * out[:, i - 1] + scale * shocks[:, i]
    return out


def change_confidence(
    values: np.ndarray,
    se: np.ndarray | None,
    found: dict,
    n_boot: int,
    seed: int = 0,
    tolerance: int | None = None,
    level: float = 0.9,
    **options,
) -> pd.DataFrame:
    """How often each change recurs when the series is redrawn, and where it falls.

    Replicates are the fitted model (trend + steps of ``found``) plus new AR(1) noise with the
    estimated ``phi`` and scale ``sigma × se``; the detector is rerun on each. A change's
    ``confidence`` is the share of replicates with a change within ``tolerance`` periods of it
    (default ``max(2, min_size)``); ``low``/``high`` are the ``level`` range of those replicate
    locations (in period indices), stretched to include the change itself. The replicates keep
    the fitted steps, so ``confidence`` says how reliably a change of that size and place is
    recovered from noise like the series' own — a low value flags a change the noise could
    have made or moved, not a probability that the change is real.

    Parameters
    ----------
    values, se
        As for :func:`detect_changes`.
    found : dict
        The result of :func:`detect_changes` on ``values``.
    n_boot : int
        Replicates.
    seed : int
        Seed of the replicates.
    tolerance : int, optional
        Matching window, in periods.
    level : float
        Coverage of the location range.
    **options
        Passed to :func:`detect_changes` (``min_size``, ``penalty_factor``, ``n_series``, ``trend``).

    Returns
    -------
    pandas.DataFrame
        ``start, confidence, low, high`` (one row per change of ``found``).

    Example
    -------
    >>> x = np.where(np.arange(30) >= 15, 4.0, 0.0) + np.random.default_rng(1).normal(0, 1, 30)
    >>> found = detect_changes(x, np.ones(30), min_size=2)
    >>> table = change_confidence(x, np.ones(30), found, n_boot=50, min_size=2)
    >>> table["start"].tolist(), bool(table["confidence"].iloc[0] > 0.8)
    ([15], True)
    """
    starts = list(found["starts"])
    columns = ["start", "confidence", "low", "high"]
    if not starts:
        return pd.DataFrame(columns=columns)
    values = np.asarray(values, dtype=float)
    n = values.size
    se_arr = np.ones(n) if se is None else np.asarray(se, dtype=float)
    se_arr = np.where(np.isfinite(se_arr) & (se_arr > 0), se_arr, np.nanmedian(se_arr) if np.isfinite(se_arr).any() else 1.0)
    tolerance = max(2, int(options["min_size"])) if tolerance is None else int(tolerance)
    rng = np.random.default_rng(seed)
    noise = ar1_noise(rng, found["phi"], n, n_boot) * found["sigma"] * se_arr
    matched = [[] for _ in starts]
    for replicate in found["fitted"] + noise:
        again = np.asarray(detect_changes(replicate, se, **options)["starts"])
        if again.size == 0:
            continue
        for i, start in enumerate(starts):
            distance = np.abs(again - start)
            if distance.min() <= tolerance:
                matched[i].append(int(again[np.argmin(distance)]))
    tail = (1.0 - level) / 2.0
    rows = []
    for start, hits in zip(starts, matched):
        if hits:
            low, high = np.quantile(hits, [tail, 1.0 - tail], method="inverted_cdf")
        else:
            low = high = start
        rows.append((start, len(hits) / n_boot, int(min(low, start)), int(max(high, start))))
    return pd.DataFrame(rows, columns=columns)


def change_point_table(
    prevalence: pd.DataFrame,
    penalty: float,
    min_size: int,
    method: str,
    penalty_factor: float,
    n_boot: int,
    familywise: bool,
    seed: int = 0,
    level: float = 0.9,
) -> pd.DataFrame:
    """Change points of every theme's series: ``theme, period, before, after`` and, for the
    calibrated method, ``confidence, date_low, date_high, phi, sigma, n_periods, n_themes``.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        ``period, theme, prevalence, low_n`` and, when present, ``se`` (the prevalence table).
        Periods flagged ``low_n`` are left out.
    penalty : float
        Penalty of the ``pelt`` method (see :func:`change_points`).
    min_size : int
        Shortest segment, in periods.
    method : {"calibrated", "pelt"}
        ``calibrated`` (:func:`detect_changes`, weights ``1 / se²``, AR(1) and trend aware,
        bootstrap confidence) or the former ``pelt``.
    penalty_factor : float
        ``c`` of the calibrated penalty (``time.change_points.penalty_factor``).
    n_boot : int
        Replicates for ``confidence`` and the date range (0: none, confidence left empty).
    familywise : bool
        Raise the penalty by ``2 log(number of themes)`` so that the false-alarm rate holds for
        all themes together instead of for each theme.
    seed : int
        Seed of the replicates.
    level : float
        Coverage of ``date_low`` – ``date_high``.

    Returns
    -------
    pandas.DataFrame
        One row per change: the first period of the new segment, the mean prevalence of the
        segments before and after it, how often it recurs in redrawn series (``confidence``, 0-1)
        and the range of periods where it falls in them (``date_low``, ``date_high``).
    """
    if method not in ("calibrated", "pelt"):
        raise ValueError(f"time.change_points.method must be calibrated or pelt, not {method!r}")
    rows = []
    themes = sorted(prevalence["theme"].unique()) if len(prevalence) else []
    for index, theme in enumerate(themes):
        series = prevalence[prevalence["theme"] == theme].sort_values("period")
        if "low_n" in series:
            series = series[~series["low_n"].astype(str).str.lower().isin(["true", "1"])]
        values = series["prevalence"].to_numpy(dtype=float)
        periods = series["period"].astype(str).to_numpy()
        se = series["se"].to_numpy(dtype=float) if "se" in series else None
        if method == "pelt":
            starts, info = change_points(values, penalty, min_size), None
        else:
            options = dict(min_size=min_size, penalty_factor=penalty_factor,
                           n_series=len(themes) if familywise else 1)
            info = detect_changes(values, se, **options)
            starts = info["starts"]
            if starts and n_boot > 0:
                confidence = change_confidence(values, se, info, n_boot=n_boot, seed=seed * 1000 + index,
                                               level=level, **options).set_index("start")
        bounds = [0, *starts, values.size]
        for i, start in enumerate(starts, start=1):
            before = values[bounds[i - 1]:start].mean()
            after = values[start:bounds[i + 1]].mean()
            row = {"theme": theme, "period": periods[start], "before": round(float(before), 10),
                   "after": round(float(after), 10)}
            if info is not None:
                if n_boot > 0:
                    found = confidence.loc[start]
                    row.update(confidence=round(float(found["confidence"]), 4), date_low=periods[int(found["low"])],
                               date_high=periods[int(found["high"])])
                else:
                    row.update(confidence=np.nan, date_low=periods[start], date_high=periods[start])
                row.update(phi=round(info["phi"], 4), sigma=round(info["sigma"], 4), slope=round(info["slope"], 10),
                           n_periods=int(values.size), n_themes=len(themes))
            rows.append(row)
        logger.info("theme %s: %d change point(s)", theme, len(starts))
    columns = CHANGE_POINT_COLUMNS + (EXTRA_COLUMNS if method == "calibrated" else [])
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["theme", "period"]).reset_index(drop=True)


def simulate_series(kind: str, phi: float, n: int, size: int, rng: np.random.Generator,
                    step_sd: float = 3.0, rise_sd: float = 6.0, level: float = 0.2) -> tuple:
    """Prevalence-like series for calibration: flat, one step, or a linear rise, with uneven AR(1) noise.

    Each period's standard error is ``0.02 × sqrt(30 / documents)`` with documents
    ``3 + NegBin(mean 30, size 2)`` (skewed, like monthly news counts); the noise is AR(1) with
    coefficient ``phi`` and unit variance, times that standard error. A ``step`` of ``step_sd``
    root-mean-square standard errors starts at a random period in the middle half; a ``linear``
    rise climbs ``rise_sd`` of them from the first to the last period.

    Parameters
    ----------
    kind : {"flat", "step", "linear"}
    phi : float
        AR(1) coefficient of the noise.
    n, size : int
        Periods per series and number of series.
    rng : numpy.random.Generator
    step_sd, rise_sd, level : float
        Step height, total rise (in standard errors) and base level.

    Returns
    -------
    tuple of numpy.ndarray
        ``(values, se, step_at)``: ``(size, n)``, ``(size, n)`` and ``(size,)`` (-1 without a step).

    Example
    -------
    >>> values, se, at = simulate_series("step", 0.5, 24, 3, np.random.default_rng(0))
    >>> values.shape, bool(((at >= 6) & (at <= 18)).all())
    ((3, 24), True)
    """
    counts = 3 + rng.negative_binomial(2, 2 / (2 + 30), size=(size, n))
    se = 0.02 * np.sqrt(30 / counts)
    values = level + se * ar1_noise(rng, phi, n, size)
    rms = np.sqrt((se ** 2).mean(axis=1))
    step_at = np.full(size, -1)
    if kind == "step":
        step_at = rng.integers(n // 4, 3 * n // 4 + 1, size=size)
        values = values + step_sd * rms[:, None] * (np.arange(n)[None, :] >= step_at[:, None])
    elif kind == "linear":
        values = values + np.linspace(0.0, 1.0, n)[None, :] * rise_sd * rms[:, None]
    elif kind != "flat":
        raise ValueError(f"kind must be flat, step or linear, not {kind!r}")
    return values, se, step_at


def detection_rates(kind: str, phi: float, n: int, size: int, seed: int, min_size: int, tolerance: int = 2,
                    **options) -> dict:
    """Share of simulated series (:func:`simulate_series`) with any change, with the planted step found,
    and the mean number of changes.

    Parameters
    ----------
    kind, phi, n, size
        See :func:`simulate_series`.
    seed : int
        Seed of the simulation.
    min_size : int
        Shortest segment, in periods (``time.change_points.min_size``).
    tolerance : int
        A planted step counts as found when a change lies within this many periods of it.
    **options
        Passed to :func:`detect_changes`.

    Returns
    -------
    dict
        ``any_change`` (false-positive rate for ``flat``), ``found`` (power for ``step``; NaN
        otherwise) and ``mean_changes``.
    """
    values, se, step_at = simulate_series(kind, phi, n, size, np.random.default_rng(seed))
    found = [detect_changes(v, s, min_size, **options)["starts"] for v, s in zip(values, se)]
    hit = [any(abs(start - at) <= tolerance for start in starts) for starts, at in zip(found, step_at)]
    return dict(
        any_change=float(np.mean([len(starts) > 0 for starts in found])),
        found=float(np.mean(hit)) if kind == "step" else float("nan"),
        mean_changes=float(np.mean([len(starts) for starts in found])),
    )
