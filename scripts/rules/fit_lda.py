"""Rule ``fit_lda``: one LDA model of the (K, seed) grid (code: :mod:`scripts.model.fit`)."""

from scripts.model.fit import run_fit_lda
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_fit_lda, globals()["snakemake"])
