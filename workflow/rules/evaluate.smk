# ---- Evaluate: measures of every model, stability across seeds, the chosen K and seed -------


rule score_models:
    # One job for the whole grid: each sliding-window count (NPMI, c_v) is made once for the
    # union of all models' top words instead of once per model, for the whole corpus at once
    # (scripts.model.cooccurrence: sums of flagged-interval overlaps, no loop per text or
    # window); the held-out inference of the models runs on the job's threads (each model
    # seeded on its own: the scores do not depend on the number of threads).
    input:
        models=grid_paths(MODEL_FILES["model"]),
        dictionary="results/corpus/dictionary.gensim",
        tokens="results/corpus/tokens.parquet",
        train="results/corpus/train.mm",
        heldout="results/corpus/heldout.mm",
    output:
        scores="results/evaluation/model_scores.csv",
        topic_coherence="results/evaluation/topic_coherence.csv",
    log:
        "logs/score_models/score_models.log",
    benchmark:
        "benchmarks/score_models/score_models.tsv"
    conda:
        "../envs/topics.yaml"
    threads: 2
    resources:
        mem_mb=mem_from_input(1000, 6),
        runtime=runtime_from_input(15, 2),
    params:
        models=grid_models("model"),
        top_n=config["model"]["top_n"],
    script:
        "../../scripts/rules/score_models.py"


rule select_model:
    input:
        scores="results/evaluation/model_scores.csv",
        topic_coherence="results/evaluation/topic_coherence.csv",
        models=grid_paths(MODEL_FILES["model"]),
        topic_terms=grid_paths(MODEL_FILES["topic_terms"]),
        topic_sizes=grid_paths(MODEL_FILES["topic_sizes"]),
        doc_topics=grid_paths(MODEL_FILES["doc_topics"]),
    output:
        table=report(
            "results/evaluation/model_selection.csv",
            caption="../report/model_selection.rst",
            category="Model selection",
        ),
        topic_stability="results/evaluation/topic_stability.csv",
        selection="results/evaluation/selection.json",
        markdown=report(
            "results/evaluation/selection.md",
            caption="../report/selection.rst",
            category="Model selection",
        ),
        selected_topic_terms="results/evaluation/selected_topic_terms.csv",
        selected_topic_sizes="results/evaluation/selected_topic_sizes.csv",
        selected_doc_topics="results/evaluation/selected_doc_topics.parquet",
    log:
        "logs/select_model/select_model.log",
    conda:
        "../envs/topics.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_input(500, 2),
        runtime=15,
    params:
        models=grid_models("model", "topic_terms", "topic_sizes", "doc_topics"),
        selection=config["model"]["selection"],
        select_k=config["model"]["select_k"],
        select_seed=config["model"]["select_seed"],
        top_n=config["model"]["top_n"],
    script:
        "../../scripts/rules/select_model.py"
