"""Theme figures: prevalence with intervals, change points and events; heatmap; vocabulary drift; groups.

Drawn from ``results/themes/*.csv`` only, each returned with the numbers drawn.

Example
-------
>>> prevalence = pd.DataFrame({"period": ["2024-01-01", "2024-02-01"], "theme": ["a", "a"],
...     "prevalence": [0.1, 0.2], "ci_low": [0.05, 0.1], "ci_high": [0.2, 0.3], "n_docs": [9, 2]})
>>> prevalence_drawn(prevalence, None, None)["element"].tolist()
['curve', 'curve']
"""


import logging
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from scripts.figures.style import (
    apply_rc,
    date_axis,
    figure_legend,
    hide_unused,
    save_figure,
    style_from_config,
)
from scripts.figures.models import grid_shape
from scripts.themes.labels import read_theme_labels, theme_label
from scripts.themes.linking import unreliable_themes
from scripts.text.display import period_label, pretty_term

logger = logging.getLogger(__name__)

CURVE_COLUMNS = ["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs", "low_n"]
POINT_COLUMNS = ["theme", "period", "before", "after", "confidence", "date_low", "date_high"]


def prevalence_drawn(prevalence: pd.DataFrame, change_points, events) -> pd.DataFrame:
    """The numbers a prevalence figure draws: curves, change points and events in one long table.

    Returns
    -------
    pandas.DataFrame
        ``element`` (``curve``, ``change_point`` or ``event``) plus the curve columns,
        ``before, after, confidence, date_low, date_high`` for change points and ``label`` for events.
    """
    curve = prevalence.reindex(columns=CURVE_COLUMNS).assign(element="curve")
    parts = [curve.sort_values(["theme", "period"])]
    if change_points is not None and len(change_points):
        parts.append(change_points.reindex(columns=POINT_COLUMNS).assign(element="change_point"))
    if events is not None and len(events):
        parts.append(events.rename(columns={"date": "period"})[["period", "label"]].assign(element="event"))
    drawn = pd.concat(parts, ignore_index=True)
    columns = ["element", *CURVE_COLUMNS, *POINT_COLUMNS[2:], "label"]
    return drawn.reindex(columns=columns)


def is_low_n(series: pd.DataFrame) -> np.ndarray:
    """Boolean ``low_n`` of each row (``False`` when the column is absent; CSV text read as well).

    Example
    -------
    >>> is_low_n(pd.DataFrame({"low_n": ["True", "False", True]})).tolist()
    [True, False, True]
    """
    if "low_n" not in series:
        return np.zeros(len(series), dtype=bool)
    return series["low_n"].astype(str).str.lower().isin(["true", "1"]).to_numpy()


def draw_theme(ax, series: pd.DataFrame, points: pd.DataFrame, events: pd.DataFrame, color, style, level: float) -> None:
    """One theme's curve, band, low-count periods, change points and events on ``ax``.

    Periods flagged ``low_n`` are drawn apart: the band is lighter there and the point is a hollow,
    larger circle (their estimate rests on few documents). A change point is a dashed line with,
    when the table has them, a grey span from ``date_low`` to ``date_high`` and its confidence.
    """
    series = series.sort_values("period")
    x = pd.to_datetime(series["period"])
    low = is_low_n(series)
    ax.fill_between(x, series["ci_low"], series["ci_high"], where=~low if low.any() else None, color=color, alpha=0.22,
                    linewidth=0, interpolate=False, label=style.label("interval", level=level))
    if low.any():
        ax.fill_between(x, series["ci_low"], series["ci_high"], where=low, color=color, alpha=0.08, linewidth=0)
    ax.plot(x, series["prevalence"], color=color, linewidth=1.8)
    ax.plot(x[~low], series["prevalence"][~low], linestyle="none", color=color, marker="o", markersize=2.5)
    if low.any():
        ax.plot(x[low], series["prevalence"][low], linestyle="none", marker="o", markersize=6, alpha=0.8,
                markerfacecolor="white", markeredgecolor=color, label=style.label("low_n"))
    for i, point in enumerate(points.itertuples()):
        ax.axvline(pd.Timestamp(point.period), color="0.15", linestyle="--", linewidth=1.1,
                   label=style.label("change_point") if i == 0 else None)
        date_low, date_high = getattr(point, "date_low", None), getattr(point, "date_high", None)
        if isinstance(date_low, str) and isinstance(date_high, str) and date_low < date_high:
            ax.axvspan(pd.Timestamp(date_low), pd.Timestamp(date_high), color="0.5", alpha=0.12, linewidth=0)
        confidence = getattr(point, "confidence", None)
        if confidence is not None and np.isfinite(confidence):
            ax.annotate(style.number(f"{confidence:.0%}"), (pd.Timestamp(point.period), 0.97), xycoords=("data", "axes fraction"),
                        fontsize=6.5, color="0.15", ha="left", va="top", xytext=(2, 0), textcoords="offset points")
    for i, event in enumerate(events.itertuples(), start=1):
        ax.axvline(pd.Timestamp(event.date), color="#b2182b", linestyle=":", linewidth=1.2,
                   label=style.label("event") if i == 1 else None)
        ax.annotate(str(i), (pd.Timestamp(event.date), 1.0), xycoords=("data", "axes fraction"), fontsize=7,
                    color="#b2182b", ha="center", va="bottom")
    ax.set_ylim(bottom=0)
    ax.set_ylabel(style.label("prevalence"), fontsize=9)
    date_axis(ax, style)
    ax.grid(alpha=0.3)


UNRELIABLE_COLOR = "#8c8c8c"


def plot_prevalence(prevalence, change_points, events, style, level: float, themes=None, unreliable=frozenset(),
                    labels=None):
    """One panel per theme: mean prevalence with its interval, change points and events.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        ``period, theme, prevalence, ci_low, ci_high, n_docs, low_n``.
    change_points : pandas.DataFrame or None
        ``theme, period, before, after``.
    events : pandas.DataFrame or None
        ``date, label`` (drawn on every panel, numbered; the labels are listed under the figure).
    style : FigureStyle
    level : float
        ``time.ci_level``, the level of the intervals (for the title and legend).
    themes : list of str, optional
        Themes to draw, in order (default: all, in order of appearance).
    unreliable : set of str
        Themes whose link to the topics failed (:func:`unreliable_themes`): drawn in grey, with a
        warning in their title, so they do not read as ordinary curves.
    labels : dict, optional
        Theme key -> label shown (:func:`scripts.themes.labels.read_theme_labels`).
    """
    every_theme = list(dict.fromkeys(prevalence["theme"]))
    themes = themes or every_theme
    # a theme keeps its colour whether drawn with the others or alone
    colors = dict(zip(every_theme, style.colors(len(every_theme))))
    change_points = change_points if change_points is not None else pd.DataFrame(columns=["theme", "period"])
    events = (events if events is not None else pd.DataFrame(columns=["date", "label"])).sort_values("date")
    n_rows, n_cols = grid_shape(len(themes), 2)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width, 2.6 * n_rows + 0.9), sharex=True, squeeze=False)
    for ax, theme in zip(axes.flat, themes):
        color = UNRELIABLE_COLOR if theme in unreliable else colors.get(theme, style.colors(1)[0])
        draw_theme(ax, prevalence[prevalence["theme"] == theme], change_points[change_points["theme"] == theme],
                   events, color, style, level)
        if len(themes) > 1:
            ax.set_title(theme_label(theme, labels) + (" ⚠" if theme in unreliable else ""), fontsize=11, loc="left")
        if theme in unreliable:
            ax.text(0.5, 0.97, "⚠ " + style.label("unreliable"), transform=ax.transAxes, ha="center", va="top",
                    fontsize=8, color="#b2182b", bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    hide_unused(axes, len(themes))
    figure_legend(fig, axes, bottom=0.01 if len(events) else 0.0)
    title = (style.label("prevalence_title", level=level) if len(themes) > 1
             else style.label("theme_title", theme=theme_label(themes[0], labels), level=level))
    fig.suptitle(title)
    if len(events):
        notes = "   ".join(f"{i}: {event.label} ({event.date})" for i, event in enumerate(events.itertuples(), start=1))
        fig.text(0.5, 0.0, notes, fontsize=7, color="#b2182b", ha="center", va="top", wrap=True)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    subset = prevalence[prevalence["theme"].isin(themes)]
    return fig, prevalence_drawn(subset, change_points[change_points["theme"].isin(themes)], events)


def plot_theme_heatmap(prevalence: pd.DataFrame, style, freq: str, labels=None):
    """Theme × period heatmap of prevalence, with the value written in each cell when there is room.

    ``freq`` is ``time.freq``, the length of the periods (for their labels); ``labels`` maps theme
    keys to the labels shown.
    """
    matrix = prevalence.pivot_table(index="theme", columns="period", values="prevalence", aggfunc="mean")
    matrix = matrix.reindex(list(dict.fromkeys(prevalence["theme"]))).sort_index(axis=1)
    fig, ax = plt.subplots(figsize=(style.width, 0.55 * len(matrix) + 1.8))
    image = ax.imshow(matrix.to_numpy(), aspect="auto", cmap="magma_r", interpolation="nearest")
    ax.set_yticks(range(len(matrix)), [theme_label(theme, labels) for theme in matrix.index], fontsize=9)
    step = max(1, int(np.ceil(matrix.shape[1] / 12)))
    ticks = list(range(0, matrix.shape[1], step))
    ax.set_xticks(ticks, [period_label(matrix.columns[i], style.language, freq) for i in ticks], fontsize=8, rotation=45, ha="right")
    if matrix.shape[1] <= 36:
        threshold = np.nanmax(matrix.to_numpy()) * 0.6
        for (row, col), value in np.ndenumerate(matrix.to_numpy()):
            if np.isfinite(value):
                ax.text(col, row, style.number(f"{value:.2f}".lstrip("0")), ha="center", va="center", fontsize=5.5,
                        color="white" if value > threshold else "black")
    fig.colorbar(image, ax=ax, label=style.label("prevalence"), fraction=0.03, pad=0.01)
    ax.set_title(style.label("theme_heatmap_title"))
    fig.tight_layout()
    drawn = matrix.stack().rename("prevalence").reset_index()
    return fig, drawn[["theme", "period", "prevalence"]]


def drift_matrix(drift: pd.DataFrame, theme: str, n_terms: int = 8) -> pd.DataFrame:
    """Term × period weights of one theme, keeping the ``n_terms`` terms of largest total weight."""
    rows = drift[drift["theme"] == theme]
    totals = rows.groupby("term")["weight"].sum().sort_values(ascending=False, kind="stable")
    keep = sorted(totals.index[:n_terms], key=lambda term: (-totals[term], term))
    matrix = rows[rows["term"].isin(keep)].pivot_table(index="term", columns="period", values="weight", aggfunc="sum", fill_value=0.0)
    return matrix.reindex(keep).sort_index(axis=1)


# The drift figure when no theme word occurs in the corpus (drift.csv has no rows).
NO_DRIFT_NOTE = {
    "es": "Sin datos: ninguna palabra semilla de los temas aparece en el corpus,\nasí que no hay deriva que mostrar.",
    "en": "No data: no theme seed word occurs in the corpus,\nso there is no drift to show.",
}


def empty_drift_figure(style):
    """An honest empty drift figure (a note instead of heatmaps) and an empty table of what is drawn."""
    fig, ax = plt.subplots(figsize=(style.width * 1.1, 2.4))
    ax.text(0.5, 0.5, NO_DRIFT_NOTE[style.language], ha="center", va="center", fontsize=11, transform=ax.transAxes)
    ax.set_axis_off()
    fig.suptitle(style.label("drift_title"))
    return fig, pd.DataFrame(columns=["theme", "term", "period", "weight"])


def plot_drift(drift: pd.DataFrame, style, freq: str, n_terms: int = 8, labels=None):
    """One heatmap per theme: how much each of its main terms carries it in each period.

    ``freq`` is ``time.freq``, the length of the periods (for their labels); ``labels`` maps theme
    keys to the labels shown. Without any row (no theme word in the corpus) the figure says so
    (:func:`empty_drift_figure`).
    """
    themes = list(dict.fromkeys(drift["theme"]))
    if not themes:
        return empty_drift_figure(style)
    n_rows, n_cols = grid_shape(len(themes), 2)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width * 1.1, (0.28 * n_terms + 1.3) * n_rows + 0.6), squeeze=False)
    parts = []
    for ax, theme in zip(axes.flat, themes):
        matrix = drift_matrix(drift, theme, n_terms)
        image = ax.imshow(matrix.to_numpy(), aspect="auto", cmap="Blues", interpolation="nearest")
        fig.colorbar(image, ax=ax, label=style.label("weight"), fraction=0.04, pad=0.01)
        ax.set_yticks(range(len(matrix)), [pretty_term(term) for term in matrix.index], fontsize=8)
        step = max(1, int(np.ceil(matrix.shape[1] / 8)))
        ticks = list(range(0, matrix.shape[1], step))
        ax.set_xticks(ticks, [period_label(matrix.columns[i], style.language, freq) for i in ticks], fontsize=7, rotation=45, ha="right")
        ax.set_title(theme_label(theme, labels), fontsize=10, loc="left")
        parts.append(matrix.stack().rename("weight").reset_index().assign(theme=theme))
    hide_unused(axes, len(themes))
    fig.suptitle(style.label("drift_title"))
    fig.tight_layout()
    drawn = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["theme", "term", "period", "weight"])
    return fig, drawn[["theme", "term", "period", "weight"]]


def plot_prevalence_by_group(by_group: pd.DataFrame, column: str, style, max_groups: int = 6, labels=None):
    """Small multiples, one panel per theme, one line per group (the groups with most documents).

    ``labels`` maps theme keys to the labels shown.
    """
    sizes = by_group.groupby("group")["n_docs"].sum() if "n_docs" in by_group else by_group.groupby("group").size()
    groups = sorted(sizes.index, key=lambda group: (-sizes[group], str(group)))[:max_groups]
    data = by_group[by_group["group"].isin(groups)]
    themes = list(dict.fromkeys(data["theme"]))
    n_rows, n_cols = grid_shape(len(themes), 2)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width, 2.5 * n_rows + 1.0), sharex=True, squeeze=False)
    colors = dict(zip(groups, style.colors(len(groups))))
    for ax, theme in zip(axes.flat, themes):
        for group in groups:
            series = data[(data["theme"] == theme) & (data["group"] == group)].sort_values("period")
            x = pd.to_datetime(series["period"])
            if {"ci_low", "ci_high"} <= set(series.columns):
                ax.fill_between(x, series["ci_low"], series["ci_high"], color=colors[group], alpha=0.12, linewidth=0)
            ax.plot(x, series["prevalence"], color=colors[group], linewidth=1.4, label=str(group))
        ax.set_title(theme_label(theme, labels), fontsize=10, loc="left")
        ax.set_ylim(bottom=0)
        date_axis(ax, style)
        ax.grid(alpha=0.3)
    hide_unused(axes, len(themes))
    figure_legend(fig, axes, n_cols=6)
    fig.suptitle(style.label("group_title", column=column))
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    columns = [c for c in ["group", "period", "theme", "prevalence", "ci_low", "ci_high", "n_docs"] if c in data.columns]
    return fig, data[columns].sort_values(["theme", "group", "period"])


def read_optional(path) -> pd.DataFrame | None:
    """A CSV that may be absent or empty (``None`` then)."""
    if not path or not Path(path).exists() or Path(path).stat().st_size == 0:
        return None
    return pd.read_csv(path)


def run_plot_prevalence(smk) -> None:
    """Snakemake entry point of ``plot_prevalence``: all themes, then one figure per theme."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    prevalence = pd.read_csv(smk.input.prevalence)
    change_points = read_optional(smk.input.change_points)
    events = read_optional(smk.input.get("events"))
    unreliable = unreliable_themes(read_optional(smk.input.theme_topics))
    labels = read_theme_labels(smk.input.labels)
    fig, drawn = plot_prevalence(prevalence, change_points, events, style, smk.params.level, unreliable=unreliable,
                                 labels=labels)
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv, smk.output.vectors)
    themes = list(smk.params.themes)
    per_theme = len(smk.output.theme_vectors) // len(themes)  # the vector copies come theme by theme
    for index, theme in enumerate(themes):
        fig, drawn = plot_prevalence(
            prevalence, change_points, events, style, smk.params.level, themes=[theme], unreliable=unreliable,
            labels=labels,
        )
        vectors = smk.output.theme_vectors[index * per_theme:(index + 1) * per_theme]
        save_figure(fig, drawn, style, smk.output.themes[index], smk.output.theme_tables[index], vectors)


def run_plot_theme_heatmap(smk) -> None:
    """Snakemake entry point of ``plot_theme_heatmap``."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    fig, drawn = plot_theme_heatmap(pd.read_csv(smk.input.prevalence), style, smk.params.freq,
                                    labels=read_theme_labels(smk.input.labels))
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv, smk.output.vectors)


def run_plot_drift(smk) -> None:
    """Snakemake entry point of ``plot_drift``."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    drift = read_optional(smk.input.drift)
    drift = drift if drift is not None else pd.DataFrame(columns=["theme", "period", "rank", "term", "weight"])
    fig, drawn = plot_drift(drift, style, smk.params.freq, labels=read_theme_labels(smk.input.labels))
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv, smk.output.vectors)


def run_plot_prevalence_by_group(smk) -> None:
    """Snakemake entry point of ``plot_prevalence_by_group``."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    fig, drawn = plot_prevalence_by_group(pd.read_csv(smk.input.table), smk.wildcards.column, style,
                                          labels=read_theme_labels(smk.input.labels))
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv, smk.output.vectors)
