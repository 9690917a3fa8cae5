"""Rule ``plot_effects``: forest plot of the effects on theme shares (code: :mod:`scripts.figures.effects`)."""

from scripts.figures.effects import run_plot_effects
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_effects, globals()["snakemake"])
