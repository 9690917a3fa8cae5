"""Effects of time and metadata on theme shares: least squares with a two-level bootstrap.

For each configured effect (``effects``: a name and a formula, :mod:`scripts.settings.formula`) and
each theme, the document's theme share (the chosen model's, ``doc_themes.parquet``) is regressed
on the formula's design matrix by ordinary least squares, as stm's ``estimateEffect`` does with
topic proportions. Estimates are in **percentage points of theme share** (``time``: points per
period of ``time.freq``).

The uncertainty comes from the bootstrap of the prevalence curves (:mod:`scripts.themes.prevalence`),
one replicate at a time: draw one seed model of the chosen K (its own shares), resample documents
with replacement (parent texts when the corpus is segmented), refit. The interval is, with
``time.interval: logit_t`` (default), ``estimate ± t · se`` with ``se`` the standard deviation of
the replicates and ``t`` the Student-t quantile with ``n_clusters - p`` degrees of freedom (no logit:
an effect is a difference of shares); with ``percentile``, the percentile range of the replicates.
Replicates whose resampled design is singular (a rare level not drawn) are left out and counted.

On 200 generated corpora with a planted group difference and event effect, the 95% interval covered the
planted value in 93.5–98% of them (``bench/bench_effects.py``, ``bench/results/effects.md``).

Example
-------
>>> rng = np.random.default_rng(0)
>>> group = np.repeat([0.0, 1.0], 200)
>>> shares = np.clip(0.2 + 0.1 * group + rng.normal(0, 0.05, 400), 0, 1)[:, None]
>>> point, reps, n_clusters, used = bootstrap_coefficients(np.column_stack([np.ones(400), group]), [shares], 0, 200, rng)
>>> bool(abs(point[1, 0] - 0.1) < 0.02), reps.shape, n_clusters, used
(True, (200, 2, 1), 400, 200)
"""


import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from scripts.logs import UserInputError
from scripts.settings.formula import EVENT, TIME, parse_formula
from scripts.themes.design import ReferenceLevelError, design_matrix
from scripts.themes.prevalence import BOOT_BLOCK, PERIOD_CODES
from scripts.themes.settings import EffectSettings, TimeSettings

logger = logging.getLogger(__name__)

#: Columns of effects.csv, in order.
EFFECT_COLUMNS = [
    "effect", "formula", "theme", "term", "variables", "reference", "event", "event_date",
    "estimate", "se", "ci_low", "ci_high", "level", "n", "n_term", "n_clusters", "n_boot_used",
]
#: documents.parquet columns that are never metadata of a formula.
NOT_METADATA = ("doc_id", "parent_id", "text", "title", "date")
POINTS = 100.0  # shares to percentage points


def period_index(dates: pd.Series, freq: str) -> np.ndarray:
    """Periods (``time.freq``) since the first document's period: the ``time`` variable.

    Example
    -------
    >>> period_index(pd.Series(pd.to_datetime(["2024-01-31", "2024-03-01", "2025-01-05"])), "month").tolist()
    [0, 2, 12]
    """
    ordinals = pd.PeriodIndex(pd.to_datetime(pd.Series(dates)).dt.to_period(PERIOD_CODES[freq])).asi8
    return (ordinals - ordinals.min()).astype(int)


def effect_variables(dates: pd.Series, freq: str, metadata: pd.DataFrame | None, event_date: str | None) -> pd.DataFrame:
    """The variables a formula may use, one row per document: ``time``, ``post_event`` and metadata.

    Parameters
    ----------
    dates : pandas.Series
        Document dates.
    freq : str
        ``time.freq``.
    metadata : pandas.DataFrame or None
        Metadata columns, rows aligned with ``dates``.
    event_date : str or None
        ISO date of the event; ``post_event`` is 1 on and after it (0 everywhere when ``None``).

    Example
    -------
    >>> effect_variables(pd.Series(["2024-01-10", "2024-02-20"]), "month", None, "2024-02-01")[["time", "post_event"]].values.tolist()
    [[0, 0], [1, 1]]
    """
    dates = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    frame = pd.DataFrame({TIME: period_index(dates, freq)})
    frame[EVENT] = (dates >= pd.Timestamp(event_date)).astype(int).to_numpy() if event_date else 0
    if metadata is not None:
        for column in metadata.columns:
            frame[column] = metadata[column].to_numpy()
    return frame


def bootstrap_coefficients(matrix: np.ndarray, shares_by_seed: list, chosen: int, n_boot: int,
                           rng: np.random.Generator, clusters: np.ndarray | None = None) -> tuple:
    """Least-squares coefficients of every theme's share and their two-level bootstrap replicates.

    Each replicate draws one seed model, then resamples clusters (parent documents, or each
    document on its own) with replacement, and solves the weighted normal equations
    ``(X' W X) b = X' W y`` with ``W`` the number of times each document was drawn.

    Parameters
    ----------
    matrix : numpy.ndarray
        ``(n_documents, p)`` design matrix with the intercept (:func:`scripts.themes.design.design_matrix`).
    shares_by_seed : list of numpy.ndarray
        One ``(n_documents, n_themes)`` array per seed model of the chosen K, rows aligned.
    chosen : int
        Index of the chosen model (the point estimate).
    n_boot : int
        Replicates.
    rng : numpy.random.Generator
    clusters : numpy.ndarray, optional
        Cluster of each document (``parent_id``); default: one per document.

    Returns
    -------
    tuple
        ``(point, replicates, n_clusters, n_used)``: ``(p, n_themes)``, ``(n_boot, p, n_themes)``
        (NaN for a replicate whose resampled design is singular), clusters, usable replicates.
    """
    n_docs, p = matrix.shape
    point, _, rank, _ = np.linalg.lstsq(matrix, shares_by_seed[chosen], rcond=None)
    if rank < p:
        raise UserInputError("the design matrix is singular (a term is constant or repeats another)")
    if clusters is None:
        codes, n_clusters = np.arange(n_docs), n_docs
    else:
        _, codes = np.unique(np.asarray(clusters), return_inverse=True)
        n_clusters = int(codes.max()) + 1
    outer = (matrix[:, :, None] * matrix[:, None, :]).reshape(n_docs, p * p)
    cross_by_seed = [(matrix[:, :, None] * shares[:, None, :]).reshape(n_docs, -1) for shares in shares_by_seed]
    n_themes = shares_by_seed[0].shape[1]
    replicates = np.full((n_boot, p, n_themes), np.nan)
    model_of_replicate = rng.integers(0, len(shares_by_seed), size=n_boot)
    for start in range(0, n_boot, BOOT_BLOCK):
        stop = min(start + BOOT_BLOCK, n_boot)
        counts = rng.multinomial(n_clusters, np.full(n_clusters, 1.0 / n_clusters), size=stop - start)
        weights = counts[:, codes].astype(float)
        gram = (weights @ outer).reshape(-1, p, p)
        scale = np.sqrt(np.einsum("bii->bi", gram)).clip(min=1e-300)
        conditioned = np.linalg.cond(gram / scale[:, :, None] / scale[:, None, :]) < 1e10
        for model, cross in enumerate(cross_by_seed):
            rows = np.flatnonzero((model_of_replicate[start:stop] == model) & conditioned)
            if rows.size:
                right = (weights[rows] @ cross).reshape(-1, p, n_themes)
                replicates[start + rows] = np.linalg.solve(gram[rows], right)
    n_used = int(np.isfinite(replicates[:, 0, 0]).sum())
    return point, replicates, n_clusters, n_used


def coefficient_intervals(point: np.ndarray, replicates: np.ndarray, n_clusters: int, level: float,
                          method: str) -> tuple:
    """Interval of each coefficient from its replicates: ``(ci_low, ci_high, se)``.

    ``logit_t`` (the ``time.interval`` default): ``point ± q · se``, ``q`` the Student-t quantile with
    ``n_clusters - p`` degrees of freedom times ``sqrt(n / (n - 1))``; ``percentile``: the
    percentile range of the replicates.

    Example
    -------
    >>> reps = np.random.default_rng(0).normal(0.0, 0.01, size=(4000, 2, 1))
    >>> low, high, se = coefficient_intervals(np.zeros((2, 1)), reps, 500, 0.95, "logit_t")
    >>> round(float(se[0, 0]), 3), bool(-0.021 < low[0, 0] < -0.019)
    (0.01, True)
    """
    se = np.nanstd(replicates, axis=0)
    tail = (1.0 - level) / 2.0
    if method == "percentile":
        low, high = np.nanquantile(replicates, [tail, 1.0 - tail], axis=0)
        return low, high, se
    p = point.shape[0]
    q = stats.t.ppf(1.0 - tail, max(n_clusters - p, 1)) * np.sqrt(n_clusters / max(n_clusters - 1, 1))
    return point - q * se, point + q * se, se


def effect_table(effect: EffectSettings, variables: pd.DataFrame, shares_by_seed: list, chosen: int, themes: list,
                 n_boot: int, level: float, seed: int, method: str, clusters=None, event_date: str | None = None,
                 columns=()) -> pd.DataFrame:
    """Rows of effects.csv for one effect: every theme × every term, in percentage points.

    Parameters
    ----------
    effect : EffectSettings
    variables : pandas.DataFrame
        :func:`effect_variables` of the documents (rows aligned with the shares).
    shares_by_seed : list of numpy.ndarray
        ``(n_documents, n_themes)`` shares per seed model of the chosen K.
    chosen : int
        Index of the chosen model.
    themes : list of str
        Theme names (columns of the shares).
    n_boot, level, seed, method
        ``time.n_boot``, ``time.ci_level``, ``time.seed``, ``time.interval``.
    clusters : array-like, optional
        Parent document of each document (cluster bootstrap).
    event_date : str, optional
        ISO date of the effect's event.
    columns : sequence of str
        Metadata columns the formula may use.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EFFECT_COLUMNS`.
    """
    formula = parse_formula(effect.formula, list(columns))
    try:
        matrix, design = design_matrix(formula, variables, effect.spline_df, effect.reference)
    except ReferenceLevelError as error:
        raise UserInputError(f"config key effects (name {effect.name}).{error}") from None
    rng = np.random.default_rng([seed, sum(map(ord, effect.name))])
    labels = None if clusters is None else pd.Series(clusters).astype(str).to_numpy()
    point, replicates, n_clusters, n_used = bootstrap_coefficients(matrix, shares_by_seed, chosen, n_boot, rng, labels)
    if n_used < n_boot:
        logger.warning("effect %s: %d of %d replicates had a singular design (a rare level not drawn) and were left out",
                       effect.name, n_boot - n_used, n_boot)
    low, high, se = coefficient_intervals(point, replicates, n_clusters, level, method)
    rows = []
    for j, theme in enumerate(themes):
        for i, column in enumerate(design, start=1):
            reference = "; ".join(f"{variable}={ref}" for variable, _, ref in column.levels)
            rows.append({
                "effect": effect.name, "formula": effect.formula, "theme": theme, "term": column.name,
                "variables": column.term, "reference": reference,
                "event": effect.event or "", "event_date": event_date or "",
                "estimate": POINTS * point[i, j], "se": POINTS * se[i, j],
                "ci_low": POINTS * low[i, j], "ci_high": POINTS * high[i, j], "level": level,
                "n": len(variables), "n_term": column.n_nonzero, "n_clusters": n_clusters, "n_boot_used": n_used,
            })
    table = pd.DataFrame(rows, columns=EFFECT_COLUMNS)
    for name in ("estimate", "se", "ci_low", "ci_high"):
        table[name] = table[name].astype(float).round(8)
    return table


def event_date_of(events: pd.DataFrame | None, label: str, effect: str) -> str:
    """Date of the event ``label`` in the checked events table; a clear error when it is not there."""
    if events is None:
        raise UserInputError(f"effects {effect}: event {label!r} needs time.events")
    rows = events[events["label"] == label]
    if rows.empty:
        raise UserInputError(f"effects {effect}: event {label!r} is not in time.events "
                             f"(labels: {', '.join(map(repr, events['label'].unique()))})")
    if rows["date"].nunique() > 1:
        raise UserInputError(f"effects {effect}: event {label!r} has several dates in time.events "
                             f"({', '.join(rows['date'])}); give each event its own label")
    return str(rows["date"].iloc[0])


def shares_by_seed_from_table(table: pd.DataFrame, chosen_seed: int) -> tuple:
    """Split ``doc_themes_by_seed.parquet`` into aligned arrays: ``(doc_ids, dates, themes, shares_by_seed, chosen)``."""
    themes = [c for c in table.columns if c not in ("seed", "doc_id", "date")]
    seeds = sorted(table["seed"].unique())
    if chosen_seed not in seeds:
        raise UserInputError(f"doc_themes_by_seed.parquet lacks the chosen seed {chosen_seed}; rerun track_themes")
    first = table[table["seed"] == seeds[0]]
    shares_by_seed = []
    for seed in seeds:
        rows = table[table["seed"] == seed]
        if not np.array_equal(rows["doc_id"].to_numpy(), first["doc_id"].to_numpy()):
            raise UserInputError("doc_themes_by_seed.parquet: the seed models list different documents; rerun track_themes")
        shares_by_seed.append(rows[themes].to_numpy(dtype=float))
    return first["doc_id"].to_numpy(), first["date"], themes, shares_by_seed, seeds.index(chosen_seed)


def run_estimate_effects(smk) -> None:
    """Snakemake entry point of ``estimate_effects``."""
    from scripts.themes.pipeline import parent_clusters, read_documents

    selection = json.loads(Path(smk.input.selection).read_text(encoding="utf-8"))
    time = TimeSettings.from_config(smk.params.time)
    effects = EffectSettings.from_config(smk.params.effects)
    table = pd.read_parquet(smk.input.doc_themes_by_seed)
    doc_ids, dates, themes, shares_by_seed, chosen = shares_by_seed_from_table(table, int(selection["seed"]))
    import pyarrow.parquet as pq

    available = [c for c in pq.read_schema(smk.input.documents).names if c not in NOT_METADATA]
    documents = read_documents(smk.input.documents, doc_ids, available)
    clusters = parent_clusters(documents)
    events = pd.read_csv(smk.input.events, dtype=str, keep_default_na=False) if smk.input.get("events") else None
    tables = []
    for effect in effects:
        formula = parse_formula(effect.formula, available)  # the config check allowed keep_columns; these exist
        metadata = [name for name in formula.variables if name in available]
        event_date = event_date_of(events, effect.event, effect.name) if EVENT in formula.variables else None
        variables = effect_variables(dates, time.freq, documents[metadata] if metadata else None, event_date)
        logger.info("effect %s: %s on %d documents, %d themes", effect.name, effect.formula, len(variables), len(themes))
        tables.append(effect_table(
            effect, variables, shares_by_seed, chosen, themes, time.n_boot, time.ci_level, time.seed, time.interval,
            clusters=clusters, event_date=event_date, columns=available,
        ))
    result = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=EFFECT_COLUMNS)
    result.to_csv(smk.output.effects, index=False)
