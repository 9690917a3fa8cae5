"""``results/model/``: the chosen model's gensim files and its document-topic table with dates and metadata.

A notebook reads the chosen model without looking up ``selection.json``, and its
document-topic table without merging ``documents.parquet``::

    model = LdaModel.load("results/model/lda.gensim")
    doc_topics = pd.read_parquet("results/model/doc_topics.parquet")   # doc_id, split, topic_*, date, title, source, …

Example
-------
>>> table = pd.DataFrame({"doc_id": ["b", "a"], "topic_0": [0.2, 0.9]})
>>> documents = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2024-01-02", "2024-01-01"], "source": ["x", "y"]})
>>> attach_metadata(table, documents, ["date", "source"]).values.tolist()
[['b', 0.2, '2024-01-01', 'y'], ['a', 0.9, '2024-01-02', 'x']]
"""


import json
import logging
import os
import shutil
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)


def attach_metadata(table: pd.DataFrame, documents: pd.DataFrame, columns) -> pd.DataFrame:
    """``table`` with the ``columns`` of ``documents`` appended (matched on ``doc_id``, rows and columns kept).

    Columns ``table`` already has are not added again.
    """
    added = [column for column in columns if column not in table.columns]
    metadata = documents.drop_duplicates("doc_id").set_index("doc_id")[added]
    return pd.concat([table.reset_index(drop=True), metadata.reindex(table["doc_id"].to_numpy()).reset_index(drop=True)],
                     axis=1)


def model_files(model: Path) -> list[Path]:
    """The files gensim wrote for ``model`` (``lda.gensim`` and its ``lda.gensim.*`` arrays)."""
    model = Path(model)
    return sorted([model, *model.parent.glob(model.name + ".*")])


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` to ``target`` (a copy across file systems), replacing ``target``."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def run_export_model(smk) -> None:
    """Snakemake entry point of ``export_model``."""
    selection = json.loads(Path(smk.input.selection).read_text(encoding="utf-8"))
    chosen = next(entry for entry in smk.params.models if (entry["k"], entry["seed"]) == (selection["k"], selection["seed"]))
    target = Path(smk.output.model)
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in model_files(target):
        old.unlink(missing_ok=True)
    for source in model_files(Path(chosen["model"])):
        link_or_copy(source, target.parent / (target.name + source.name[len(Path(chosen["model"]).name):]))
    columns = ["date", *smk.params.metadata]
    documents = pd.read_parquet(smk.input.documents, columns=["doc_id", *columns])
    doc_topics = attach_metadata(pd.read_parquet(smk.input.doc_topics), documents, columns)
    doc_topics.to_parquet(smk.output.doc_topics, index=False)
    logger.info("K=%d seed %d: %s and %d documents with %s", selection["k"], selection["seed"], target, len(doc_topics),
                ", ".join(columns))
