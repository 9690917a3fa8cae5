"""Rule ``measure_fit_baseline`` (code: :mod:`scripts.monitor.pipeline`)."""

from scripts.monitor.pipeline import run_measure_fit_baseline
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_measure_fit_baseline, globals()["snakemake"])
