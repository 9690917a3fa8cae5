"""Rule ``describe_topics``: topic labels and representative documents (code: :mod:`scripts.report.topic_labels`)."""

from scripts.report.topic_labels import run_describe_topics
from scripts.logs import run_stage

if "snakemake" in globals():
    run_stage(run_describe_topics, globals()["snakemake"])
