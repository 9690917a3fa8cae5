"""Preprocess: Spanish tokens, lemmas, phrases, the dictionary and the bag-of-words corpus.

Reads ``results/ingest/documents.parquet``; writes ``results/corpus/`` (``tokens.parquet``,
``dictionary.gensim``, ``train.mm``/``heldout.mm``, ``vocabulary.csv``, ``phrases.csv``, ``seed_words.csv``, ``surface_forms.csv``, ``name_forms.csv``).
"""
