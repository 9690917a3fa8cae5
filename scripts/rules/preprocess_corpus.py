"""Rule ``preprocess_corpus``: tokens, dictionary and the train/held-out MmCorpus (code: :mod:`scripts.preprocess.pipeline`)."""

from scripts.preprocess.pipeline import run_preprocess_corpus
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_preprocess_corpus, globals()["snakemake"])
