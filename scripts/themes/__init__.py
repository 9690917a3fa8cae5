"""Themes: link seed-word themes to topics; prevalence over time with intervals, change points, drift.

Reads the chosen K's models and ``results/corpus/seed_words.csv``; writes ``results/themes/``
(``theme_topics.csv``, ``doc_themes.parquet``, ``prevalence.csv``, ``change_points.csv``, ``drift.csv``).
"""
