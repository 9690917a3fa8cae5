"""Rule ``render_explorer``: results/report/explorer.html (code: :mod:`scripts.report.explorer`)."""

from scripts.report.explorer import run_render_explorer
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_render_explorer, globals()["snakemake"])
