"""Rule ``plot_theme_heatmap``: theme prevalence heat map (code: :mod:`scripts.figures.themes`)."""

from scripts.figures.themes import run_plot_theme_heatmap
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_theme_heatmap, globals()["snakemake"])
