"""Model: fit the LDA grid (K x seeds), score every model and choose K and seed.

Reads ``results/corpus/``; writes ``results/models/k{k}/seed{seed}/`` and ``results/evaluation/``
(``model_scores.csv``, ``model_selection.csv``, ``selection.json``, ``selection.md``, the chosen model's tables).
"""
