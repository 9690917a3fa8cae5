"""The monitor figure: each theme's curve over the fit period, then the new periods marked apart.

Fit periods are drawn as in ``plot_prevalence`` (:func:`scripts.figures.themes.draw_theme`); the
new periods (``source`` = ``monitor``) sit in a shaded span, with a dashed line, a lighter band
and hollow circles, so an inferred point never reads as a fitted one.
"""

import pandas as pd

from scripts.figures.models import grid_shape
from scripts.figures.style import apply_rc, date_axis, figure_legend, hide_unused, save_figure, style_from_config
from scripts.figures.themes import draw_theme, read_optional
from scripts.monitor.text import TEXT
from scripts.themes.labels import read_theme_labels, theme_label
from scripts.themes.linking import unreliable_themes

SPAN_COLOR = "#fdd49e"


def next_period(fit_periods: pd.Series, first_new: pd.Timestamp) -> bool:
    """Whether ``first_new`` follows the last fit period by at most 1.5 typical fit steps.

    >>> next_period(pd.Series(["2024-01-01", "2024-02-01"]), pd.Timestamp("2024-03-01"))
    True
    >>> next_period(pd.Series(["2024-01-01", "2024-02-01"]), pd.Timestamp("2025-03-01"))
    False
    """
    dates = pd.to_datetime(pd.Series(fit_periods)).sort_values()
    if len(dates) < 2:
        return False
    step = dates.diff().dropna().median()
    return bool(first_new - dates.iloc[-1] <= 1.5 * step)


def plot_monitor(prevalence: pd.DataFrame, style, level: float, unreliable=frozenset(), labels: dict | None = None):
    """One panel per theme; returns ``(figure, drawn table)``.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        ``results/monitor/prevalence.csv`` (with ``source``).
    style : scripts.figures.style.FigureStyle
    level : float
        ``time.ci_level``.
    unreliable : set of str
        Themes drawn in grey (their link to the topics failed).
    labels : dict, optional
        Theme key -> label (``theme_labels.csv``); a theme without one is drawn as its key in words.
    """
    import matplotlib.pyplot as plt

    words = TEXT[style.language]
    themes = list(dict.fromkeys(prevalence["theme"]))
    colors = dict(zip(themes, style.colors(len(themes))))
    new = prevalence[prevalence["source"] == "monitor"]
    periods = pd.to_datetime(new["period"])
    n_rows, n_cols = grid_shape(len(themes), 2)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width, 2.6 * n_rows + 0.9), sharex=True, squeeze=False)
    empty = pd.DataFrame(columns=["theme", "period"])
    events = pd.DataFrame(columns=["date", "label"])
    for ax, theme in zip(axes.flat, themes):
        color = "#8c8c8c" if theme in unreliable else colors[theme]
        series = prevalence[prevalence["theme"] == theme].sort_values("period")
        fit = series[series["source"] == "fit"]
        draw_theme(ax, fit, empty, events, color, style, level)
        added = series[series["source"] == "monitor"]
        if len(added):
            ax.axvspan(periods.min() - pd.Timedelta(days=12), periods.max() + pd.Timedelta(days=12), color=SPAN_COLOR,
                       alpha=0.45, linewidth=0, label=words["monitor"])
            x = pd.to_datetime(added["period"])
            # the dashed line joins the curves only where the new periods follow the fit's without a gap
            joined = pd.concat([fit.tail(1), added]) if next_period(fit["period"], x.min()) else added
            ax.fill_between(x, added["ci_low"], added["ci_high"], color=color, alpha=0.12, linewidth=0)
            ax.errorbar(x, added["prevalence"], yerr=[added["prevalence"] - added["ci_low"],
                                                      added["ci_high"] - added["prevalence"]],
                        fmt="none", ecolor=color, elinewidth=1.0, capsize=2)
            ax.plot(pd.to_datetime(joined["period"]), joined["prevalence"], color=color, linewidth=1.2, linestyle="--")
            ax.plot(x, added["prevalence"], linestyle="none", marker="o", markersize=6, markerfacecolor="white",
                    markeredgecolor=color, markeredgewidth=1.5)
        ax.set_autoscaley_on(True)  # draw_theme fixed the limits before the new periods were drawn
        ax.relim()
        ax.autoscale_view(scalex=False)
        ax.set_ylim(bottom=0)
        date_axis(ax, style)
        if len(themes) > 1:
            ax.set_title(theme_label(theme, labels) + (" ⚠" if theme in unreliable else ""), fontsize=11, loc="left")
    hide_unused(axes, len(themes))
    figure_legend(fig, axes)
    fig.suptitle(words["figure_title"])
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    columns = ["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs", "low_n", "source"]
    drawn = prevalence.reindex(columns=columns).sort_values(["theme", "period"]).reset_index(drop=True)
    return fig, drawn


def run_plot_monitor(smk) -> None:
    """Rule ``plot_monitor``."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    prevalence = pd.read_csv(smk.input.prevalence)
    unreliable = unreliable_themes(read_optional(smk.input.theme_topics))
    labels = read_theme_labels(smk.input.labels)
    fig, drawn = plot_monitor(prevalence, style, float(smk.params.level), unreliable, labels)
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv)
