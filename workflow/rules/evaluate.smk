# ---- Evaluate: measures per model, stability across seeds, the chosen K and seed ------------


rule score_model:
    input:
        model="results/models/k{k}/seed{seed}/lda.gensim",
        dictionary="results/corpus/dictionary.gensim",
        tokens="results/corpus/tokens.parquet",
        train="results/corpus/train.mm",
        heldout="results/corpus/heldout.mm",
    output:
        scores="results/evaluation/scores/k{k}_seed{seed}.json",
    params:
        top_n=config["model"]["top_n"],
    threads: 1
    resources:
        mem_mb=mem_from_input(1000, 6),
        runtime=runtime_from_input(15, 1),
    log:
        "logs/score_model/k{k}_seed{seed}.log",
    benchmark:
        "benchmarks/score_model/k{k}_seed{seed}.tsv"
    script:
        "../../scripts/evaluate.py"


rule select_model:
    input:
        scores=grid_paths("results/evaluation/scores/k{k}_seed{seed}.json"),
        models=grid_paths("results/models/k{k}/seed{seed}/lda.gensim"),
        topic_terms=grid_paths("results/models/k{k}/seed{seed}/topic_terms.csv"),
        topic_sizes=grid_paths("results/models/k{k}/seed{seed}/topic_sizes.csv"),
    output:
        table=report(
            "results/evaluation/model_selection.csv",
            caption="../report/model_selection.rst",
            category="Model selection",
        ),
        topic_stability="results/evaluation/topic_stability.csv",
        selection="results/evaluation/selection.json",
        markdown="results/evaluation/selection.md",
        selected_topic_terms="results/evaluation/selected_topic_terms.csv",
        selected_topic_sizes="results/evaluation/selected_topic_sizes.csv",
    params:
        selection=config["model"]["selection"],
        select_k=config["model"]["select_k"],
        select_seed=config["model"]["select_seed"],
    threads: 1
    resources:
        mem_mb=mem_from_input(500, 2),
        runtime=15,
    log:
        "logs/select_model/select_model.log",
    script:
        "../../scripts/select_model.py"
