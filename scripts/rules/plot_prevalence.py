"""Rule ``plot_prevalence``: theme prevalence over time, all and one per theme (code: :mod:`scripts.figures.themes`)."""

from scripts.figures.themes import run_plot_prevalence
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_prevalence, globals()["snakemake"])
