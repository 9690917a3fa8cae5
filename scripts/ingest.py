"""Ingest stage: read a corpus as it comes into one table of dated documents.

Every document read is either kept in ``documents.parquet`` or listed in ``rejected.csv`` with
the reason it was set aside; ``summary.json`` reconciles the counts.

Example
-------
>>> from ingest import parse_txt_article
>>> parse_txt_article(" date 2024-02-03 Título de prueba\\nCuerpo del artículo.")
('2024-02-03', 'Título de prueba', 'Cuerpo del artículo.')
"""


import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd
from stage_logging import UserInputError

logger = logging.getLogger(__name__)

DOCUMENT_COLUMNS = ["doc_id", "date", "title", "text", "source"]
REJECTED_COLUMNS = ["source_file", "row_or_id", "reason", "detail"]
TXT_HEADER = re.compile(r"^\s*date\s+(\S+)\s*(.*)$")


class IngestError(UserInputError):
    """An input problem that stops the run; the message names the file and the fix."""


@dataclass
class IngestResult:
    """Documents kept, documents set aside, and how many were read."""

    documents: pd.DataFrame
    rejected: pd.DataFrame
    n_read: int
    sources: list[str] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """Unicode NFC and collapsed whitespace; accents and ñ are kept.

    Parameters
    ----------
    text : str
        Raw text.

    Returns
    -------
    str
        Normalised text.
    """
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def parse_txt_article(raw: str) -> tuple[str, str, str]:
    """Split a scraped article into its date string, title and body.

    The first line is `` date YYYY-MM-DD <title…>``; the rest is the body.

    Parameters
    ----------
    raw : str
        Whole file content.

    Returns
    -------
    tuple of str
        ``(date, title, body)``; ``date`` is ``""`` when the header is missing.
    """
    first_line, _, body = raw.lstrip("\ufeff").partition("\n")
    match = TXT_HEADER.match(first_line)
    if not match:
        return "", "", normalise_text(raw)
    return match.group(1), normalise_text(match.group(2)), normalise_text(body)


def parse_date(value: object) -> pd.Timestamp | None:
    """Read an ISO date (or timestamp); ``None`` when it cannot be read.

    Parameters
    ----------
    value : object
        A string, a datetime or a missing value.

    Returns
    -------
    pandas.Timestamp or None
        The calendar day (time and time zone dropped), or ``None``.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    try:
        stamp = pd.Timestamp(str(value).strip())
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(stamp):
        return None
    return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize()


def read_txt_folder(folder: Path) -> Iterator[tuple[str, str, dict | None, str, str]]:
    """Yield one record per ``.txt`` file: ``(source_file, row_or_id, fields, reason, detail)``.

    ``fields`` is ``None`` when the file cannot be read; then ``reason`` says why.
    """
    for path in sorted(folder.rglob("*.txt")):
        relative = path.relative_to(folder).as_posix()
        try:
            raw = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError) as error:
            yield relative, path.stem, None, "unreadable", type(error).__name__
            continue
        date, title, body = parse_txt_article(raw)
        yield relative, path.stem, {
            "doc_id": path.stem,
            "date": date,
            "title": title,
            "text": body,
            "source": relative,
        }, "", ""


def read_csv_table(path: Path, columns: dict[str, str]) -> Iterator[tuple[str, str, dict | None, str, str]]:
    """Yield one record per CSV row, mapping ``columns`` (role → column name).

    Raises
    ------
    IngestError
        When a mapped column is missing from the file.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python")
    for role in ("date", "text"):
        name = columns.get(role, role)
        if name not in table.columns:
            raise IngestError(
                f"corpus.columns.{role}: no column '{name}' in {path.name}; "
                f"columns are {', '.join(map(str, table.columns))}"
            )
    for row_number, row in enumerate(table.to_dict("records"), start=2):
        def pick(role: str, default: str = "") -> str:
            name = columns.get(role, role)
            return str(row.get(name, default) or default)

        doc_id = pick("id") or f"{path.stem}-{row_number}"
        yield path.name, str(row_number), {
            "doc_id": doc_id,
            "date": pick("date"),
            "title": normalise_text(pick("title")),
            "text": normalise_text(pick("text")),
            "source": pick("source") or path.name,
        }, "", ""


def ingest(corpus_path: Path, corpus_format: str = "auto", columns: dict | None = None) -> IngestResult:
    """Read a corpus and split it into kept and rejected documents.

    Parameters
    ----------
    corpus_path : pathlib.Path
        A folder of ``.txt`` articles or a CSV file.
    corpus_format : str
        ``auto``, ``txt`` or ``csv``.
    columns : dict, optional
        Role → column name mapping for tables.

    Returns
    -------
    IngestResult
        Kept documents sorted by date then id, rejected rows, and the number read.
    """
    corpus_path = Path(corpus_path)
    if not corpus_path.exists():
        raise IngestError(f"corpus.path: {corpus_path} does not exist")
    if corpus_format == "auto":
        corpus_format = "txt" if corpus_path.is_dir() else corpus_path.suffix.lstrip(".").lower()
    if corpus_format == "txt":
        records = read_txt_folder(corpus_path)
    elif corpus_format in ("csv", "tsv"):
        records = read_csv_table(corpus_path, columns or {})
    else:
        raise IngestError(f"corpus.format: cannot read '{corpus_format}' ({corpus_path})")

    kept, rejected, seen_ids, n_read = [], [], set(), 0
    for source_file, row_or_id, fields, reason, detail in records:
        n_read += 1
        if fields is None:
            rejected.append((source_file, row_or_id, reason, detail))
            continue
        date = parse_date(fields["date"])
        if date is None:
            reason, detail = ("no_date", "") if not fields["date"] else ("bad_date", fields["date"][:40])
        elif not fields["text"]:
            reason, detail = "empty_text", ""
        elif fields["doc_id"] in seen_ids:
            reason, detail = "duplicate_id", fields["doc_id"]
        if reason:
            rejected.append((source_file, row_or_id, reason, detail))
            continue
        seen_ids.add(fields["doc_id"])
        fields["date"] = date
        kept.append(fields)
    documents = pd.DataFrame(kept, columns=DOCUMENT_COLUMNS)
    documents["date"] = pd.to_datetime(documents["date"]).astype("datetime64[ns]")
    documents = documents.sort_values(["date", "doc_id"], kind="stable").reset_index(drop=True)
    logger.info("read %d documents: kept %d, rejected %d", n_read, len(documents), len(rejected))
    return IngestResult(documents, pd.DataFrame(rejected, columns=REJECTED_COLUMNS), n_read)


def summarise(result: IngestResult, freq: str = "MS") -> dict:
    """Counts per reason, date range and documents per period, for ``summary.json``.

    Parameters
    ----------
    result : IngestResult
        Output of :func:`ingest`.
    freq : str
        pandas period-start frequency for the per-period counts.

    Returns
    -------
    dict
        JSON-serialisable summary; ``n_read == n_kept + n_rejected`` always holds.
    """
    dates = result.documents["date"]
    per_period = (
        dates.dt.to_period(freq.rstrip("S")).dt.start_time.dt.date.astype(str).value_counts().sort_index()
        if len(dates)
        else pd.Series(dtype=int)
    )
    return {
        "n_read": result.n_read,
        "n_kept": int(len(result.documents)),
        "n_rejected": int(len(result.rejected)),
        "rejected_by_reason": {k: int(v) for k, v in result.rejected["reason"].value_counts().sort_index().items()},
        "date_min": dates.min().date().isoformat() if len(dates) else None,
        "date_max": dates.max().date().isoformat() if len(dates) else None,
        "documents_per_period": {k: int(v) for k, v in per_period.items()},
    }


def write_outputs(result: IngestResult, documents_path: Path, rejected_path: Path, summary_path: Path) -> None:
    """Write the three ingest outputs."""
    result.documents.to_parquet(documents_path, index=False)
    result.rejected.to_csv(rejected_path, index=False)
    Path(summary_path).write_text(json.dumps(summarise(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(smk) -> None:
    """Snakemake entry point."""
    corpus = smk.params.corpus
    result = ingest(Path(corpus["path"]), corpus.get("format", "auto"), corpus.get("columns", {}))
    if result.documents.empty:
        raise IngestError(
            f"corpus.path: no usable document in {corpus['path']} ({result.n_read} read, all rejected;"
            " see results/ingest/rejected.csv)"
        )
    write_outputs(result, Path(smk.output.documents), Path(smk.output.rejected), Path(smk.output.summary))


if __name__ == "__main__" and "snakemake" in globals():
    from stage_logging import run_stage

    run_stage(main, globals()["snakemake"])
