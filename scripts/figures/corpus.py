"""Corpus figure: documents per period, kept and set aside, from ``results/ingest/summary.json``.

Example
-------
>>> summary = {"documents_per_period": {"2024-01-01": 3, "2024-02-01": 5},
...            "rejected_per_period": {"2024-02-01": 1}, "n_rejected": 2}
>>> corpus_counts(summary)[["period", "kept", "rejected"]].values.tolist()
[['2024-01-01', 3, 0], ['2024-02-01', 5, 1]]
"""


import json
import logging

import matplotlib.pyplot as plt
import pandas as pd

from scripts.figures.style import apply_rc, date_axis, save_figure, style_from_config

logger = logging.getLogger(__name__)

MONTH_DAYS = 31  # summary.json counts documents per calendar month; a bar is 80% of the longest month


def corpus_counts(summary: dict) -> pd.DataFrame:
    """Kept and set-aside documents per period from the ingest summary.

    Parameters
    ----------
    summary : dict
        ``results/ingest/summary.json``: ``documents_per_period`` (kept, ISO period starts) and
        optionally ``rejected_per_period`` (set-aside documents whose date was readable).

    Returns
    -------
    pandas.DataFrame
        ``period, kept, rejected`` sorted by period (zeros where a period has none).
    """
    kept = summary.get("documents_per_period") or {}
    rejected = summary.get("rejected_per_period") or {}
    periods = sorted(set(kept) | set(rejected))
    return pd.DataFrame(
        {
            "period": periods,
            "kept": [int(kept.get(period, 0)) for period in periods],
            "rejected": [int(rejected.get(period, 0)) for period in periods],
        }
    )


def plot_corpus(summary: dict, style):
    """Stacked bars per period: kept documents, and set-aside ones whose date was readable.

    Set-aside documents without a readable date cannot be placed in time; their number is given
    in the legend.

    Returns
    -------
    tuple
        ``(figure, drawn)``; ``drawn`` holds ``period, kept, rejected`` and one ``undated`` row.
    """
    counts = corpus_counts(summary)
    x = pd.to_datetime(counts["period"])
    width = 0.8 * MONTH_DAYS
    kept_color, rejected_color = style.colors(4)[0], style.colors(4)[3]
    fig, ax = plt.subplots(figsize=(style.width, style.width * 0.36))
    ax.bar(x, counts["kept"], width=width, color=kept_color, label=style.label("kept"))
    undated = int(summary.get("n_rejected", 0)) - int(counts["rejected"].sum())
    if counts["rejected"].any() or undated > 0:
        ax.bar(x, counts["rejected"], bottom=counts["kept"], width=width, color=rejected_color, label=style.label("rejected"))
    if undated > 0:
        ax.plot([], [], " ", label=style.label("undated_rejected", n=undated))
    if len(counts):
        date_axis(ax, style)
    ax.set_ylabel(style.label("documents"))
    ax.set_title(style.label("corpus_title"))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    drawn = counts.copy()
    if undated > 0:
        drawn = pd.concat([drawn, pd.DataFrame([{"period": "undated", "kept": 0, "rejected": undated}])])
    return fig, drawn


def run_plot_corpus(smk) -> None:
    """Snakemake entry point of ``plot_corpus``."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    with open(smk.input.summary, encoding="utf-8") as handle:
        summary = json.load(handle)
    fig, drawn = plot_corpus(summary, style)
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv, smk.output.vectors)

