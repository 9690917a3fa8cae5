"""Figures stage: draw PNGs from tables only (never from models), each with a CSV of what is drawn.

Every ``plot_*`` function takes DataFrames and a :class:`FigureStyle` and returns the matplotlib
figure plus the exact numbers it drew, so figures can be re-styled without refitting anything.

Example
-------
>>> style = FigureStyle()
>>> style.label("prevalence")
'Prevalencia'
"""


import logging
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

logger = logging.getLogger(__name__)

LABELS = {
    "es": {
        "prevalence": "Prevalencia",
        "period": "Periodo",
        "weight": "Peso",
        "k": "Número de temas (K)",
        "topic": "Tema",
        "prevalence_title": "Prevalencia de cada eje temático (media e intervalo {level:.0%})",
        "selection_title": "Medidas de calidad por K (media ± desv. estándar entre semillas)",
        "topics_title": "Términos principales de cada tema (K={k}, semilla {seed})",
        "chosen": "K elegido",
    },
    "en": {
        "prevalence": "Prevalence",
        "period": "Period",
        "weight": "Weight",
        "k": "Number of topics (K)",
        "topic": "Topic",
        "prevalence_title": "Prevalence of each theme (mean and {level:.0%} interval)",
        "selection_title": "Quality measures by K (mean ± s.d. over seeds)",
        "topics_title": "Top terms per topic (K={k}, seed {seed})",
        "chosen": "chosen K",
    },
}


@dataclass(frozen=True)
class FigureStyle:
    """Figure settings from the ``figures`` config section."""

    dpi: int = 200
    width: float = 10.0
    palette: str = "tab10"
    language: str = "es"
    formats: tuple[str, ...] = ("png",)

    def label(self, key: str, **values) -> str:
        """Localised label ``key`` formatted with ``values``."""
        return LABELS[self.language][key].format(**values)

    def colors(self, n: int) -> list:
        """``n`` colours from the palette."""
        cmap = plt.get_cmap(self.palette)
        return [cmap(i % cmap.N) for i in range(n)]


def save_figure(fig, drawn: pd.DataFrame, png_path: str, style: FigureStyle) -> None:
    """Save ``fig`` as PNG (plus other configured formats) and ``drawn`` as the CSV beside it.

    Metadata that would embed the software version or a timestamp is removed, so the same
    tables give the same files.
    """
    png_path = Path(png_path)
    fig.savefig(png_path, dpi=style.dpi, bbox_inches="tight", metadata={"Software": None})
    for extension in style.formats:
        if extension == "png":
            continue
        metadata = {"Date": None, "Creator": None} if extension in ("svg", "pdf") else {}
        if extension == "pdf":
            metadata = {"CreationDate": None, "Creator": None, "Producer": None}
        fig.savefig(png_path.with_suffix(f".{extension}"), bbox_inches="tight", metadata=metadata)
    plt.close(fig)
    drawn.to_csv(png_path.with_suffix(".csv"), index=False)


def plot_prevalence(prevalence: pd.DataFrame, style: FigureStyle, level: float = 0.95):
    """One panel per theme: mean prevalence line with its interval band, dates on the x axis."""
    themes = list(dict.fromkeys(prevalence["theme"]))
    n_cols = 2 if len(themes) > 1 else 1
    n_rows = int(np.ceil(len(themes) / n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width, 2.6 * n_rows + 0.6), sharex=True, squeeze=False)
    for ax, theme, color in zip(axes.flat, themes, style.colors(len(themes))):
        series = prevalence[prevalence["theme"] == theme].sort_values("period")
        x = pd.to_datetime(series["period"])
        ax.fill_between(x, series["ci_low"], series["ci_high"], color=color, alpha=0.25, linewidth=0)
        ax.plot(x, series["prevalence"], color=color, linewidth=1.8)
        ax.set_title(theme.replace("_", " "), fontsize=11)
        ax.set_ylim(bottom=0)
        ax.set_ylabel(style.label("prevalence"))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=8))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(themes):]:
        ax.set_visible(False)
    fig.suptitle(style.label("prevalence_title", level=level))
    fig.tight_layout()
    return fig, prevalence[["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs"]]


def plot_selection(table: pd.DataFrame, chosen_k: int, style: FigureStyle):
    """Each measure against K: mean over seeds with a ± s.d. error bar, the chosen K marked."""
    metrics = [c for c in ("npmi", "c_v", "umass", "perplexity", "diversity", "stability") if c in table.columns]
    summary = table.groupby("k")[metrics].agg(["mean", "std"])
    n_cols = 3
    n_rows = int(np.ceil(len(metrics) / n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width, 2.8 * n_rows + 0.6), squeeze=False)
    ks = summary.index.to_numpy()
    for ax, metric in zip(axes.flat, metrics):
        mean, spread = summary[(metric, "mean")], summary[(metric, "std")].fillna(0)
        ax.errorbar(ks, mean, yerr=spread, marker="o", capsize=3, color=style.colors(1)[0])
        ax.axvline(chosen_k, color="0.3", linestyle="--", linewidth=1, label=style.label("chosen"))
        ax.set_title(metric)
        ax.set_xlabel(style.label("k"))
        ax.set_xticks(ks)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle(style.label("selection_title"))
    fig.tight_layout()
    drawn = summary.copy()
    drawn.columns = [f"{m}_{s}" for m, s in drawn.columns]
    return fig, drawn.reset_index()


def plot_top_terms(topic_terms: pd.DataFrame, k: int, seed: int, style: FigureStyle, n_terms: int = 10):
    """Bar grid: the top terms of every topic with their weights."""
    top = topic_terms[topic_terms["rank"] <= n_terms]
    topics = sorted(top["topic"].unique())
    n_cols = min(5, len(topics))
    n_rows = int(np.ceil(len(topics) / n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(style.width * 1.4, 2.9 * n_rows + 0.6), squeeze=False)
    for ax, topic, color in zip(axes.flat, topics, style.colors(len(topics))):
        rows = top[top["topic"] == topic].sort_values("rank", ascending=False)
        ax.barh(rows["term"].str.replace("_", " "), rows["weight"], color=color)
        ax.set_title(f"{style.label('topic')} {topic}", fontsize=10)
        ax.tick_params(axis="y", labelsize=8)
        ax.tick_params(axis="x", labelsize=7)
    for ax in list(axes.flat)[len(topics):]:
        ax.set_visible(False)
    fig.suptitle(style.label("topics_title", k=k, seed=seed))
    fig.tight_layout()
    return fig, top[["topic", "rank", "term", "weight"]]


def style_from_config(figures: dict) -> FigureStyle:
    """Build a :class:`FigureStyle` from the ``figures`` config section."""
    formats = figures.get("format", ["png"])
    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    return FigureStyle(
        dpi=figures.get("dpi", 200),
        width=figures.get("width", 10.0),
        palette=figures.get("palette", "tab10"),
        language=figures.get("language", "es"),
        formats=formats,
    )


def main(smk) -> None:
    """Snakemake entry point: which figure is chosen by the rule name."""
    import json

    style = style_from_config(dict(smk.params.figures))
    plt.rcParams["svg.hashsalt"] = "topic-pipeline"
    if smk.rule == "plot_prevalence":
        fig, drawn = plot_prevalence(pd.read_csv(smk.input.prevalence), style, smk.params.level)
    elif smk.rule == "plot_model_selection":
        selection = json.loads(open(smk.input.selection, encoding="utf-8").read())
        fig, drawn = plot_selection(pd.read_csv(smk.input.table), selection["k"], style)
    elif smk.rule == "plot_top_terms":
        selection = json.loads(open(smk.input.selection, encoding="utf-8").read())
        fig, drawn = plot_top_terms(pd.read_csv(smk.input.topic_terms), selection["k"], selection["seed"], style)
    else:
        raise ValueError(f"no figure for rule {smk.rule}")
    save_figure(fig, drawn, smk.output.png, style)


if __name__ == "__main__" and "snakemake" in globals():
    from stage_logging import run_stage

    run_stage(main, globals()["snakemake"])
