# ---- Helpers shared by the rules ----------------------------------------------------------
import os


localrules:
    all,
    select_model,
    plot_model_selection,
    plot_top_terms,
    plot_prevalence,
    record_provenance,
    render_report,


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


def corpus_input(wildcards):
    """The corpus path, so Snakemake builds the demo corpus when it is the one configured."""
    return config["corpus"]["path"]


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


def runtime_from_input(base_min, per_input_mb_min):
    """Resource callable: runtime in minutes from input size."""

    def runtime(wildcards, input, attempt):
        return int((base_min + per_input_mb_min * input.size_mb) * attempt)

    return runtime
