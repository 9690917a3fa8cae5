"""Rule ``ingest_corpus``: documents.parquet, rejected.csv and summary.json from the raw corpus (code: :mod:`scripts.ingest.pipeline`)."""

from scripts.ingest.pipeline import run_ingest_corpus
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_ingest_corpus, globals()["snakemake"])
