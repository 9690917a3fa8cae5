"""Rule ``plot_drift``: vocabulary drift of each theme (code: :mod:`scripts.figures.themes`)."""

from scripts.figures.themes import run_plot_drift
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_drift, globals()["snakemake"])
