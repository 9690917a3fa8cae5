# ---- Preprocess: documents -> normalised tokens, phrases, dictionary, streamed bag-of-words ----


rule cache_lemma_table:
    output:
        table="results/cache/lemmas_es.tsv",
    log:
        "logs/cache_lemma_table/cache_lemma_table.log",
    conda:
        "../envs/preprocess.yaml"
    threads: 1
    params:
        version=f"simplemma {package_version('simplemma')}",  # rebuilt when simplemma changes
    script:
        "../../scripts/rules/cache_lemma_table.py"


rule preprocess_corpus:
    input:
        documents="results/ingest/documents.parquet",
        aliases=aliases_input,
        lemma_table=rules.cache_lemma_table.output.table,
    output:
        tokens="results/corpus/tokens.parquet",
        dictionary="results/corpus/dictionary.gensim",
        train="results/corpus/train.mm",
        heldout="results/corpus/heldout.mm",
        vocabulary=report(
            "results/corpus/vocabulary.csv",
            caption="../report/vocabulary.rst",
            category="Preprocessing",
        ),
        seed_words=report(
            "results/corpus/seed_words.csv",
            caption="../report/seed_words.rst",
            category="Preprocessing",
        ),
        phrases=report(
            "results/corpus/phrases.csv",
            caption="../report/phrases.rst",
            category="Preprocessing",
        ),
        surface_forms=report(
            "results/corpus/surface_forms.csv",
            caption="../report/surface_forms.rst",
            category="Preprocessing",
        ),
        name_forms="results/corpus/name_forms.csv",
    log:
        "logs/preprocess_corpus/preprocess_corpus.log",
    benchmark:
        "benchmarks/preprocess_corpus/preprocess_corpus.tsv"
    conda:
        "../envs/preprocess.yaml"
    threads: 2
    resources:
        mem_mb=mem_from_input(1000, 8),
        runtime=runtime_from_input(10, 0.5),
    params:
        settings=config["preprocess"],
        themes=config["themes"],
    script:
        "../../scripts/rules/preprocess_corpus.py"
