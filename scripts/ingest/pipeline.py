"""Ingest stage: read a corpus as it comes into one table of dated documents.

Every unit read is either kept in ``documents.parquet`` or listed in ``rejected.csv`` with the
reason it was set aside; ``summary.json`` reconciles the counts (``n_read = n_kept +
n_rejected``). A unit is a document (a file or a table row); with ``corpus.segment`` it is a
segment, and a file set aside before it is segmented (unreadable, undated, out of range,
duplicate id) counts as one unit.

Files left out are listed in the summary (``skipped_files``: other formats, files outside
``corpus.include``, an Excel file's later sheets); a symbolic link that leads out of the corpus
folder is never opened and is rejected ``symlink_outside_corpus``.

Filters, in order: unreadable or malformed input (including ``too_deep`` JSON), date (``no_date``, ``bad_date``,
``future_date``, ``out_of_date_range``), ``duplicate_id``, then per segment ``empty_text``,
``too_short``, ``not_spanish``, and last, in date order so the earliest copy stays,
``exact_duplicate`` and ``near_duplicate``.

Example
-------
>>> from scripts.ingest.pipeline import parse_txt_article
>>> parse_txt_article(" date 2024-02-03 Título de prueba\\nCuerpo del artículo.")
('2024-02-03', 'Título de prueba', 'Cuerpo del artículo.')
"""


import datetime as dt
import itertools
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

import pandas as pd
from scripts.text.cleaning import normalise_paragraphs, normalise_text
from scripts.text.markup import strip_markup
from scripts.ingest.settings import FORMAT_SUFFIXES, CorpusSettings, corpus_files, detect_format
from scripts.ingest.dates import date_from_path, date_in_lines, parse_date
from scripts.ingest.summary import summarise, write_outputs
from scripts.ingest.filters import Ledger, kept_documents
from scripts.ingest.readers import (CorpusListing, Record, list_corpus, parse_txt_article, read_text_folder,
                                    relative_name)
from scripts.ingest.segment import split_document
from scripts.logs import UserInputError
from scripts.ingest.tables import read_delimited, read_frame_rows, read_jsonl

logger = logging.getLogger(__name__)

__all__ = ["IngestError", "IngestResult", "ingest", "ingest_corpus", "normalise_text", "parse_date",
           "parse_txt_article", "summarise", "write_outputs"]
REJECTED_COLUMNS = ["source_file", "row_or_id", "reason", "detail", "date"]


class IngestError(UserInputError):
    """An input problem that stops the run; the message names the file and the fix."""


@dataclass
class IngestResult:
    """Documents kept, units set aside (with the date when it could be read), and how many were read."""

    documents: pd.DataFrame
    rejected: pd.DataFrame
    n_read: int
    sources: list[str] = field(default_factory=list)
    info: dict = field(default_factory=dict)


def corpus_listing(root: Path, settings: CorpusSettings) -> CorpusListing:
    """The files of the corpus to read (``corpus.include``, or the format's suffixes in any case) and the others."""
    return list_corpus(root, list(settings.include) or None, FORMAT_SUFFIXES[settings.format])


def read_records(root: Path, settings: CorpusSettings) -> tuple[Iterator[Record], CorpusListing]:
    """The records of a corpus (any format) and its listing (files read, left out, links leaving it)."""
    listing = corpus_listing(root, settings)
    files = listing.files
    if not files and not listing.outside:
        raise IngestError(f"corpus.path: no {settings.format} files in {root} (patterns"
                          f" {', '.join(corpus_files(root, settings))}); check corpus.path, corpus.format or corpus.include")
    fmt = settings.format

    def outside_records():
        for path in listing.outside:
            yield Record(relative_name(path, root), "-", reason="symlink_outside_corpus",
                         detail="symbolic link to a file outside the corpus folder; not followed")

    def table_records():
        for path in files:
            name = relative_name(path, root)
            prefix = name.rsplit(".", 1)[0] + ":" if root.is_dir() and len(files) > 1 else ""
            if fmt in ("csv", "tsv"):
                yield from read_delimited(path, name, settings, prefix)
            elif fmt == "jsonl":
                yield from read_jsonl(path, name, settings, prefix)
            else:
                yield from read_frame_rows(path, name, settings, fmt, prefix, listing.skipped)

    readers = read_text_folder(root, files, settings) if fmt in ("txt", "markdown") else table_records()
    return itertools.chain(outside_records(), readers), listing


def resolve_date(record: Record, body: str, settings: CorpusSettings) -> tuple[pd.Timestamp | None, str, str]:
    """``(date, source, problem)``: the first configured source that gives a date wins.

    Sources, in order: the date field/column/header, ``corpus.date_from_path``, the first
    ``corpus.date_from_text`` lines of the text, ``corpus.default_date``. Without a date,
    ``problem`` is ``bad_date`` (a value was there but unreadable) or ``no_date``.
    """
    raw = record.date_value
    if raw is not None and str(raw).strip():
        date = parse_date(raw, settings.date_format)
        if date is not None:
            return date, "field", ""
    if settings.date_pattern is not None:
        date = date_from_path(record.source_file, settings.date_pattern)
        if date is not None:
            return date, "path", ""
    if settings.date_from_text:
        date = date_in_lines(body.split("\n", settings.date_from_text)[: settings.date_from_text])
        if date is not None:
            return date, "text", ""
    if settings.default_date is not None and (raw is None or not str(raw).strip()):
        date = parse_date(str(settings.default_date))
        return (date, "default", "") if date is not None else (None, "", "bad_date")
    if raw is not None and str(raw).strip():
        return None, "", "bad_date"
    return None, "", "no_date"


def _date_problem_detail(reason: str, record: Record, settings: CorpusSettings) -> str:
    if reason == "bad_date" and (record.date_value is None or not str(record.date_value).strip()):
        return f"corpus.default_date {settings.default_date!r} is not a calendar date"
    if reason == "bad_date":
        return f"cannot read date {str(record.date_value)[:60]!r}" + (
            f" with corpus.date_format {settings.date_format!r}" if settings.date_format else "")
    return "no date value; set corpus.columns.date / corpus.date_field, corpus.date_from_path, corpus.date_from_text or corpus.default_date"


def ingest_corpus(corpus: dict) -> IngestResult:
    """Read a corpus as configured by a ``corpus`` config section; split kept from rejected.

    Parameters
    ----------
    corpus : dict
        The ``corpus`` section, validated and with every schema default filled in (the rule's
        ``params.corpus``; in Python, :func:`scripts.settings.section` or :func:`ingest`).

    Returns
    -------
    IngestResult
        Kept documents sorted by date then id, rejected units, the number read, and an
        ``info`` dict (format, files, encodings, date sources) for the summary.

    Raises
    ------
    IngestError
        When the path does not exist, nothing can be read, or a mapped column is missing.
    """
    settings = CorpusSettings.from_config(corpus)
    root = Path(settings.path)
    if not root.exists():
        raise IngestError(f"corpus.path: {root} does not exist (paths are relative to the run directory)")
    if settings.format == "auto":
        settings = replace(settings, format=detect_format(root))
    records, listing = read_records(root, settings)
    files = listing.files
    ledger, seen_ids = Ledger(settings), set()
    info = {"format": settings.format, "segment": settings.segment, "n_files": len(files), "files_ignored": listing.ignored,
            "skipped": listing.skipped,
            "n_sources_read": 0, "encodings": {}, "date_sources": {},
            "keep_columns_found": {name: 0 for name, _ in settings.keep}}
    today = pd.Timestamp(dt.date.today())
    start, end = (pd.Timestamp(v) if v else None for v in (settings.date_range["start"], settings.date_range["end"]))
    for record in records:
        info["n_sources_read"] += 1
        if info["n_sources_read"] % 5000 == 0:
            logger.info("%d files/rows read (%d units kept so far)", info["n_sources_read"], len(ledger.candidates))
        if record.reason:
            ledger.reject(record.source_file, record.row_or_id, record.reason, record.detail)
            continue
        if record.encoding:
            info["encodings"][record.encoding] = info["encodings"].get(record.encoding, 0) + 1
        for name, value in record.extra.items():
            info["keep_columns_found"][name] += value is not None
        body = normalise_paragraphs(strip_markup(record.text))
        date, date_source, problem = resolve_date(record, body, settings)
        if date is None:
            ledger.reject(record.source_file, record.row_or_id, problem, _date_problem_detail(problem, record, settings))
            continue
        info["date_sources"][date_source] = info["date_sources"].get(date_source, 0) + 1
        if date > today:
            ledger.reject(record.source_file, record.row_or_id, "future_date", f"{date.date()} is after today", date)
        elif (start is not None and date < start) or (end is not None and date > end):
            ledger.reject(record.source_file, record.row_or_id, "out_of_date_range", f"{date.date()} outside corpus.date_range", date)
        elif record.doc_id in seen_ids:
            ledger.reject(record.source_file, record.row_or_id, "duplicate_id", f"id {record.doc_id!r} already read", date)
        else:
            seen_ids.add(record.doc_id)
            title = normalise_text(strip_markup(record.title))
            if settings.title_in_text and title and not body.startswith(title):
                body = f"{title} {body}"
            ledger.offer(record, date, record.doc_id, title, split_document(body, settings.segment, settings.window_words))
    _check_fields_found(info, settings)
    _warn_skipped(listing, settings)
    documents = kept_documents(ledger, settings)
    rejected = pd.DataFrame(ledger.rejected, columns=REJECTED_COLUMNS)
    rejected["date"] = pd.to_datetime(rejected["date"]).astype("datetime64[ns]")
    logger.info("read %d units from %d sources: kept %d, rejected %d", ledger.n_read, info["n_sources_read"], len(documents), len(rejected))
    return IngestResult(documents, rejected, ledger.n_read, [relative_name(p, root) for p in files], info)


def _warn_skipped(listing: CorpusListing, settings: CorpusSettings) -> None:
    """Log the files (and sheets) of the corpus that were not read, and the links leading out of it."""
    counts = {}
    for _, reason in listing.skipped:
        counts[reason] = counts.get(reason, 0) + 1
    if counts:
        suffixes = ", ".join(f"{suffix} {count}" for suffix, count in listing.ignored.items())
        logger.warning("%s: not read: %s (by suffix: %s); see skipped_files in summary.json", settings.path,
                       ", ".join(f"{count} {reason}" for reason, count in sorted(counts.items())), suffixes or "-")
    if listing.outside:
        logger.warning("%s: %d symbolic link(s) lead out of the corpus folder and are not followed (rejected"
                       " symlink_outside_corpus)", settings.path, len(listing.outside))


def _check_fields_found(info: dict, settings: CorpusSettings) -> None:
    """Warn (log and summary) when a kept front-matter field is in no document at all: a typo, most likely.

    Not an error: a field may legitimately be absent from a subset of the corpus.
    """
    info["keep_columns_empty"] = []
    for name, count in info["keep_columns_found"].items():
        if count == 0 and info["n_sources_read"] and settings.format in ("txt", "markdown"):
            source = dict(settings.keep)[name]
            info["keep_columns_empty"].append(source)
            logger.warning("corpus.keep_columns: field '%s' is in none of the %d documents of %s; check its spelling"
                           " (front-matter field names are case-sensitive)", source, info["n_sources_read"], settings.path)


def ingest(corpus_path: Path, corpus_format: str | None = None, columns: dict | None = None, **settings) -> IngestResult:
    """Read a corpus at ``corpus_path`` (shortcut for :func:`ingest_corpus`, for tests and notebooks).

    The keys not given take their defaults from the config schema (:func:`scripts.settings.section`).

    Parameters
    ----------
    corpus_path : pathlib.Path
        A folder or a file.
    corpus_format : str
        ``auto``, ``txt``, ``markdown``, ``csv``, ``tsv``, ``jsonl``, ``parquet`` or ``excel``.
    columns : dict, optional
        Role → column name mapping for tables.
    **settings
        Any other key of the ``corpus`` config section.

    Returns
    -------
    IngestResult
    """
    from scripts.settings import section

    given = {"format": corpus_format, "columns": columns}
    corpus = {"path": str(corpus_path), **{key: value for key, value in given.items() if value is not None}, **settings}
    return ingest_corpus(section("corpus", corpus))


def run_ingest_corpus(smk) -> None:
    """Snakemake entry point."""
    result = ingest_corpus(dict(smk.params.corpus))
    if result.documents.empty:
        reasons = result.rejected["reason"].value_counts()
        listing = ", ".join(f"{reason}: {count}" for reason, count in reasons.items())
        first = result.rejected.iloc[0] if len(result.rejected) else None
        example = f"; e.g. {first['source_file']} {first['row_or_id']}: {first['detail']}" if first is not None else ""
        raise IngestError(f"corpus.path: no usable document in {smk.params.corpus['path']} ({result.n_read} read,"
                          f" all set aside: {listing or 'none found'}){example}")
    write_outputs(result, Path(smk.output.documents), Path(smk.output.rejected), Path(smk.output.summary))

