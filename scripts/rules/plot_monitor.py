"""Rule ``plot_monitor`` (code: :mod:`scripts.monitor.figure`)."""

from scripts.monitor.figure import run_plot_monitor
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_plot_monitor, globals()["snakemake"])
