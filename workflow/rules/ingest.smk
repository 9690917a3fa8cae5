# ---- Ingest: corpus as it comes -> one table of dated documents -----------------------------


rule generate_demo_corpus:
    output:
        corpus=directory(DEMO_CORPUS),
        truth=f"{DEMO_CORPUS}_truth.csv",
    log:
        "logs/generate_demo_corpus/generate_demo_corpus.log",
    conda:
        "../envs/ingest.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        n_articles=900,
        months=30,
        seed=42,
    script:
        "../../scripts/rules/generate_demo_corpus.py"


# Writes the corpus manifest when it is missing (first run; the demo corpus once generated). After that,
# common.smk keeps it up to date, rewriting it only when a corpus file changes (hence ancient()).
rule fingerprint_corpus:
    input:
        corpus=ancient(config["corpus"]["path"]),
    output:
        manifest=CORPUS_MANIFEST,
    log:
        "logs/fingerprint_corpus/fingerprint_corpus.log",
    conda:
        "../envs/ingest.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        corpus=config["corpus"],
        cache=CORPUS_HASH_CACHE,
    script:
        "../../scripts/rules/fingerprint_corpus.py"


rule ingest_corpus:
    input:
        manifest=CORPUS_MANIFEST,
    output:
        documents="results/ingest/documents.parquet",
        rejected="results/ingest/rejected.csv",
        summary="results/ingest/summary.json",
    log:
        "logs/ingest_corpus/ingest_corpus.log",
    benchmark:
        "benchmarks/ingest_corpus/ingest_corpus.tsv"
    conda:
        "../envs/ingest.yaml"
    threads: 1
    resources:
        mem_mb=mem_from_corpus(1000, 6),
        runtime=runtime_from_corpus(10, 0.2),
    params:
        corpus=config["corpus"],
    script:
        "../../scripts/rules/ingest_corpus.py"
