"""Rule ``plot_top_terms``: top terms of each topic (code: :mod:`scripts.figures.models`)."""

from scripts.figures.models import run_plot_top_terms
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_top_terms, globals()["snakemake"])
