"""Rule ``generate_demo_corpus``: the generated demo corpus and its true theme curves (code: :mod:`scripts.demo.generate`)."""

from scripts.demo.generate import run_generate_demo_corpus
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_generate_demo_corpus, globals()["snakemake"])
