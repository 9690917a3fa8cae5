"""Rule ``score_models``: coherence, perplexity and diversity of every model (code: :mod:`scripts.model.scores`)."""

from scripts.model.scores import run_score_models
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_score_models, globals()["snakemake"])
