"""Rule ``render_report``: index.html and report.md (code: :mod:`scripts.report.render`)."""

from scripts.report.render import run_render_report
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_render_report, globals()["snakemake"])
