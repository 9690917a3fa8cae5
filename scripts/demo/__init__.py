"""Demo corpus: a generated Spanish news corpus with planted theme curves.

Writes ``data/demo_corpus/*.txt`` (one article per file) and ``data/demo_corpus_truth.csv``.
"""
