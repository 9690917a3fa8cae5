"""Rule ``estimate_effects``: theme shares regressed on time and metadata, with bootstrap intervals (code: :mod:`scripts.themes.effects`)."""

from scripts.themes.effects import run_estimate_effects
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_estimate_effects, globals()["snakemake"])
