# Spanish news topic modeling: ingest -> preprocess -> fit LDA grid -> select -> themes -> figures -> report.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


# validates the config (one line per problem) and fills in the schema's defaults
include: "workflow/rules/check_config.smk"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/preprocess.smk"
include: "workflow/rules/model.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/themes.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/monitor.smk"


rule all:
    input:
        "results/report/index.html",
        "results/report/report.md",
        "results/report/explorer.html",
        "results/model/lda.gensim",
        "results/model/doc_topics.parquet",
