# ---- Preprocess: documents -> normalised tokens, dictionary, streamed bag-of-words ----------


rule preprocess_corpus:
    input:
        documents="results/ingest/documents.parquet",
    output:
        tokens="results/corpus/tokens.parquet",
        dictionary="results/corpus/dictionary.gensim",
        train="results/corpus/train.mm",
        heldout="results/corpus/heldout.mm",
        vocabulary="results/corpus/vocabulary.csv",
        seed_words="results/corpus/seed_words.csv",
    params:
        settings=config["preprocess"],
        themes=config["themes"],
    threads: 2
    resources:
        mem_mb=mem_from_input(1000, 8),
        runtime=runtime_from_input(10, 0.5),
    log:
        "logs/preprocess_corpus/preprocess_corpus.log",
    benchmark:
        "benchmarks/preprocess_corpus/preprocess_corpus.tsv"
    script:
        "../../scripts/preprocess.py"
