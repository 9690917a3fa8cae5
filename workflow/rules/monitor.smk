# ---- Monitor: new documents scored with the frozen model of this run, drift signals ----------
# Target `monitor`, not part of `all`: snakemake monitor --config 'monitor={path: new_articles/}'
# (docs/monitoring.md). Reads the finished run's outputs and writes results/monitor/; with
# monitor.path set, render_report and render_explorer also take the monitor's outputs
# (monitor_report_input, common.smk), so the target renders the report and the explorer again.


localrules:
    monitor,
    plot_monitor,
    render_monitor_report,


rule monitor:
    input:
        "results/monitor/report.md",
        "results/monitor/report.html",
        "results/monitor/prevalence.png",
        "results/report/index.html",
        "results/report/report.md",
        "results/report/explorer.html",


rule ingest_new_documents:
    input:
        corpus=monitor_input,
    output:
        documents="results/monitor/ingest/documents.parquet",
        rejected="results/monitor/ingest/rejected.csv",
        summary="results/monitor/ingest/summary.json",
    log:
        "logs/ingest_new_documents/ingest_new_documents.log",
    benchmark:
        "benchmarks/ingest_new_documents/ingest_new_documents.tsv"
    conda:
        "../envs/ingest.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(1000, 6),
        runtime=runtime_from_input(10, 0.2),
    params:
        corpus=config["corpus"],
        monitor=config["monitor"],
    script:
        "../../scripts/rules/ingest_new_documents.py"


rule score_new_documents:
    input:
        documents="results/monitor/ingest/documents.parquet",
        aliases=aliases_input,
        selection="results/evaluation/selection.json",
        dictionary="results/corpus/dictionary.gensim",
        phrases="results/corpus/phrases.csv",
        name_forms="results/corpus/name_forms.csv",
        seed_words="results/corpus/seed_words.csv",
        tokens="results/corpus/tokens.parquet",
        models=grid_paths(MODEL_FILES["model"]),
        doc_topics=grid_paths(MODEL_FILES["doc_topics"]),
        prevalence="results/themes/prevalence.csv",
    output:
        tokens="results/monitor/tokens.parquet",
        doc_topics="results/monitor/doc_topics.parquet",
        doc_themes="results/monitor/doc_themes.parquet",
        prevalence=report(
            "results/monitor/prevalence.csv",
            caption="../report/monitor_prevalence.rst",
            category="Monitor",
        ),
    log:
        "logs/score_new_documents/score_new_documents.log",
    benchmark:
        "benchmarks/score_new_documents/score_new_documents.tsv"
    conda:
        "../envs/topics.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(1000, 3),
        runtime=15,
    params:
        models=grid_models("model", "doc_topics"),
        preprocess=config["preprocess"],
        themes=config["themes"],
        linking=config["linking"],
        time=config["time"],
    script:
        "../../scripts/rules/score_new_documents.py"


rule measure_fit_baseline:
    input:
        fit_documents="results/ingest/documents.parquet",
        aliases=aliases_input,
        selection="results/evaluation/selection.json",
        dictionary="results/corpus/dictionary.gensim",
        phrases="results/corpus/phrases.csv",
        name_forms="results/corpus/name_forms.csv",
        tokens="results/corpus/tokens.parquet",
        models=grid_paths(MODEL_FILES["model"]),
    output:
        baseline="results/monitor/baseline.csv",
    log:
        "logs/measure_fit_baseline/measure_fit_baseline.log",
    benchmark:
        "benchmarks/measure_fit_baseline/measure_fit_baseline.tsv"
    conda:
        "../envs/topics.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(1000, 3),
        runtime=15,
    params:
        models=grid_models("model"),
        preprocess=config["preprocess"],
        time=config["time"],
    script:
        "../../scripts/rules/measure_fit_baseline.py"


rule measure_drift:
    input:
        new_tokens="results/monitor/tokens.parquet",
        baseline="results/monitor/baseline.csv",
        selection="results/evaluation/selection.json",
        dictionary="results/corpus/dictionary.gensim",
        vocabulary="results/corpus/vocabulary.csv",
        tokens="results/corpus/tokens.parquet",
        models=grid_paths(MODEL_FILES["model"]),
    output:
        signals=report(
            "results/monitor/signals.csv",
            caption="../report/monitor_signals.rst",
            category="Monitor",
        ),
        rising_terms="results/monitor/rising_terms.csv",
    log:
        "logs/measure_drift/measure_drift.log",
    benchmark:
        "benchmarks/measure_drift/measure_drift.tsv"
    conda:
        "../envs/topics.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(1000, 3),
        runtime=15,
    params:
        models=grid_models("model"),
        time=config["time"],
        monitor=config["monitor"],
    script:
        "../../scripts/rules/measure_drift.py"


rule plot_monitor:
    input:
        prevalence="results/monitor/prevalence.csv",
        theme_topics="results/themes/theme_topics.csv",
        labels="results/themes/theme_labels.csv",
    output:
        png="results/monitor/prevalence.png",
        csv="results/monitor/prevalence_drawn.csv",
    log:
        "logs/plot_monitor/plot_monitor.log",
    conda:
        "../envs/figures.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
        level=config["time"]["ci_level"],
    script:
        "../../scripts/rules/plot_monitor.py"


rule render_monitor_report:
    input:
        figure="results/monitor/prevalence.png",
        prevalence="results/monitor/prevalence.csv",
        signals="results/monitor/signals.csv",
        rising_terms="results/monitor/rising_terms.csv",
        summary="results/monitor/ingest/summary.json",
        tokens="results/monitor/tokens.parquet",
        selection="results/evaluation/selection.json",
    output:
        markdown="results/monitor/report.md",
        html=report("results/monitor/report.html", caption="../report/monitor_report.rst", category="Monitor"),
    log:
        "logs/render_monitor_report/render_monitor_report.log",
    conda:
        "../envs/report.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
        report=config["report"],
        monitor=config["monitor"],
        freq=config["time"]["freq"],
    script:
        "../../scripts/rules/render_monitor_report.py"
