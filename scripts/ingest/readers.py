"""Readers for corpora stored as folders of files: ``.txt`` articles and front-matter Markdown.

Every reader yields one :class:`Record` per document it finds, in sorted path order, and never
stops on a bad file: a file that cannot be decoded (see :mod:`decoding`) becomes a record with a
``reason``. Tables
(CSV, TSV, JSONL, Parquet, Excel) are read by :mod:`tables`.

Example
-------
>>> from scripts.ingest.readers import parse_txt_article
>>> parse_txt_article(" date 2024-02-03 Título de prueba\\nCuerpo del artículo.")
('2024-02-03', 'Título de prueba', 'Cuerpo del artículo.')
"""


import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml
from scripts.ingest.decoding import UnreadableFile, read_file_text
from scripts.ingest.settings import CorpusSettings

logger = logging.getLogger(__name__)

TXT_HEADER = re.compile(r"^\s*date\s+(\S+)[ \t]*(.*)$")
FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_TITLE_WORDS = 40
_PLAIN_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$")


@dataclass(slots=True)
class Record:
    """One document as read, before dates are parsed and text is cleaned.

    ``reason`` is set (and the other fields may be empty) when it could not be read.
    """

    source_file: str
    row_or_id: str
    doc_id: str = ""
    date_value: object = None
    title: str = ""
    text: str = ""
    source: str = ""
    extra: dict = field(default_factory=dict)
    reason: str = ""
    detail: str = ""
    encoding: str = ""


def list_files(root: Path, patterns: list[str]) -> tuple[list[Path], dict[str, int]]:
    """Files under ``root`` matching any glob pattern, sorted, and a count of the others by suffix.

    Hidden files and folders (``.git``, ``.DS_Store``) are skipped. A file path ``root`` is
    returned as the only file.
    """
    if root.is_file():
        return [root], {}
    matched, ignored = set(), {}
    for pattern in patterns:
        matched.update(path for path in root.glob(pattern) if path.is_file())
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path not in matched:
            ignored[path.suffix.lower() or "(none)"] = ignored.get(path.suffix.lower() or "(none)", 0) + 1
    visible = [p for p in matched if not any(part.startswith(".") for part in p.relative_to(root).parts)]
    return sorted(visible, key=lambda p: p.relative_to(root).as_posix()), dict(sorted(ignored.items()))


def relative_name(path: Path, root: Path) -> str:
    """Posix path of ``path`` relative to the corpus root (the file name for a single file)."""
    return path.name if root.is_file() else path.relative_to(root).as_posix()


def parse_txt_article(raw: str) -> tuple[str, str, str]:
    """Split a scraped article into its date string, title and body.

    The first line is `` date YYYY-MM-DD <title…>``; the rest is the body. Without that header
    the date is ``""``, the first line (when short and followed by more text) is the title,
    and the body is the whole text.

    Parameters
    ----------
    raw : str
        Whole file content.

    Returns
    -------
    tuple of str
        ``(date, title, body)``.
    """
    first_line, _, body = raw.lstrip("\ufeff").partition("\n")
    match = TXT_HEADER.match(first_line)
    if match:
        return match.group(1), match.group(2).strip(), body.strip()
    title = first_line.strip() if body.strip() and len(first_line.split()) <= _MAX_TITLE_WORDS else ""
    return "", title, raw.lstrip("\ufeff").strip()


def split_front_matter(raw: str) -> tuple[dict, str]:
    """YAML front matter (between ``---`` lines) and the body; ``({}, raw)`` without front matter.

    Raises
    ------
    ValueError
        When the front matter is not a YAML mapping.

    Examples
    --------
    >>> split_front_matter("---\\ntitle: Hola\\ncategory: Mundo\\n---\\nCuerpo")
    ({'title': 'Hola', 'category': 'Mundo'}, 'Cuerpo')
    """
    match = FRONT_MATTER.match(raw.lstrip("\ufeff"))
    if not match:
        return {}, raw
    try:
        fields = yaml.load(match.group(1), Loader=_YAML_LOADER)
    except yaml.YAMLError as error:
        fields = plain_front_matter(match.group(1))
        if fields is None:
            mark = getattr(error, "problem_mark", None)
            where = f" (front-matter line {mark.line + 1})" if mark else ""
            raise ValueError(f"front matter is not valid YAML{where} nor plain 'field: value' lines") from None
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        raise ValueError("front matter is not a YAML mapping of field: value")
    return fields, raw.lstrip("\ufeff")[match.end():]


def plain_front_matter(block: str) -> dict | None:
    """Front matter read as plain ``field: value`` lines (quotes around a value dropped).

    The fallback for front matter that YAML refuses, e.g. an unclosed quote in a title;
    ``None`` when a line is not of that form.

    Examples
    --------
    >>> plain_front_matter('title: "Dijo: no, mañana\\nlocation: Local')
    {'title': 'Dijo: no, mañana', 'location': 'Local'}
    """
    fields = {}
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _PLAIN_FIELD.match(line)
        if not match:
            return None
        value = match.group(2).strip()
        for quote in "\"'":
            if value.startswith(quote):
                value = value[1:-1] if len(value) > 1 and value.endswith(quote) else value[1:]
        fields[match.group(1)] = value
    return fields


def _value(fields: dict, name: str | None):
    """A front-matter value as stored (``None`` when absent or empty)."""
    value = fields.get(name) if name else None
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None or value == "" else value


def read_text_folder(root: Path, files: list[Path], settings: CorpusSettings) -> Iterator[Record]:
    """One :class:`Record` per ``.txt`` or Markdown file.

    ``.md``/``.markdown`` files (and any file with front matter when ``corpus.format`` is
    ``markdown``) take title, id, source, date and the ``keep_columns`` from front-matter
    fields; ``.txt`` files take date and title from the `` date`` header line. The document id
    is the path relative to the corpus without its suffix unless ``corpus.columns.id`` names a
    front-matter field.

    Parameters
    ----------
    root : pathlib.Path
        Corpus folder (or single file).
    files : list of pathlib.Path
        Files to read, in order.
    settings : CorpusSettings
        The ``corpus`` config section (defaults filled in).
    """
    columns = settings.columns
    markdown = settings.format == "markdown"
    for path in files:
        relative = relative_name(path, root)
        doc_id = relative.rsplit(".", 1)[0] if "." in Path(relative).name else relative
        try:
            raw, encoding = read_file_text(path, settings.encoding)
        except UnreadableFile as problem:
            yield Record(relative, doc_id, reason=problem.reason, detail=problem.detail)
            continue
        if markdown or path.suffix.lower() in (".md", ".markdown"):
            try:
                fields, body = split_front_matter(raw)
            except ValueError as problem:
                yield Record(relative, doc_id, reason="malformed_front_matter", detail=str(problem))
                continue
            yield Record(
                relative, doc_id,
                doc_id=str(_value(fields, columns.get("id")) or doc_id),
                date_value=_value(fields, columns.get("date") or settings.date_field),
                title=str(_value(fields, columns.get("title", "title")) or ""),
                text=body,
                source=str(_value(fields, columns.get("source")) or relative),
                extra={name: _value(fields, field_name) for name, field_name in settings.keep},
                encoding=encoding,
            )
        else:
            date_value, title, body = parse_txt_article(raw)
            yield Record(relative, doc_id, doc_id=doc_id, date_value=date_value or None, title=title, text=body,
                         source=relative, encoding=encoding)
