"""Rule ``fingerprint_corpus``: the corpus manifest, when missing (code: :mod:`scripts.ingest.manifest`)."""

from scripts.ingest.manifest import run_fingerprint_corpus
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_fingerprint_corpus, globals()["snakemake"])
