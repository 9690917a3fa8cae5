"""Batch files of the preprocess stage and the streamed writing of its corpus outputs.

Documents travel between passes as small files, one per batch, in a temporary folder: token ids
and document offsets as numpy arrays (``<kind>-<index>.npz``), the ``doc_id, date`` of the
documents as Arrow (``<kind>-ids-<index>.arrow``), so no pass holds the whole corpus. The final pass writes
``tokens.parquet`` batch by batch (:func:`write_tokens`) and the two Matrix Market corpora (:func:`write_mm`) in gensim's format
(``%%MatrixMarket matrix coordinate real general``; one ``doc term count`` line per non-zero,
1-based, terms ascending), byte for byte what :class:`gensim.corpora.MmCorpus` reads.

Example
-------
>>> mm_lines([[(0, 2), (3, 1)], [], [(1, 1)]], first_docno=0)
'1 1 2\\n1 4 1\\n3 2 1\\n'
"""


import logging
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather
import pyarrow.parquet as pq

logger = logging.getLogger(__name__)

MM_HEADER = "%%MatrixMarket matrix coordinate real general\n"
ID_COLUMNS = ["doc_id", "date"]


def document_batches(documents_path: Path, batch_size: int) -> Iterator[tuple[int, pa.Table, pa.Array]]:
    """``(index, ids, texts)`` per batch of ``documents.parquet``; a text is ``title. text``.

    ``ids`` is an Arrow table with ``doc_id, date``; ``texts`` an Arrow string array (cheap to
    send to a worker process, which turns it into Python strings with ``to_pylist()``).
    """
    source = pq.ParquetFile(documents_path)
    columns = [c for c in ("doc_id", "date", "title", "text") if c in source.schema_arrow.names]
    for index, batch in enumerate(source.iter_batches(batch_size=batch_size, columns=columns)):
        table = pa.Table.from_batches([batch])
        text = pc.fill_null(table["text"].cast(pa.large_string()), "")
        if "title" in table.column_names:
            title = pc.fill_null(table["title"].cast(pa.large_string()), "")
            text = pc.binary_join_element_wise(title, text, pa.scalar(". ", pa.large_string()))
        yield index, table.select(ID_COLUMNS), text


def _batch_path(workdir: Path, kind: str, index: int) -> Path:
    return Path(workdir) / f"{kind}-{index:06d}.arrow"


def write_arrays(workdir: Path, kind: str, index: int, ids: pa.Table | None = None, **arrays: np.ndarray) -> None:
    """Store one batch as numpy arrays (token ids, document offsets), and its ids table if given."""
    np.savez(Path(workdir) / f"{kind}-{index:06d}.npz", **arrays)
    if ids is not None:
        feather.write_feather(ids, _batch_path(workdir, f"{kind}-ids", index), compression="uncompressed")


def read_arrays(workdir: Path, kind: str, index: int) -> dict[str, np.ndarray]:
    """The arrays stored by :func:`write_arrays`."""
    with np.load(Path(workdir) / f"{kind}-{index:06d}.npz") as stored:
        return dict(stored)


def read_ids(workdir: Path, kind: str, index: int) -> pa.Table:
    """The ids table (``doc_id, date``) stored by :func:`write_arrays`."""
    return feather.read_table(_batch_path(workdir, f"{kind}-ids", index), memory_map=False)


def write_tokens_batch(workdir: Path, index: int, ids: pa.Table, is_heldout: np.ndarray, tokens: pa.Array,
                       n_tokens: np.ndarray) -> None:
    """Store one batch of ``tokens.parquet`` rows (``tokens``: a list-of-strings array) for :func:`write_corpus`."""
    table = ids.append_column("split", pa.array(np.where(is_heldout, "heldout", "train"), type=pa.string()))
    table = table.append_column("tokens", tokens)
    table = table.append_column("n_tokens", pa.array(n_tokens, type=pa.int64()))
    feather.write_feather(table, _batch_path(workdir, "tokens", index), compression="uncompressed")


def write_mm_part(workdir: Path, split: str, index: int, text: str) -> None:
    """Store one batch's Matrix Market lines of one split for :func:`write_corpus`."""
    Path(workdir, f"{split}-{index:06d}.mm").write_text(text, encoding="utf-8")


def mm_lines(bows: Iterable[list[tuple[int, int]]], first_docno: int) -> str:
    """Matrix Market lines of consecutive bag-of-words vectors, documents numbered from ``first_docno``."""
    lines = []
    for docno, bow in enumerate(bows, start=first_docno + 1):
        if bow:
            prefix = f"{docno} "
            lines.append(prefix + prefix.join([f"{term + 1} {count}\n" for term, count in bow]))
    return "".join(lines)


def write_tokens(workdir: Path, indexes: Iterable[int], path: Path) -> int:
    """Concatenate the batch files of :func:`write_tokens_batch` into ``tokens.parquet``, in order.

    ``indexes`` gives the batch indexes in order; each batch is written as soon as it is yielded, so
    a caller can write the first batches while later ones are still being made. Returns the rows written.
    """
    writer, n_rows = None, 0
    try:
        for index in indexes:
            table = feather.read_table(_batch_path(workdir, "tokens", index), memory_map=False)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table)
            n_rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    return n_rows


def write_mm(workdir: Path, n_batches: int, outputs: dict, n_docs: dict, nnz: dict, num_terms: int) -> None:
    """Concatenate the batch files of :func:`write_mm_part` into the ``train`` and ``heldout`` Matrix Market corpora.

    Parameters
    ----------
    workdir : pathlib.Path
        Folder of the batch files.
    n_batches : int
        Number of batches.
    outputs : dict
        Paths ``train``, ``heldout``.
    n_docs, nnz : dict
        Documents and non-zero entries per split (``train``, ``heldout``).
    num_terms : int
        Size of the dictionary.
    """
    for split in ("train", "heldout"):
        Path(f"{outputs[split]}.index").unlink(missing_ok=True)  # a stale gensim index would mislead MmCorpus
        with open(outputs[split], "w", encoding="utf-8", newline="\n") as mm:
            mm.write(MM_HEADER)
            mm.write(f"{n_docs[split]} {num_terms} {nnz[split]}\n")
            for index in range(n_batches):
                mm.write(Path(workdir, f"{split}-{index:06d}.mm").read_text(encoding="utf-8"))
    logger.info("wrote %s and %s", outputs["train"], outputs["heldout"])
