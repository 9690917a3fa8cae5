# ---- Helpers shared by the rules ----------------------------------------------------------
import json
import os
from importlib.metadata import version as package_version
from pathlib import Path

from scripts.ingest.manifest import update_manifest
from scripts.logs import UserInputError
from scripts.model.settings import lda_options
from scripts.settings.validation import metadata_columns
from scripts.themes.settings import TimeSettings


localrules:
    all,
    select_model,
    plot_model_selection,
    plot_top_terms,
    plot_prevalence,
    plot_corpus,
    plot_topic_heatmap,
    plot_theme_heatmap,
    plot_drift,
    plot_prevalence_by_group,
    plot_effects,
    fingerprint_corpus,
    record_provenance,
    cache_lemma_table,
    render_report,
    label_themes,


wildcard_constraints:
    k=r"\d+",
    seed=r"\d+",


DEMO_CORPUS = "data/demo_corpus"


def grid():
    """Every (K, seed) pair of the model grid."""
    return [(k, seed) for k in config["model"]["k"] for seed in config["model"]["seeds"]]


def grid_paths(pattern):
    """``pattern`` formatted for every model of the grid."""
    return [pattern.format(k=k, seed=seed) for k, seed in grid()]


# Files of one model of the grid (fit_lda outputs); params.models map (K, seed) to them.
MODEL_FILES = {
    "model": "results/models/k{k}/seed{seed}/lda.gensim",
    "topic_terms": "results/models/k{k}/seed{seed}/topic_terms.csv",
    "topic_sizes": "results/models/k{k}/seed{seed}/topic_sizes.csv",
    "doc_topics": "results/models/k{k}/seed{seed}/doc_topics.parquet",
}


def grid_models(*names):
    """The (K, seed) -> file map of the grid (passed as params): one dict per model, in grid order.

    Each dict holds ``k``, ``seed`` and the path of every file named (keys of ``MODEL_FILES``), so
    scripts never parse K and the seed back out of a path.
    """
    return [
        {"k": k, "seed": seed, **{name: MODEL_FILES[name].format(k=k, seed=seed) for name in names}}
        for k, seed in grid()
    ]


def theme_labels():
    """The theme labels written in the config (name -> label); the others are derived by
    label_themes (results/themes/theme_labels.csv), which every figure and the report read."""
    return dict(CONFIGURED_THEME_LABELS)


def corpus_input(wildcards):
    """The corpus path, so Snakemake builds the demo corpus when it is the one configured."""
    return config["corpus"]["path"]


def explorer_facets():
    """Metadata a reader can filter the explorer's documents by: source and the corpus.keep_columns."""
    return metadata_columns(config["corpus"])


def document_metadata():
    """Columns of documents.parquet carried to doc_topics/doc_themes: title, source, corpus.keep_columns."""
    return ["title", *explorer_facets()]


# The corpus fingerprint (scripts/ingest/manifest.py): brought up to date here, once per graph build, and
# rewritten only when a file read by ingest changes, so that ingest and provenance rerun then and only then.
CORPUS_MANIFEST = "results/ingest/corpus_manifest.json"
# file sizes, times and inodes of the last hashing: not a result (differs between copies of a run)
CORPUS_HASH_CACHE = ".snakemake/corpus_hash_cache.json"


def refresh_corpus_manifest():
    """Update the manifest once written (rule fingerprint_corpus), in the main process only (jobs use it as it is)."""
    if not (workflow.is_main_process and os.path.exists(CORPUS_MANIFEST) and os.path.exists(config["corpus"]["path"])):
        return
    try:
        update_manifest(config["corpus"], CORPUS_MANIFEST, CORPUS_HASH_CACHE)
    except (UserInputError, OSError):
        pass  # ingest_corpus reports the problem with the corpus itself


refresh_corpus_manifest()


# ---- Resources: memory and runtime scaled from input size -----------------------------------


def mem_from_input(base_mb, per_input_mb):
    """Resource callable: ``base_mb + per_input_mb × input size (MB)``, doubled on each retry."""

    def mem_mb(wildcards, input, attempt):
        return int((base_mb + per_input_mb * input.size_mb) * 2 ** (attempt - 1))

    return mem_mb


def fit_mem_mb(wildcards, input, attempt):
    """LDA memory: a few K × V float64 matrices (vocabulary estimated from the dictionary file)."""
    vocabulary = max(os.path.getsize(input.dictionary) / 25.0, 1000.0)
    matrices_mb = 6 * 8 * int(wildcards.k) * vocabulary / 1e6
    return int((500 + matrices_mb + 3 * input.size_mb) * 2 ** (attempt - 1))


def corpus_size_mb():
    """Size of the files ingest reads, from the corpus manifest (0 before it is written)."""
    try:
        manifest = json.loads(Path(CORPUS_MANIFEST).read_text(encoding="utf-8"))
        return sum(row["bytes"] for row in manifest["files"]) / 1e6
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def mem_from_corpus(base_mb, per_corpus_mb):
    """Resource callable: ``base_mb + per_corpus_mb × corpus size (MB)``, doubled on each retry."""

    def mem_mb(wildcards, attempt):
        return int((base_mb + per_corpus_mb * corpus_size_mb()) * 2 ** (attempt - 1))

    return mem_mb


def runtime_from_corpus(base_min, per_corpus_mb_min):
    """Resource callable: runtime in minutes from the corpus size."""

    def runtime(wildcards, attempt):
        return int((base_min + per_corpus_mb_min * corpus_size_mb()) * attempt)

    return runtime


def runtime_from_input(base_min, per_input_mb_min):
    """Resource callable: runtime in minutes from input size."""

    def runtime(wildcards, input, attempt):
        return int((base_min + per_input_mb_min * input.size_mb) * attempt)

    return runtime


# ---- Figures and report: which files to draw and embed (figures.smk, report.smk) ------------


def vector_figures(name):
    """The SVG/PDF copies of a figure asked for by figures.format."""
    return [f"results/figures/{name}.{ext}" for ext in config["figures"]["format"] if ext != "png"]


# The one list of the run's figures (the report embeds them in this order).
FIGURES = ["corpus_over_time", "model_selection", "top_terms", "topic_heatmap", "prevalence", "theme_heatmap", "drift"]


def figure_names():
    """Every figure of the run: ``FIGURES``, one ``prevalence_by_<column>`` per time.by column, ``effects`` when set."""
    effects = ["effects"] if config["effects"] else []
    return FIGURES + [f"prevalence_by_{column}" for column in group_columns()] + effects


def figure_pngs(wildcards=None):
    """Every figure PNG of the run, by name (the report embeds them all)."""
    return {f"fig_{name}": f"results/figures/{name}.png" for name in figure_names()}


def figure_vectors(wildcards=None):
    """Every SVG/PDF copy: the report asks for them so that adding a format draws the copies."""
    vectors = [path for name in figure_names() for path in vector_figures(name)]
    return vectors + theme_vector_figures()


def theme_figures(ext):
    """One figure per configured theme."""
    return [f"results/figures/themes/{theme}.{ext}" for theme in config["themes"]]


def theme_vector_figures():
    """The SVG/PDF copies of the theme figures, theme by theme (each theme's formats together)."""
    return [path for theme in config["themes"] for path in vector_figures(f"themes/{theme}")]


def group_columns():
    """Metadata columns of time.by (none, one name, or a list)."""
    return TimeSettings.from_config(config["time"]).group_columns


def events_input(wildcards):
    """The events table when time.events is configured."""
    return {"events": "results/themes/events.csv"} if config["time"]["events"] else {}


# ---- Themes: optional inputs and outputs of track_themes (themes.smk) -----------------------


def theme_optional_inputs(wildcards):
    """documents.parquet (parent_id for the cluster bootstrap, time.by columns); the events CSV when set."""
    inputs = {"documents": "results/ingest/documents.parquet"}
    if config["time"]["events"]:
        inputs["events"] = config["time"]["events"]
    return inputs


def theme_optional_outputs():
    """prevalence_by_<column>.csv per time.by column; events.csv when time.events is set."""
    outputs = {}
    if group_columns():
        outputs["by_group"] = [f"results/themes/prevalence_by_{column}.csv" for column in group_columns()]
    if config["time"]["events"]:
        outputs["events"] = "results/themes/events.csv"
    return outputs


# ---- Effects: optional inputs of estimate_effects and render_report (themes.smk, report.smk) --


def effects_optional_inputs(wildcards):
    """The checked events table when time.events is set (post_event reads its dates)."""
    return {"events": "results/themes/events.csv"} if config["time"]["events"] else {}


def effects_report_input(wildcards):
    """effects.csv when effects are configured (the report explains them)."""
    return {"effects": "results/themes/effects.csv"} if config["effects"] else {}


def aliases_input(wildcards):
    """The preprocess aliases file when ``preprocess.aliases`` is a path: run folder, else the repository's."""
    spec = config["preprocess"]["aliases"]
    if not isinstance(spec, str):
        return []
    return spec if os.path.exists(spec) else os.path.join(workflow.basedir, spec)


# ---- Monitor: the new documents (monitor.smk) ---------------------------------------------


def monitor_report_input(wildcards):
    """The monitor's outputs when monitor.path is set: the report and the explorer then show them
    (a monitoring section, the new periods on the curves); without it, neither asks for them."""
    if not config["monitor"]["path"]:
        return {}
    return {
        "monitor_prevalence": "results/monitor/prevalence.csv",
        "monitor_signals": "results/monitor/signals.csv",
        "monitor_rising_terms": "results/monitor/rising_terms.csv",
        "monitor_summary": "results/monitor/ingest/summary.json",
        "monitor_tokens": "results/monitor/tokens.parquet",
        "monitor_figure": "results/monitor/prevalence.png",
    }


def monitor_input(wildcards):
    """monitor.path, which the monitor target needs."""
    if not config["monitor"]["path"]:
        raise ValueError(
            "the monitor target needs monitor.path (the new documents), e.g. "
            "snakemake monitor --config 'monitor={path: new_articles/}'"
        )
    return config["monitor"]["path"]
