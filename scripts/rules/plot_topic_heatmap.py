"""Rule ``plot_topic_heatmap``: topic prevalence over time (code: :mod:`scripts.figures.models`)."""

from scripts.figures.models import run_plot_topic_heatmap
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_topic_heatmap, globals()["snakemake"])
