# ---- Themes: seed-word themes -> linked topics -> prevalence per period ---------------------


rule track_themes:
    input:
        selection="results/evaluation/selection.json",
        dictionary="results/corpus/dictionary.gensim",
        tokens="results/corpus/tokens.parquet",
        seed_words="results/corpus/seed_words.csv",
        models=grid_paths("results/models/k{k}/seed{seed}/lda.gensim"),
        doc_topics=grid_paths("results/models/k{k}/seed{seed}/doc_topics.parquet"),
    output:
        theme_topics="results/themes/theme_topics.csv",
        doc_themes="results/themes/doc_themes.parquet",
        prevalence=report(
            "results/themes/prevalence.csv",
            caption="../report/prevalence.rst",
            category="Themes",
        ),
    params:
        themes=config["themes"],
        theme_method=config["theme_method"],
        linking=config["linking"],
        time=config["time"],
    threads: 1
    resources:
        mem_mb=mem_from_input(1000, 3),
        runtime=15,
    log:
        "logs/track_themes/track_themes.log",
    benchmark:
        "benchmarks/track_themes/track_themes.tsv"
    script:
        "../../scripts/themes.py"
