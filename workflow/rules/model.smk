# ---- Fit: one deterministic gensim LDA per (K, seed), each its own job ----------------------
# Single-process LdaModel (LdaMulticore is not deterministic): speed comes from running the
# grid's models side by side, one job per core.


rule fit_lda:
    input:
        dictionary="results/corpus/dictionary.gensim",
        train="results/corpus/train.mm",
        tokens="results/corpus/tokens.parquet",
        seed_words="results/corpus/seed_words.csv",
    output:
        model="results/models/k{k}/seed{seed}/lda.gensim",
        topic_terms="results/models/k{k}/seed{seed}/topic_terms.csv",
        doc_topics="results/models/k{k}/seed{seed}/doc_topics.parquet",
        topic_sizes="results/models/k{k}/seed{seed}/topic_sizes.csv",
    params:
        lda=lda_options(config["model"]),
        top_n=max(25, config["model"]["top_n"]),
        theme_method=config["theme_method"],
        themes=list(config["themes"]),
        seeded=config["model"]["seeded"],
    threads: 1
    resources:
        mem_mb=fit_mem_mb,
        runtime=runtime_from_input(20, 2),
    conda:
        "../envs/topics.yaml"
    log:
        "logs/fit_lda/k{k}_seed{seed}.log",
    benchmark:
        "benchmarks/fit_lda/k{k}_seed{seed}.tsv"
    script:
        "../../scripts/rules/fit_lda.py"
