"""Rule ``render_monitor_report`` (code: :mod:`scripts.monitor.report`)."""

from scripts.monitor.report import run_render_monitor_report
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_render_monitor_report, globals()["snakemake"])
