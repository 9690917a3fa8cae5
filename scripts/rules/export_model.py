"""Rule ``export_model``: the chosen model and its document-topic table in results/model (code: :mod:`scripts.report.model_export`)."""

from scripts.report.model_export import run_export_model
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_export_model, globals()["snakemake"])
