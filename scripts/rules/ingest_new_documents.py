"""Rule ``ingest_new_documents`` (code: :mod:`scripts.monitor.pipeline`)."""

from scripts.monitor.pipeline import run_ingest_new_documents
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_ingest_new_documents, globals()["snakemake"])
