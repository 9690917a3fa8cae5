"""Rule ``plot_model_selection``: the model-selection figure (code: :mod:`scripts.figures.models`)."""

from scripts.figures.models import run_plot_model_selection
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_model_selection, globals()["snakemake"])
