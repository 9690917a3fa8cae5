"""Rule ``select_model``: stability across seeds and the chosen K and seed (code: :mod:`scripts.model.selection`)."""

from scripts.model.selection import run_select_model
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_select_model, globals()["snakemake"])
