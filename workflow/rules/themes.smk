# ---- Themes: seed-word themes -> linked topics -> prevalence, change points, drift -----------
# Reads every seed model of the chosen K (for the model-uncertainty bootstrap); figures are drawn
# from the tables written here only. Optional inputs/outputs (time.by, time.events): common.smk.


rule track_themes:
    input:
        unpack(theme_optional_inputs),
        selection="results/evaluation/selection.json",
        dictionary="results/corpus/dictionary.gensim",
        tokens="results/corpus/tokens.parquet",
        seed_words="results/corpus/seed_words.csv",
        models=grid_paths(MODEL_FILES["model"]),
        doc_topics=grid_paths(MODEL_FILES["doc_topics"]),
    output:
        **theme_optional_outputs(),
        theme_topics=report(
            "results/themes/theme_topics.csv",
            caption="../report/theme_topics.rst",
            category="Themes",
        ),
        doc_themes="results/themes/doc_themes.parquet",
        doc_themes_by_seed="results/themes/doc_themes_by_seed.parquet",
        prevalence=report(
            "results/themes/prevalence.csv",
            caption="../report/prevalence.rst",
            category="Themes",
        ),
        topic_prevalence="results/themes/topic_prevalence.csv",
        change_points=report(
            "results/themes/change_points.csv",
            caption="../report/change_points.rst",
            category="Themes",
        ),
        drift="results/themes/drift.csv",
    log:
        "logs/track_themes/track_themes.log",
    benchmark:
        "benchmarks/track_themes/track_themes.tsv"
    conda:
        "../envs/topics.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(1000, 3),
        runtime=15,
    params:
        models=grid_models("model", "doc_topics"),
        themes=config["themes"],
        theme_method=config["theme_method"],
        linking=config["linking"],
        time=config["time"],
        # carried to doc_themes.parquet beside date, for notebooks
        metadata=document_metadata(),
    script:
        "../../scripts/rules/track_themes.py"


rule label_themes:
    input:
        vocabulary="results/corpus/vocabulary.csv",
    output:
        labels="results/themes/theme_labels.csv",
    log:
        "logs/label_themes/label_themes.log",
    conda:
        "../envs/topics.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        themes=config["themes"],
        labels=theme_labels(),
    script:
        "../../scripts/rules/label_themes.py"


# ---- Effects: theme share regressed on time and metadata (config effects; outputs: common.smk) --


rule estimate_effects:
    input:
        unpack(effects_optional_inputs),
        selection="results/evaluation/selection.json",
        doc_themes_by_seed="results/themes/doc_themes_by_seed.parquet",
        documents="results/ingest/documents.parquet",
    output:
        effects=report(
            "results/themes/effects.csv",
            caption="../report/effects.rst",
            category="Themes",
        ),
    log:
        "logs/estimate_effects/estimate_effects.log",
    benchmark:
        "benchmarks/estimate_effects/estimate_effects.tsv"
    conda:
        "../envs/topics.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(1000, 5),
        runtime=15,
    params:
        effects=config["effects"],
        time=config["time"],
    script:
        "../../scripts/rules/estimate_effects.py"
