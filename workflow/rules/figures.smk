# ---- Figures: drawn from tables only, so re-styling never refits ----------------------------


rule plot_model_selection:
    input:
        table="results/evaluation/model_selection.csv",
        selection="results/evaluation/selection.json",
    output:
        png=report(
            "results/figures/model_selection.png",
            caption="../report/model_selection.rst",
            category="Model selection",
        ),
    params:
        figures=config["figures"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    log:
        "logs/plot_model_selection/plot_model_selection.log",
    script:
        "../../scripts/figures.py"


rule plot_top_terms:
    input:
        topic_terms="results/evaluation/selected_topic_terms.csv",
        selection="results/evaluation/selection.json",
    output:
        png=report(
            "results/figures/top_terms.png",
            caption="../report/top_terms.rst",
            category="Topics",
        ),
    params:
        figures=config["figures"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    log:
        "logs/plot_top_terms/plot_top_terms.log",
    script:
        "../../scripts/figures.py"


rule plot_prevalence:
    input:
        prevalence="results/themes/prevalence.csv",
    output:
        png=report(
            "results/figures/prevalence.png",
            caption="../report/prevalence.rst",
            category="Themes",
        ),
    params:
        figures=config["figures"],
        level=config["time"]["ci_level"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    log:
        "logs/plot_prevalence/plot_prevalence.log",
    script:
        "../../scripts/figures.py"
