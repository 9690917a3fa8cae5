"""Rule ``plot_corpus``: documents per period (code: :mod:`scripts.figures.corpus`)."""

from scripts.figures.corpus import run_plot_corpus
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_corpus, globals()["snakemake"])
