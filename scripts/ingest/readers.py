"""Readers for corpora stored as folders of files: ``.txt`` articles and front-matter Markdown.

Every reader yields one :class:`Record` per document it finds, in sorted path order, and never
stops on a bad file: a file that cannot be decoded (see :mod:`decoding`) becomes a record with a
``reason``. Tables
(CSV, TSV, JSONL, Parquet, Excel) are read by :mod:`tables`.

:func:`list_corpus` says which files are read: without ``corpus.include``, every file whose suffix
is one of the format's, in any case (``.TXT``, ``.Txt``); hidden files and folders never; symbolic
links only when they resolve inside the corpus folder (the others are listed, to be rejected
``symlink_outside_corpus``). File names are stored as text: bytes that are not UTF-8 are written
``\\xNN`` (:func:`safe_name`).

Example
-------
>>> from scripts.ingest.readers import parse_txt_article
>>> parse_txt_article(" date 2024-02-03 Título de prueba\\nCuerpo del artículo.")
('2024-02-03', 'Título de prueba', 'Cuerpo del artículo.')
"""


import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml
from scripts.ingest.decoding import UnreadableFile, read_file_text
from scripts.ingest.settings import CorpusSettings
from scripts.logs import UserInputError
from scripts.settings.strict_yaml import YAMLInputError, load_bounded

logger = logging.getLogger(__name__)

TXT_HEADER = re.compile(r"^\s*date\s+(\S+)[ \t]*(.*)$")
FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_TITLE_WORDS = 40
_PLAIN_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$")
#: Largest front-matter value once YAML aliases are expanded (characters); a whole article is smaller.
FRONT_MATTER_MAX_CHARS = 200_000


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


@dataclass
class CorpusListing:
    """The files of a corpus folder: those to read, and the others with why they are not read.

    ``files`` are read; ``outside`` are symbolic links matched by the patterns that lead out of the
    corpus folder (rejected ``symlink_outside_corpus``, never opened); ``ignored`` counts the other
    visible files by suffix and ``skipped`` lists them as ``(name, reason)``.
    """

    files: list[Path]
    outside: list[Path] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # of ``files``, relative posix paths as the file system gives them


def safe_name(text: str) -> str:
    """A file name as text that any writer accepts: undecodable bytes become ``\\xNN``.

    Python decodes a file name that is not UTF-8 with *surrogate escapes*, which pyarrow, JSON
    and UTF-8 files refuse; this writes those bytes as backslash escapes instead.

    >>> safe_name(os.fsdecode(b"caf\\xe9.txt")), safe_name("año.txt")
    ('caf\\\\xe9.txt', 'año.txt')
    """
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _suffix(name: str) -> str:
    """``Path(name).suffix`` without building a path: ``.txt``, or ``""``."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _visible_entries(root: Path) -> Iterator[tuple[str, os.DirEntry]]:
    """``(relative posix path, entry)`` of every non-folder under ``root`` outside hidden files and folders.

    Symbolic links to folders are not walked into. One ``scandir`` per folder and no ``stat`` per
    file, so listing a 100k-file corpus is fast.
    """
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, f"{prefix}{entry.name}/"))
            else:
                yield prefix + entry.name, entry


def list_corpus(root: Path, patterns: list[str] | None, suffixes: tuple[str, ...] = ()) -> CorpusListing:
    """The files of a corpus file or folder, sorted by relative path, and what is left out.

    Parameters
    ----------
    root : pathlib.Path
        The corpus file or folder (a file is the only file).
    patterns : list of str or None
        ``corpus.include`` glob patterns, relative to ``root`` (case-sensitive, as in a shell);
        ``None`` or empty: every file whose suffix is in ``suffixes``, in any letter case.
    suffixes : tuple of str
        Lower-case suffixes of the format, used without patterns.

    Returns
    -------
    CorpusListing

    Raises
    ------
    scripts.logs.UserInputError
        On an absolute pattern or one that goes up out of the folder (the config check refuses
        them first).
    """
    if root.is_file():
        return CorpusListing([root], names=[root.name])
    matched = set()
    for pattern in patterns or []:
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            raise UserInputError(f"corpus.include: {pattern[:80]!r} must be a pattern relative to corpus.path, inside it")
        matched.update(path.relative_to(root).as_posix() for path in root.glob(pattern) if path.is_file() or path.is_symlink())
    real_root, files, outside, ignored, skipped = root.resolve(), [], [], {}, []
    walked = set()
    for relative, entry in _visible_entries(root):
        walked.add(relative)
        wanted = relative in matched if patterns else _suffix(entry.name).lower() in suffixes
        if wanted and entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(real_root):
            outside.append(relative)
        elif wanted and entry.is_file():
            files.append(relative)
        elif entry.is_file():
            suffix = _suffix(entry.name).lower() or "(none)"
            ignored[suffix] = ignored.get(suffix, 0) + 1
            skipped.append((safe_name(relative), "not_in_include" if patterns else "other_format"))
    for relative in sorted(matched - walked):  # reached through a symlinked folder that a pattern names
        if not any(part.startswith(".") for part in relative.split("/")):
            inside = (root / relative).resolve().is_relative_to(real_root)
            (files if inside else outside).append(relative)
    files.sort()
    outside.sort()
    return CorpusListing([root / name for name in files], [root / name for name in outside], dict(sorted(ignored.items())),
                         sorted(skipped), names=files)


def relative_name(path: Path, root: Path) -> str:
    """Posix path of ``path`` relative to the corpus root (the file name for a single file), as safe text."""
    return safe_name(path.name if root.is_file() else path.relative_to(root).as_posix())


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
    >>> split_front_matter("---\\na: &a [x, x, x, x]\\nb: &b [*a, *a, *a, *a]\\nc: [*b, *b, *b, *b]\\n---\\n")[0]["c"][0][0]
    ['x', 'x', 'x', 'x']
    """
    match = FRONT_MATTER.match(raw.lstrip("\ufeff"))
    if not match:
        return {}, raw
    try:
        fields = _load_front_matter(match.group(1))
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


def _load_front_matter(block: str):
    """The front-matter YAML; with anchors or aliases, read within :data:`FRONT_MATTER_MAX_CHARS`.

    Raises
    ------
    ValueError
        When aliases expand beyond the budget or refer to themselves.
    yaml.YAMLError
        When the block is not YAML (the caller then tries plain ``field: value`` lines).
    """
    if "*" not in block and "&" not in block:
        return yaml.load(block, Loader=_YAML_LOADER)
    try:
        return load_bounded(block, "front matter", max_chars=FRONT_MATTER_MAX_CHARS, unique_keys=False)
    except YAMLInputError as error:
        if error.kind == "size":
            raise ValueError(str(error)) from None
        raise yaml.YAMLError(str(error)) from None


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
        if "\r" in raw:  # Windows (CR LF) and old Mac (CR only) line ends
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
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
