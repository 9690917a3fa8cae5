"""Rule ``label_themes``: the label readers see for each theme (code: :mod:`scripts.themes.labels`)."""

from scripts.logs import run_stage
from scripts.themes.labels import run_label_themes

if "snakemake" in globals():
    run_stage(run_label_themes, globals()["snakemake"])
