"""Rule ``plot_prevalence_by_group``: theme prevalence per metadata group (code: :mod:`scripts.figures.themes`)."""

from scripts.figures.themes import run_plot_prevalence_by_group
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_prevalence_by_group, globals()["snakemake"])
