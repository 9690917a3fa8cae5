"""Rule ``cache_lemma_table``: simplemma's Spanish dictionary as a faster file (code: :mod:`scripts.preprocess.lemma_table`)."""

from scripts.preprocess.lemma_table import run_cache_lemma_table
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_cache_lemma_table, globals()["snakemake"])
