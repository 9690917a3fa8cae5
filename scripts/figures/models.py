"""Model figures: selection measures against K, top terms of each topic, topic prevalence over time.

All drawn from the evaluation tables (never from the models), each returned with the numbers drawn.

Example
-------
>>> table = pd.DataFrame({"k": [4, 4, 6, 6], "seed": [1, 2, 1, 2], "npmi": [0.1, 0.2, 0.3, 0.3]})
>>> selection_summary(table, chosen_k=6)[["measure", "k", "mean", "chosen"]].values.tolist()
[['npmi', 4, 0.15000000000000002, False], ['npmi', 6, 0.3, True]]
"""


import json
import logging
import textwrap

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import numpy as np
import pandas as pd

from scripts.figures.style import apply_rc, date_axis, hide_unused, save_figure, style_from_config
from scripts.text.display import read_surface_forms, surface_term

logger = logging.getLogger(__name__)

# measure -> True when higher is better
MEASURES = {"npmi": True, "c_v": True, "umass": True, "perplexity": False, "diversity": True, "exclusivity": True,
            "stability": True, "stability_above_null": True}
MEASURE_NAMES = {
    "es": {"npmi": "NPMI", "c_v": "c_v", "umass": "UMass", "perplexity": "perplejidad", "diversity": "diversidad",
           "exclusivity": "exclusividad", "stability": "estabilidad", "stability_above_null": "estabilidad sobre el azar"},
    "en": {"npmi": "NPMI", "c_v": "c_v", "umass": "UMass", "perplexity": "perplexity", "diversity": "diversity",
           "exclusivity": "exclusivity", "stability": "stability", "stability_above_null": "stability above chance"},
}


def selection_summary(table: pd.DataFrame, chosen_k: int) -> pd.DataFrame:
    """Mean and standard deviation over seeds of each measure at each K.

    Returns
    -------
    pandas.DataFrame
        ``measure, k, mean, sd, n_seeds, chosen`` (``sd`` is 0 with a single seed).
    """
    rows = []
    for measure in [m for m in MEASURES if m in table.columns]:
        grouped = table.groupby("k")[measure]
        for k, values in grouped:
            values = values.dropna()
            rows.append(
                {
                    "measure": measure,
                    "k": int(k),
                    "mean": float(values.mean()) if len(values) else np.nan,
                    "sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
                    "n_seeds": int(len(values)),
                    "chosen": int(k) == int(chosen_k),
                }
            )
    return pd.DataFrame(rows, columns=["measure", "k", "mean", "sd", "n_seeds", "chosen"])


def grid_shape(n: int, n_cols: int) -> tuple[int, int]:
    """Rows and columns of a panel grid holding ``n`` panels."""
    n_cols = max(1, min(n_cols, n))
    return int(np.ceil(n / n_cols)), n_cols


def coherence_exclusivity_front(drawn: pd.DataFrame, metric: str) -> list[int]:
    """K on the coherence–exclusivity Pareto front of the drawn means (no K better on both).

    >>> drawn = pd.DataFrame({"measure": ["npmi"] * 3 + ["exclusivity"] * 3, "k": [4, 6, 8] * 2,
    ...                       "mean": [0.1, 0.2, 0.15, 0.9, 0.8, 0.7]})
    >>> coherence_exclusivity_front(drawn, "npmi")
    [4, 6]
    """
    means = drawn.pivot_table(index="k", columns="measure", values="mean")
    if metric not in means or "exclusivity" not in means:
        return []
    x = means[metric] * (1 if MEASURES[metric] else -1)
    y = means["exclusivity"]
    return sorted(int(k) for k in means.index
                  if not ((x >= x[k]) & (y >= y[k]) & ((x > x[k]) | (y > y[k]))).any())


def plot_front(ax, table: pd.DataFrame, drawn: pd.DataFrame, selection: dict, style, colors) -> None:
    """Coherence (x) against exclusivity (y): every model faint, each K's mean labelled, the front joined."""
    metric = selection.get("metric", "npmi")
    color, chosen_color, front_color = colors
    names = MEASURE_NAMES[style.language]
    ax.scatter(table[metric], table["exclusivity"], s=12, color=color, alpha=0.3, linewidths=0)
    means = drawn.pivot_table(index="k", columns="measure", values="mean")
    on_front = drawn.drop_duplicates("k").set_index("k")["on_front"]
    front = means.loc[on_front[on_front].index].sort_values(metric)
    ax.plot(front[metric], front["exclusivity"], color=front_color, linewidth=1.2, zorder=1,
            label=style.label("front"))
    ax.scatter(means[metric], means["exclusivity"], s=28, color=color, zorder=2)
    for k, row in means.iterrows():
        ax.annotate(f"K={k}", (row[metric], row["exclusivity"]), textcoords="offset points", xytext=(4, 4), fontsize=8)
    if selection["k"] in means.index:
        chosen = means.loc[selection["k"]]
        ax.plot(chosen[metric], chosen["exclusivity"], marker="*", markersize=14, color=chosen_color,
                linestyle="none", zorder=3)
    ax.set_xlabel(f"{names[metric]} ({style.label('higher' if MEASURES[metric] else 'lower')})", fontsize=9)
    ax.set_ylabel(names["exclusivity"], fontsize=9)
    ax.set_title(style.label("front_title", metric=names[metric]), fontsize=10)
    ax.legend(fontsize=8, frameon=False, loc="best")
    ax.margins(x=0.18, y=0.15)
    ax.grid(alpha=0.3)


def plot_model_selection(table: pd.DataFrame, selection: dict, style):
    """One panel per measure (mean ± s.d. over seeds against K, the chosen K marked), and the
    coherence–exclusivity front first when the table has exclusivity."""
    drawn = selection_summary(table, selection["k"])
    metric = selection.get("metric", "npmi")
    front = coherence_exclusivity_front(drawn, metric)
    drawn["on_front"] = drawn["k"].isin(front)
    measures = list(dict.fromkeys(drawn["measure"]))
    panels = (["front"] if front else []) + measures
    n_rows, n_cols = grid_shape(len(panels), 3)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width, 2.7 * n_rows + 0.7), squeeze=False)
    palette = style.colors(4)
    color, chosen_color = palette[0], palette[3]
    flat = list(axes.flat)
    if front:
        plot_front(flat.pop(0), table, drawn, selection, style, (color, chosen_color, palette[1]))
    for ax, measure in zip(flat, measures):
        rows = drawn[drawn["measure"] == measure]
        ax.errorbar(rows["k"], rows["mean"], yerr=rows["sd"], marker="o", capsize=3, color=color)
        chosen = rows[rows["chosen"]]
        ax.axvline(selection["k"], color=chosen_color, linestyle="--", linewidth=1)
        ax.plot(chosen["k"], chosen["mean"], marker="*", markersize=14, color=chosen_color, linestyle="none",
                label=style.label("chosen", k=selection["k"]))
        direction = style.label("higher" if MEASURES[measure] else "lower")
        title = f"{MEASURE_NAMES[style.language][measure]} ({direction})"
        ax.set_title(title if len(title) <= 31 else title.replace(" (", "\n("), fontsize=10)
        ax.set_xlabel(style.label("k"), fontsize=9)
        ax.set_xticks(rows["k"])
        ax.grid(alpha=0.3)
    hide_unused(axes, len(panels))
    flat[0].legend(fontsize=8, frameon=False)
    fig.suptitle(style.label("selection_title"))
    fig.tight_layout()
    return fig, drawn


def plot_top_terms(topic_terms: pd.DataFrame, topics: pd.DataFrame, selection: dict, style, n_terms: int = 10,
                   forms: dict[str, str] | None = None):
    """Bar grid: the top terms of every topic with their weights, titled with the label guess.

    Parameters
    ----------
    topic_terms : pandas.DataFrame
        ``topic, rank, term, weight``.
    topics : pandas.DataFrame
        ``topic, share, label`` and ``label_display`` when present (from ``topic_labels.label_guesses``).
    forms : dict of str to str, optional
        Term → surface form (``surface_forms.csv``): terms are drawn as the corpus writes them.
    """
    topics = _display_labels(topics)
    top = topic_terms[topic_terms["rank"] <= n_terms].sort_values(["topic", "rank"])
    info = topics.set_index("topic")
    topic_ids = sorted(top["topic"].unique())
    n_rows, n_cols = grid_shape(len(topic_ids), 4 if len(topic_ids) % 4 == 0 or len(topic_ids) > 12 else 3)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width * 1.3, 3.0 * n_rows + 0.7), squeeze=False)
    wrap = 30 if n_cols == 4 else 40
    for ax, topic, color in zip(axes.flat, topic_ids, style.colors(len(topic_ids))):
        rows = top[top["topic"] == topic].sort_values("rank", ascending=False)
        ax.barh([surface_term(t, forms) for t in rows["term"]], rows["weight"], color=color)
        title = f"{style.label('topic')} {topic}"
        if topic in info.index:
            title += f" ({info.loc[topic, 'share']:.0%})\n" + textwrap.fill(info.loc[topic, "label"], wrap)
        ax.set_title(title, fontsize=9, loc="left")
        ax.tick_params(axis="y", labelsize=8.5)
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3, min_n_ticks=2))
        ax.grid(axis="x", alpha=0.3)
    hide_unused(axes, len(topic_ids))
    fig.suptitle(style.label("topics_title", k=selection["k"], seed=selection["seed"]))
    fig.tight_layout()
    drawn = top.merge(topics[["topic", "label"]], on="topic", how="left")
    drawn["term"] = [surface_term(t, forms) for t in drawn["term"]]
    return fig, drawn[["topic", "label", "rank", "term", "weight"]]


def _display_labels(topics: pd.DataFrame) -> pd.DataFrame:
    """``topics`` with ``label`` replaced by ``label_display`` (surface forms) when the table has it."""
    if "label_display" not in topics.columns:
        return topics
    return topics.assign(label=topics["label_display"].where(topics["label_display"].astype(str) != "", topics["label"]))


def plot_topic_heatmap(topic_prevalence: pd.DataFrame, topics: pd.DataFrame, style):
    """Topic × period heatmap of prevalence, rows labelled with the label guess."""
    topics = _display_labels(topics)
    matrix = topic_prevalence.pivot_table(index="topic", columns="period", values="prevalence", aggfunc="mean")
    matrix = matrix.sort_index().sort_index(axis=1)
    labels = dict(zip(topics["topic"], topics["label"]))
    periods = pd.to_datetime(matrix.columns)
    height = 0.5 * len(matrix) + 1.6
    fig, ax = plt.subplots(figsize=(style.width, height))
    dates = periods.to_numpy()
    edges = np.concatenate([dates, [dates[-1] + (dates[-1] - dates[-2] if len(dates) > 1 else np.timedelta64(31, "D"))]])
    mesh = ax.pcolormesh(edges, np.arange(len(matrix) + 1), matrix.to_numpy(), cmap="viridis", shading="flat")
    ax.set_yticks(np.arange(len(matrix)) + 0.5)
    ax.set_yticklabels([textwrap.fill(f"{topic} · {labels.get(topic, '')}", 36) for topic in matrix.index], fontsize=8)
    ax.invert_yaxis()
    date_axis(ax, style)
    ax.spines[["top", "right"]].set_visible(True)
    fig.colorbar(mesh, ax=ax, label=style.label("prevalence"), fraction=0.03, pad=0.01)
    ax.set_title(style.label("topic_heatmap_title"))
    fig.tight_layout()
    drawn = matrix.stack().rename("prevalence").reset_index()
    drawn["label"] = drawn["topic"].map(labels)
    return fig, drawn[["topic", "label", "period", "prevalence"]]


def _selection(path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def run_plot_model_selection(smk) -> None:
    """Snakemake entry point of ``plot_model_selection``."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    fig, drawn = plot_model_selection(pd.read_csv(smk.input.table), _selection(smk.input.selection), style)
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv, smk.output.vectors)


def run_plot_top_terms(smk) -> None:
    """Snakemake entry point of ``plot_top_terms``."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    topic_terms, topics = pd.read_csv(smk.input.topic_terms), pd.read_csv(smk.input.topics)
    forms = read_surface_forms(smk.input.surface_forms)
    fig, drawn = plot_top_terms(topic_terms, topics, _selection(smk.input.selection), style, forms=forms)
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv, smk.output.vectors)


def run_plot_topic_heatmap(smk) -> None:
    """Snakemake entry point of ``plot_topic_heatmap``."""
    apply_rc()
    style = style_from_config(dict(smk.params.figures))
    fig, drawn = plot_topic_heatmap(pd.read_csv(smk.input.topic_prevalence), pd.read_csv(smk.input.topics), style)
    save_figure(fig, drawn, style, smk.output.png, smk.output.csv, smk.output.vectors)
