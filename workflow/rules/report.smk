# ---- Report: provenance, one self-contained HTML page and a Markdown summary ----------------


rule record_provenance:
    input:
        corpus=corpus_input,
    output:
        provenance="results/provenance.json",
    params:
        corpus_path=config["corpus"]["path"],
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    log:
        "logs/record_provenance/record_provenance.log",
    script:
        "../../scripts/report.py"


rule render_report:
    input:
        summary="results/ingest/summary.json",
        selection="results/evaluation/selection.json",
        table="results/evaluation/model_selection.csv",
        topic_terms="results/evaluation/selected_topic_terms.csv",
        topic_sizes="results/evaluation/selected_topic_sizes.csv",
        theme_topics="results/themes/theme_topics.csv",
        prevalence="results/themes/prevalence.csv",
        provenance="results/provenance.json",
        fig_selection="results/figures/model_selection.png",
        fig_topics="results/figures/top_terms.png",
        fig_prevalence="results/figures/prevalence.png",
    output:
        html="results/report/index.html",
        markdown="results/report/report.md",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    log:
        "logs/render_report/render_report.log",
    script:
        "../../scripts/report.py"
