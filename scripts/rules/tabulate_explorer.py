"""Rule ``tabulate_explorer``: the tables behind explorer.html (code: :mod:`scripts.report.explorer`)."""

from scripts.report.explorer import run_tabulate_explorer
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_tabulate_explorer, globals()["snakemake"])
