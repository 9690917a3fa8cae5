# ---- Figures: drawn from tables only, so re-styling never refits ----------------------------
# Only figure and report rules receive config["figures"], so changing figures.* reruns nothing else.


localrules:
    plot_corpus,
    plot_topic_heatmap,
    plot_theme_heatmap,
    plot_drift,
    plot_prevalence_by_group,
    plot_effects,


rule plot_corpus:
    input:
        summary="results/ingest/summary.json",
    output:
        png=report("results/figures/corpus_over_time.png", caption="../report/corpus_over_time.rst", category="Corpus"),
        csv="results/figures/corpus_over_time.csv",
        vectors=vector_figures("corpus_over_time"),
    log:
        "logs/plot_corpus/plot_corpus.log",
    conda:
        "../envs/figures.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
    script:
        "../../scripts/rules/plot_corpus.py"


rule plot_model_selection:
    input:
        table="results/evaluation/model_selection.csv",
        selection="results/evaluation/selection.json",
    output:
        png=report(
            "results/figures/model_selection.png",
            caption="../report/model_selection_figure.rst",
            category="Model selection",
        ),
        csv="results/figures/model_selection.csv",
        vectors=vector_figures("model_selection"),
    log:
        "logs/plot_model_selection/plot_model_selection.log",
    conda:
        "../envs/figures.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
    script:
        "../../scripts/rules/plot_model_selection.py"


rule plot_top_terms:
    input:
        topic_terms="results/evaluation/selected_topic_terms.csv",
        topics="results/report/topics.csv",
        selection="results/evaluation/selection.json",
        surface_forms="results/corpus/surface_forms.csv",
    output:
        png=report("results/figures/top_terms.png", caption="../report/top_terms.rst", category="Topics"),
        csv="results/figures/top_terms.csv",
        vectors=vector_figures("top_terms"),
    log:
        "logs/plot_top_terms/plot_top_terms.log",
    conda:
        "../envs/figures.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
    script:
        "../../scripts/rules/plot_top_terms.py"


rule plot_topic_heatmap:
    input:
        topic_prevalence="results/themes/topic_prevalence.csv",
        topics="results/report/topics.csv",
    output:
        png=report("results/figures/topic_heatmap.png", caption="../report/topic_heatmap.rst", category="Topics"),
        csv="results/figures/topic_heatmap.csv",
        vectors=vector_figures("topic_heatmap"),
    log:
        "logs/plot_topic_heatmap/plot_topic_heatmap.log",
    conda:
        "../envs/figures.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
    script:
        "../../scripts/rules/plot_topic_heatmap.py"


rule plot_prevalence:
    input:
        unpack(events_input),
        prevalence="results/themes/prevalence.csv",
        change_points="results/themes/change_points.csv",
        theme_topics="results/themes/theme_topics.csv",
        labels="results/themes/theme_labels.csv",
    output:
        png=report("results/figures/prevalence.png", caption="../report/prevalence_figure.rst", category="Themes"),
        csv="results/figures/prevalence.csv",
        vectors=vector_figures("prevalence"),
        themes=report(
            theme_figures("png"), caption="../report/theme_figure.rst", category="Themes", subcategory="Each theme"
        ),
        theme_tables=theme_figures("csv"),
        theme_vectors=theme_vector_figures(),
    log:
        "logs/plot_prevalence/plot_prevalence.log",
    conda:
        "../envs/figures.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
        level=config["time"]["ci_level"],
        themes=list(config["themes"]),
    script:
        "../../scripts/rules/plot_prevalence.py"


rule plot_theme_heatmap:
    input:
        prevalence="results/themes/prevalence.csv",
        labels="results/themes/theme_labels.csv",
    output:
        png=report("results/figures/theme_heatmap.png", caption="../report/theme_heatmap.rst", category="Themes"),
        csv="results/figures/theme_heatmap.csv",
        vectors=vector_figures("theme_heatmap"),
    log:
        "logs/plot_theme_heatmap/plot_theme_heatmap.log",
    conda:
        "../envs/figures.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
        freq=config["time"]["freq"],
    script:
        "../../scripts/rules/plot_theme_heatmap.py"


rule plot_drift:
    input:
        drift="results/themes/drift.csv",
        labels="results/themes/theme_labels.csv",
    output:
        png=report("results/figures/drift.png", caption="../report/drift.rst", category="Themes"),
        csv="results/figures/drift.csv",
        vectors=vector_figures("drift"),
    log:
        "logs/plot_drift/plot_drift.log",
    conda:
        "../envs/figures.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
        freq=config["time"]["freq"],
    script:
        "../../scripts/rules/plot_drift.py"


rule plot_prevalence_by_group:
    input:
        table="results/themes/prevalence_by_{column}.csv",
        labels="results/themes/theme_labels.csv",
    output:
        png=report(
            "results/figures/prevalence_by_{column}.png",
            caption="../report/prevalence_by_group.rst",
            category="Themes",
        ),
        csv="results/figures/prevalence_by_{column}.csv",
        vectors=vector_figures("prevalence_by_{column}"),
    log:
        "logs/plot_prevalence_by_group/{column}.log",
    conda:
        "../envs/figures.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        figures=config["figures"],
    script:
        "../../scripts/rules/plot_prevalence_by_group.py"


rule plot_effects:
    input:
        effects="results/themes/effects.csv",
        labels="results/themes/theme_labels.csv",
    output:
        png=report("results/figures/effects.png", caption="../report/effects_figure.rst", category="Themes"),
        csv="results/figures/effects.csv",
        vectors=vector_figures("effects"),
    log:
        "logs/plot_effects/plot_effects.log",
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
        "../../scripts/rules/plot_effects.py"
