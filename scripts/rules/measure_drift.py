"""Rule ``measure_drift`` (code: :mod:`scripts.monitor.pipeline`)."""

from scripts.monitor.pipeline import run_measure_drift
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_measure_drift, globals()["snakemake"])
