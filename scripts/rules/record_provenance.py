"""Rule ``record_provenance``: input hashes, config and package versions (code: :mod:`scripts.report.render`)."""

from scripts.report.render import run_record_provenance
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_record_provenance, globals()["snakemake"])
