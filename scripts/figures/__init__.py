"""Figures: drawn from the tables only, so restyling never refits.

Reads ``results/ingest``, ``results/evaluation`` and ``results/themes`` tables; writes
``results/figures/<name>.png`` with the ``.csv`` of what is drawn and vector copies.
"""
