"""Ingest: read a corpus in any supported format into one table of dated documents.

Reads the raw corpus (txt folder, CSV/TSV, JSONL, Parquet, Excel, front-matter Markdown, transcripts);
writes ``results/ingest/documents.parquet``, ``rejected.csv`` (every document set aside, with its
reason) and ``summary.json`` (counts that reconcile).
"""
