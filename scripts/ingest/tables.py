"""Readers for corpora stored as tables: CSV/TSV, JSONL, Parquet and Excel, one row per document.

Columns are mapped to roles with ``corpus.columns`` (``id, date, title, text, source``) and
extra columns are carried with ``corpus.keep_columns``. A mapped column that is missing stops
the run with the file, the key and the columns present; a bad row becomes a record with a
``reason`` and the reading goes on.

Lines of CSV/TSV files end only at ``\\n``, ``\\r\\n`` or ``\\r``, as for Python's ``csv`` module (a form
feed or U+2028 inside a field is text); in a TSV file quotes are literal text when a row does not
parse as quoted CSV. Each JSON object is mapped on its own keys (a first object without ``title``
does not drop the titles of the others) and objects nested deeper than :data:`MAX_JSON_DEPTH` are
rejected ``too_deep``. Parquet ``binary`` text is decoded as UTF-8. Only an Excel file's first sheet
is read; the others are listed as skipped.

Example
-------
>>> from scripts.ingest.tables import resolve_column
>>> resolve_column(["ID", "Fecha", "Texto"], "fecha")
'Fecha'
"""


import csv
import io
import json
import logging
import re
from pathlib import Path
from typing import Iterator

from scripts.ingest.decoding import UnreadableFile, read_file_text
from scripts.ingest.readers import Record
from scripts.ingest.settings import CorpusSettings
from scripts.logs import UserInputError

logger = logging.getLogger(__name__)

DELIMITERS = ",;\t|"
csv.field_size_limit(2**31 - 1)
#: Deepest nesting of arrays/objects accepted in one JSON row (a news record needs 2 or 3).
MAX_JSON_DEPTH = 64
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def resolve_column(available: list[str], name: str) -> str | None:
    """The column called ``name``: exact match first, then a unique case-insensitive match."""
    if name in available:
        return name
    folded = [column for column in available if str(column).casefold() == name.casefold()]
    return folded[0] if len(folded) == 1 else None


def _plan(available: list[str], settings: CorpusSettings) -> tuple[dict, list[tuple[str, str, str]]]:
    """Role and kept column → column of ``available``, and the required ones missing as ``(key, name, fix)``."""
    columns, plan, missing = settings.columns, {}, []
    for role in ("id", "date", "title", "text", "source"):
        name = columns.get(role) or role
        found = resolve_column(available, name)
        if found is None and (role in columns or role == "text" or (role == "date" and settings.default_date is None)):
            fix = "set corpus.columns.date or corpus.default_date" if role == "date" and role not in columns else f"set corpus.columns.{role}"
            missing.append((f"corpus.columns.{role}", name, fix))
        plan[role] = found
    for output_name, column in settings.keep:
        found = resolve_column(available, column)
        if found is None:
            missing.append(("corpus.keep_columns", column, ""))
        plan["keep:" + output_name] = found
    return plan, missing


def _missing_message(missing: tuple[str, str, str], available: list[str], file_name: str) -> str:
    key, name, fix = missing
    listing = ", ".join(map(str, available)) or "(none)"
    return f"{key}: no column '{name}' in {file_name}; columns are {listing}" + (f" ({fix})" if fix else "")


def column_plan(available: list[str], file_name: str, settings: CorpusSettings) -> dict[str, str | None]:
    """Map each role and kept column to a column of this file, or stop with a clear message.

    Parameters
    ----------
    available : list of str
        The file's column names.
    file_name : str
        For messages.
    settings : CorpusSettings
        The ``corpus`` config section (defaults filled in).

    Returns
    -------
    dict
        Role or output name → column name (``None`` for optional roles that are absent).

    Raises
    ------
    stage_logging.UserInputError
        When a configured column is missing, or there is no text (or date) column.
    """
    plan, missing = _plan(available, settings)
    if missing:
        raise UserInputError(_missing_message(missing[0], available, file_name))
    return plan


def _cell(value) -> object:
    """A cell as a plain value: missing values become ``None``, text is stripped."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _text(value) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_record(row: dict, plan: dict, file_name: str, row_label: str, id_prefix: str) -> Record:
    """One table row as a :class:`Record` (the id defaults to ``<file stem>-<row>``)."""
    def get(role):
        return row.get(plan[role]) if plan.get(role) is not None else None

    doc_id = _text(get("id")) or f"{Path(file_name).stem}-{row_label}"
    return Record(
        file_name, row_label,
        doc_id=id_prefix + doc_id,
        date_value=_cell(get("date")),
        title=_text(get("title")),
        text=_text(get("text")),
        source=_text(get("source")) or file_name,
        extra={key[5:]: _cell(row.get(column)) for key, column in plan.items() if key.startswith("keep:")},
    )


class _LineFeed:
    """Lines handed to ``csv.reader`` one at a time, so parsing can restart after a bad row."""

    def __init__(self, lines: list[str]):
        self.lines, self.index = lines, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.index >= len(self.lines):
            raise StopIteration
        self.index += 1
        return self.lines[self.index - 1]


def sniff_delimiter(sample: str, configured: str | None, suffix: str) -> str:
    """The configured delimiter, tab for ``.tsv``, else the one csv.Sniffer finds (comma by default)."""
    if configured:
        return configured
    if suffix in (".tsv", ".tab"):
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def read_delimited(path: Path, file_name: str, settings: CorpusSettings, id_prefix: str = "") -> Iterator[Record]:
    """One record per CSV/TSV row; malformed rows become ``malformed_row`` records.

    A row whose field count differs from the header is set aside. When an unbalanced quote
    swallows the following lines into one field, only the line where it opens is set aside and
    parsing restarts on the next line, so the rows after it are not lost. ``row_or_id`` is
    the line number where the row starts (the header is line 1).
    """
    try:
        text, _ = read_file_text(path, settings.encoding)
    except UnreadableFile as problem:
        yield Record(file_name, "-", reason=problem.reason, detail=problem.detail)
        return
    # lines end at \n, \r\n or \r only (str.splitlines also splits at \x0c, \x1c-\x1e, \x85, U+2028...)
    lines = list(io.StringIO(text.lstrip("\ufeff"), newline=""))
    del text
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return
    delimiter = sniff_delimiter("".join(lines[:50]), settings.delimiter, path.suffix.lower())
    feed = _LineFeed(lines)
    header = [name.strip() for name in next(csv.reader(feed, delimiter=delimiter))]
    header_lines = feed.index
    plan = column_plan(header, file_name, settings)
    while feed.index < len(lines):
        start = feed.index
        try:
            fields = next(csv.reader(feed, delimiter=delimiter, strict=True))
        except StopIteration:
            break
        except csv.Error as error:
            fields, problem = None, f"line {start + 1}: {error}"
        else:
            problem = None
        if fields is not None and not any(value.strip() for value in fields):
            continue
        if fields is not None and len(fields) == len(header):
            yield row_record(dict(zip(header, fields)), plan, file_name, str(start + 1), id_prefix)
            continue
        literal = _literal_fields(lines[start], delimiter) if delimiter == "\t" else None
        if literal is not None and len(literal) == len(header):  # TSV: a field opening with " is text
            feed.index = start + 1
            yield row_record(dict(zip(header, literal)), plan, file_name, str(start + 1), id_prefix)
            continue
        if problem is None:
            problem = f"expected {len(header)} fields, found {len(fields)}"
        if feed.index - start > 1:
            problem += f" (an unbalanced quote joined lines {start + 1}-{feed.index}; the next lines are read again)"
        feed.index = start + 1
        yield Record(file_name, str(start + 1), reason="malformed_row", detail=problem)
    logger.info("%s: %d lines after a %d-line header", file_name, len(lines) - header_lines, header_lines)


def _literal_fields(line: str, delimiter: str) -> list[str]:
    """One line split at ``delimiter`` with quotes kept as text (TSV without quoting)."""
    return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])


def json_too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON ``text`` nests arrays/objects more than ``limit`` deep (brackets in strings ignored).

    >>> json_too_deep('{"a": [[1]], "b": "[[[["}', limit=3), json_too_deep("[" * 5 + "]" * 5, limit=3)
    (False, True)
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def read_jsonl(path: Path, file_name: str, settings: CorpusSettings, id_prefix: str = "") -> Iterator[Record]:
    """One record per JSON object line (a ``.json`` file holding one list of objects also works)."""
    try:
        text, _ = read_file_text(path, settings.encoding)
    except UnreadableFile as problem:
        yield Record(file_name, "-", reason=problem.reason, detail=problem.detail)
        return
    stripped = text.lstrip("\ufeff \t\r\n")
    if path.suffix.lower() == ".json" and stripped.startswith("["):
        if json_too_deep(stripped, MAX_JSON_DEPTH + 1):
            yield Record(file_name, "-", reason="too_deep", detail=f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            return
        try:
            items = [(str(i + 1), json.dumps(item)) for i, item in enumerate(json.loads(stripped))]
        except json.JSONDecodeError as error:
            yield Record(file_name, "-", reason="malformed_row", detail=f"not valid JSON (line {error.lineno}): {error.msg}")
            return
    else:
        items = [(str(i + 1), line) for i, line in enumerate(text.split("\n")) if line.strip()]
    del text, stripped
    plans, n_objects, never_found, first_keys = {}, 0, {}, None
    for label, line in items:
        if json_too_deep(line):
            yield Record(file_name, label, reason="too_deep", detail=f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as error:
            yield Record(file_name, label, reason="malformed_row", detail=f"not valid JSON: {getattr(error, 'msg', error)}")
            continue
        if not isinstance(row, dict):
            yield Record(file_name, label, reason="malformed_row", detail=f"a JSON {type(row).__name__}, not an object")
            continue
        # every object is mapped on its own keys: the first one says nothing about the others
        keys = tuple(row)
        if keys not in plans:
            plans[keys] = _plan(list(row), settings)
        plan, missing = plans[keys]
        n_objects += 1
        first_keys = first_keys if first_keys is not None else list(row)
        for entry in missing:
            never_found.setdefault(entry, 0)
            never_found[entry] += 1
        lacking = [name for key, name, _ in missing if key != "corpus.keep_columns"]
        if lacking:
            yield Record(file_name, label, reason="malformed_row", detail=f"missing field(s) {', '.join(lacking)}")
            continue
        yield row_record(row, plan, file_name, label, id_prefix)
    for entry, count in never_found.items():
        if count == n_objects:  # in no object of the file: a wrong corpus.columns / keep_columns name
            raise UserInputError(_missing_message(entry, first_keys, file_name))


def read_frame_rows(path: Path, file_name: str, settings: CorpusSettings, kind: str, id_prefix: str = "",
                    skipped: list | None = None) -> Iterator[Record]:
    """One record per row of a Parquet file (read in batches) or of an Excel file's first sheet.

    ``row_or_id`` is the spreadsheet row number for Excel (header = row 1) and the 1-based row
    for Parquet. A file that cannot be opened becomes one ``unreadable`` record. Binary cells
    (Parquet ``binary`` columns) are decoded as UTF-8; a row with a binary cell that is not UTF-8 is
    rejected ``unreadable``. The later sheets of an Excel file are not read: each is appended to
    ``skipped`` as ``(file#sheet, "excel_sheet_not_read")`` and logged.
    """
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            parquet = pq.ParquetFile(path)
            names = parquet.schema_arrow.names
            batches = (batch.to_pylist() for batch in parquet.iter_batches(batch_size=5000))
            first_row = 1
        else:
            import pandas as pd

            with pd.ExcelFile(path) as workbook:
                sheet = pd.read_excel(workbook, sheet_name=0, dtype=object)
                later = workbook.sheet_names[1:]
            if later:
                logger.warning("%s: only the first sheet is read; %d other sheet(s) skipped: %s", file_name, len(later),
                               ", ".join(map(str, later))[:200])
                if skipped is not None:
                    skipped.extend((f"{file_name}#{name}", "excel_sheet_not_read") for name in later)
            names = [str(name) for name in sheet.columns]
            sheet.columns = names
            batches = iter([sheet.to_dict("records")])
            del sheet
            first_row = 2
    except Exception as error:  # noqa: BLE001 - any library failure means the file cannot be read
        yield Record(file_name, "-", reason="unreadable", detail=f"{type(error).__name__}: {str(error)[:160]}")
        return
    plan = column_plan(names, file_name, settings)
    row_number = first_row
    for batch in batches:
        for row in batch:
            problem = _decode_binary(row)
            if problem:
                yield Record(file_name, str(row_number), reason="unreadable", detail=problem)
            else:
                yield row_record(row, plan, file_name, str(row_number), id_prefix)
            row_number += 1


def _decode_binary(row: dict) -> str:
    """Decode the ``bytes`` cells of a row as UTF-8 in place; the problem, or ``""``.

    >>> row = {"text": "Hola".encode("utf-8"), "n": 1}
    >>> _decode_binary(row), row
    ('', {'text': 'Hola', 'n': 1})
    >>> _decode_binary({"text": b"\\xff\\xfe"})
    "column 'text' holds bytes that are not UTF-8 text"
    """
    for name, value in row.items():
        if isinstance(value, (bytes, bytearray)):
            try:
                row[name] = bytes(value).decode("utf-8")
            except UnicodeDecodeError:
                return f"column {str(name)[:60]!r} holds bytes that are not UTF-8 text"
    return ""
