"""Monitor: score new documents with the frozen model of a finished run, and say when they drift.

The ``monitor`` target (``snakemake monitor --config 'monitor={path: new_articles/}'``) never refits:
new documents are read with the ingest readers (:func:`monitor_corpus`: the ``corpus`` section
with ``monitor.corpus`` laid over it), tokenized with the run's own normaliser, proper-name
decisions (``results/corpus/name_forms.csv``), phrases (``results/corpus/phrases.csv``) and dictionary (:mod:`scripts.monitor.tokens`), given topic
shares by every seed model of the chosen K (``results/evaluation/selection.json``,
``results/models/k{K}/seed{S}/``) and theme shares by the fit period's method with the fit
period's own inputs (lexicon, topic shares; :mod:`scripts.monitor.scoring`). Drift signals
(:mod:`scripts.monitor.signals`) compare the new documents with the fit period month by month.

Reads ``results/corpus/`` (``tokens.parquet``, ``dictionary.gensim``, ``phrases.csv``, ``name_forms.csv``,
``vocabulary.csv``, ``seed_words.csv``), ``results/ingest/documents.parquet`` (the held-out
documents' texts, for the out-of-vocabulary baseline), the chosen K's models and
``results/themes/prevalence.csv``; writes nothing outside ``results/monitor/``:

* ``ingest/documents.parquet``, ``ingest/rejected.csv``, ``ingest/summary.json``: the new
  documents as ingest writes them (rule ``ingest_new_documents``);
* ``tokens.parquet`` (every token, ``n_oov``), ``doc_topics.parquet``, ``doc_themes.parquet``
  and ``prevalence.csv``: the fit period's rows of ``results/themes/prevalence.csv`` byte for
  byte, then the new periods, with a column ``source`` = ``fit`` | ``monitor`` (rule
  ``score_new_documents``);
* ``baseline.csv``: the drift signals of every fit period (rule ``measure_fit_baseline``, once
  per run: later batches of new documents reuse it);
* ``signals.csv`` (one row per new period and drift signal, with its verdict) and
  ``rising_terms.csv`` (rule ``measure_drift``);
* ``prevalence.png``/``.csv`` (rule ``plot_monitor``) and ``report.md``/``report.html`` (rule
  ``render_monitor_report``).
"""
