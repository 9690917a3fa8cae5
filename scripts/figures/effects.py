"""Effects figure: a forest plot of each term's effect on each theme's share, with its interval.

Drawn from ``results/themes/effects.csv`` only (:mod:`scripts.themes.effects`): one panel per effect
and term, themes down the side, the estimate in percentage points with its bootstrap interval and
a line at zero. An interval that excludes zero is drawn with a filled marker. Spline terms are left
out: their coefficients are not contrasts (they stay in effects.csv).

Example
-------
>>> row = {"term": "section=nacional:post_event", "reference": "section=estados", "event": "Arancel"}
>>> term_label(row, "es")
'section: nacional (frente a estados) × después de «Arancel»'
"""


import logging
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from scripts.figures.models import grid_shape
from scripts.figures.style import apply_rc, hide_unused, save_figure, style_from_config
from scripts.text.display import pretty_term
from scripts.themes.labels import read_theme_labels, theme_label

logger = logging.getLogger(__name__)

DRAWN_COLUMNS = ["effect", "term", "theme", "estimate", "ci_low", "ci_high", "excludes_zero", "label"]


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def term_label(row, language: str) -> str:
    """A term of effects.csv as a reader says it: levels against their reference, the event by name.

    Parameters
    ----------
    row : mapping
        ``term``, ``reference`` and ``event`` of an effects.csv row.
    language : {"es", "en"}
    """
    from scripts.figures.text import LABELS

    words = LABELS[language]
    references = dict(part.split("=", 1) for part in _text(row["reference"]).split("; ") if "=" in part)
    parts = []
    for piece in str(row["term"]).split(":"):
        if piece == "time":
            parts.append(words["effect_trend"])
        elif piece == "post_event":
            parts.append(words["effect_after"].format(event=_text(row["event"])))
        elif "=" in piece:
            variable, level = piece.split("=", 1)
            parts.append(words["effect_level"].format(variable=pretty_term(variable), level=level,
                                                      reference=references.get(variable, "")))
        else:
            parts.append(pretty_term(piece))
    return " × ".join(parts)


def effects_drawn(effects: pd.DataFrame, language: str) -> pd.DataFrame:
    """The rows the figure draws (spline terms left out), with their label and whether they exclude zero."""
    drawn = effects[~effects["term"].astype(str).str.startswith("spline(")].copy()
    drawn["excludes_zero"] = (drawn["ci_low"] > 0) | (drawn["ci_high"] < 0)
    drawn["label"] = [term_label(row, language) for row in drawn.to_dict("records")]
    return drawn.reindex(columns=DRAWN_COLUMNS)


def plot_effects(effects: pd.DataFrame, style, level: float, labels: dict | None = None) -> tuple:
    """Forest plot of effects.csv: one panel per (effect, term), one row per theme.

    Parameters
    ----------
    effects : pandas.DataFrame
        effects.csv.
    style : scripts.figures.style.FigureStyle
    level : float
        Interval level (``time.ci_level``), for the axis label.
    labels : dict, optional
        Theme key -> label shown (:func:`scripts.themes.labels.read_theme_labels`).

    Returns
    -------
    tuple
        ``(figure, drawn)``.
    """
    drawn = effects_drawn(effects, style.language)
    panels = list(dict.fromkeys(zip(drawn["effect"], drawn["term"])))
    themes = list(dict.fromkeys(drawn["theme"]))
    n_rows, n_cols = grid_shape(max(len(panels), 1), 2)
    height = max(2.2, 0.32 * len(themes) + 1.5)
    title_chars = max(30, int(style.width * 11 / n_cols))  # about 11 characters per inch at 9 pt
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width, height * n_rows + 0.8), squeeze=False)
    color = style.colors(1)[0]
    for ax, (effect, term) in zip(axes.flat, panels):
        rows = drawn[(drawn["effect"] == effect) & (drawn["term"] == term)].set_index("theme").reindex(themes)
        y = np.arange(len(themes))[::-1]
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.hlines(y, rows["ci_low"], rows["ci_high"], color=color, linewidth=1.8)
        solid = rows["excludes_zero"].fillna(False).astype(bool).to_numpy()
        ax.plot(rows["estimate"][solid], y[solid], "o", color=color, markersize=6)
        ax.plot(rows["estimate"][~solid], y[~solid], "o", markerfacecolor="white", markeredgecolor=color, markersize=6)
        ax.set_yticks(y, [theme_label(theme, labels) for theme in themes], fontsize=9)
        label = textwrap.fill(str(rows["label"].dropna().iloc[0]), title_chars)
        ax.set_title(f"{effect}\n{label}", fontsize=9, loc="left")
        ax.set_xlabel(style.label("effect_axis", level=level), fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    hide_unused(axes, len(panels))
    fig.suptitle(style.label("effects_title", level=level))
    fig.text(0.5, 0.0, style.label("effects_markers"), ha="center", va="bottom", fontsize=8, color="0.3")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig, drawn


def run_plot_effects(smk) -> None:
    """Snakemake entry point of ``plot_effects``."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    fig, drawn = plot_effects(pd.read_csv(smk.input.effects, keep_default_na=False, na_values=[""]), style,
                              smk.params.level, read_theme_labels(smk.input.labels))
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv, smk.output.vectors)
