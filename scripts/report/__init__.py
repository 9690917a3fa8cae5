"""Report: topic descriptions, provenance, the self-contained HTML page and a Markdown summary.

Reads every table and figure; writes ``results/report/`` (``topics.csv``, ``index.html``, ``report.md``)
and ``results/provenance.json``.
"""
