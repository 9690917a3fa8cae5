"""Rule ``track_themes``: theme links, document shares, prevalence, change points, drift (code: :mod:`scripts.themes.pipeline`)."""

from scripts.themes.pipeline import run_track_themes
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_track_themes, globals()["snakemake"])
