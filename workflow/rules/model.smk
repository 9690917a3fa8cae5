# ---- Fit: one deterministic LDA per (K, seed), each its own job ------------------------------
# Single-process gensim LdaModel (LdaMulticore is not deterministic) or, with model.engine:
# tomotopy, a one-worker Gibbs sampler saved as a gensim model: speed comes from running the
# grid's models side by side, one job per core.


rule fit_lda:
    input:
        dictionary="results/corpus/dictionary.gensim",
        train="results/corpus/train.mm",
        heldout="results/corpus/heldout.mm",
        tokens="results/corpus/tokens.parquet",
        seed_words="results/corpus/seed_words.csv",
    output:
        model=MODEL_FILES["model"],
        topic_terms=MODEL_FILES["topic_terms"],
        doc_topics=MODEL_FILES["doc_topics"],
        topic_sizes=MODEL_FILES["topic_sizes"],
    log:
        "logs/fit_lda/k{k}_seed{seed}.log",
    benchmark:
        "benchmarks/fit_lda/k{k}_seed{seed}.tsv"
    conda:
        "../envs/topics.yaml"
    threads: 1
    resources:
        mem_mb=fit_mem_mb,
        runtime=runtime_from_input(20, 2),
    params:
        lda=lda_options(config["model"]),
        top_n=max(25, config["model"]["top_n"]),
        theme_method=config["theme_method"],
        themes=list(config["themes"]),
        seeded=config["model"]["seeded"],
    script:
        "../../scripts/rules/fit_lda.py"
