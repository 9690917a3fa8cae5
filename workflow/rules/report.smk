# ---- Report: topic descriptions, provenance, one self-contained HTML page and a Markdown summary


localrules:
    describe_topics,
    export_model,
    tabulate_explorer,
    render_explorer,


rule describe_topics:
    input:
        topic_terms="results/evaluation/selected_topic_terms.csv",
        topic_sizes="results/evaluation/selected_topic_sizes.csv",
        doc_topics="results/evaluation/selected_doc_topics.parquet",
        documents="results/ingest/documents.parquet",
        # the chosen model (named in selection.json) for FREX, relevance and exclusivity from its full topic-word matrix
        selection="results/evaluation/selection.json",
        models=grid_paths("results/models/k{k}/seed{seed}/lda.gensim"),
        surface_forms="results/corpus/surface_forms.csv",
    output:
        topics=report("results/report/topics.csv", caption="../report/topics.rst", category="Topics"),
        documents="results/report/representative_documents.csv",
    log:
        "logs/describe_topics/describe_topics.log",
    conda:
        "../envs/report.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(500, 3),
        runtime=5,
    params:
        top_n=config["model"]["top_n"],
        models=grid_models("model"),
    script:
        "../../scripts/rules/describe_topics.py"


rule record_provenance:
    input:
        manifest=CORPUS_MANIFEST,
    output:
        provenance="results/provenance.json",
    log:
        "logs/record_provenance/record_provenance.log",
    conda:
        "../envs/report.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        corpus_path=config["corpus"]["path"],
        # figure and report settings are recorded by render_report, so restyling never rehashes the corpus
        config={key: value for key, value in config.items() if key not in ("figures", "report")},
    script:
        "../../scripts/rules/record_provenance.py"


rule render_report:
    input:
        unpack(figure_pngs),
        unpack(effects_report_input),
        unpack(monitor_report_input),
        summary="results/ingest/summary.json",
        selection="results/evaluation/selection.json",
        table="results/evaluation/model_selection.csv",
        topics="results/report/topics.csv",
        documents="results/report/representative_documents.csv",
        topic_terms="results/evaluation/selected_topic_terms.csv",
        theme_topics="results/themes/theme_topics.csv",
        prevalence="results/themes/prevalence.csv",
        change_points="results/themes/change_points.csv",
        drift="results/themes/drift.csv",
        theme_labels="results/themes/theme_labels.csv",
        theme_figures=theme_figures("png"),
        vectors=figure_vectors,
        provenance="results/provenance.json",
        explorer="results/report/explorer/summary.json",
        surface_forms="results/corpus/surface_forms.csv",
    output:
        html=report("results/report/index.html", caption="../report/index.rst", category="Report"),
        markdown="results/report/report.md",
    log:
        "logs/render_report/render_report.log",
    conda:
        "../envs/report.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figure_names=figure_names(),
        figures=config["figures"],
        report=config["report"],
        themes=config["themes"],
        freq=config["time"]["freq"],
        monitor={"max_z": config["monitor"]["max_z"]},
    script:
        "../../scripts/rules/render_report.py"


# ---- The chosen model for notebooks: gensim files and doc_topics with dates and metadata --------


rule export_model:
    input:
        selection="results/evaluation/selection.json",
        doc_topics="results/evaluation/selected_doc_topics.parquet",
        documents="results/ingest/documents.parquet",
        models=grid_paths(MODEL_FILES["model"]),
    output:
        # the model's side files (state, id2word, arrays) are linked beside it
        model="results/model/lda.gensim",
        doc_topics="results/model/doc_topics.parquet",
    log:
        "logs/export_model/export_model.log",
    conda:
        "../envs/report.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(500, 3),
        runtime=5,
    params:
        models=grid_models("model"),
        metadata=document_metadata(),
    script:
        "../../scripts/rules/export_model.py"


# ---- Explorer: tables first (results/report/explorer/), then one offline page -----------------


rule tabulate_explorer:
    input:
        selection="results/evaluation/selection.json",
        topic_sizes="results/evaluation/selected_topic_sizes.csv",
        models=grid_paths(MODEL_FILES["model"]),
        doc_themes="results/themes/doc_themes.parquet",
        documents="results/ingest/documents.parquet",
        seed_words="results/corpus/seed_words.csv",
        surface_forms="results/corpus/surface_forms.csv",
    output:
        topic_terms="results/report/explorer/topic_terms.parquet",
        theme_documents="results/report/explorer/theme_documents.parquet",
    log:
        "logs/tabulate_explorer/tabulate_explorer.log",
    benchmark:
        "benchmarks/tabulate_explorer/tabulate_explorer.tsv"
    conda:
        "../envs/report.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(500, 3),
        runtime=10,
    params:
        models=grid_models("model"),
        themes=list(config["themes"]),
        facets=explorer_facets(),
        freq=config["time"]["freq"],
        explorer=config["report"]["explorer"],
    script:
        "../../scripts/rules/tabulate_explorer.py"


rule render_explorer:
    input:
        unpack(effects_report_input),
        unpack(monitor_report_input),
        topic_terms="results/report/explorer/topic_terms.parquet",
        theme_documents="results/report/explorer/theme_documents.parquet",
        topics="results/report/topics.csv",
        prevalence="results/themes/prevalence.csv",
        change_points="results/themes/change_points.csv",
        theme_topics="results/themes/theme_topics.csv",
        theme_labels="results/themes/theme_labels.csv",
        selection="results/evaluation/selection.json",
    output:
        html=report("results/report/explorer.html", caption="../report/explorer.rst", category="Report"),
        summary="results/report/explorer/summary.json",
    log:
        "logs/render_explorer/render_explorer.log",
    benchmark:
        "benchmarks/render_explorer/render_explorer.tsv"
    conda:
        "../envs/report.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(500, 5),
        runtime=5,
    params:
        themes=config["themes"],
        facets=explorer_facets(),
        freq=config["time"]["freq"],
        language=config["figures"]["language"],
        title=config["report"]["title"],
        explorer=config["report"]["explorer"],
        monitor={"max_z": config["monitor"]["max_z"]},
    script:
        "../../scripts/rules/render_explorer.py"
