"""Spanish news topic modeling: the stage code of the Snakemake workflow.

One subpackage per stage, each read by the thin entry scripts in ``scripts/rules/`` (one per rule,
named as the rule). Shared, stage-free helpers: :mod:`scripts.text` (text utilities),
:mod:`scripts.settings` (config validation and defaults), :mod:`scripts.logs` (entry-point logging).

====================  ===========================================  ===============================
stage                 reads                                        writes
====================  ===========================================  ===============================
``demo``              config ``demo``                              ``data/demo_corpus/``
``ingest``            the raw corpus (txt, csv, jsonl, parquet...)  ``results/ingest/``
``preprocess``        ``documents.parquet``                        ``results/corpus/``
``model``             ``results/corpus/``                          ``results/models/``, ``results/evaluation/``
``themes``            chosen models, seed words                    ``results/themes/``
``figures``           tables of the stages above                   ``results/figures/``
``report``            tables, figures, provenance                  ``results/report/``
====================  ===========================================  ===============================

"""
