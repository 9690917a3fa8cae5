"""The ``corpus`` config section as typed settings, and where the corpus files are.

The section comes validated and with every default of ``workflow/schemas/config.schema.yaml``
filled in (by the Snakefile, or by :func:`scripts.settings.section` in tests and notebooks);
:class:`CorpusSettings` only adds what is derived from it.

Example
-------
>>> from scripts.settings import section
>>> settings = CorpusSettings.from_config(section("corpus", {"path": "articulos.csv",
...                                                          "keep_columns": {"seccion": "category"}}))
>>> settings.keep, settings.segment
((('seccion', 'category'),), 'none')
>>> detect_format(Path("notas.jsonl"))
'jsonl'
"""


import os
import re
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

from scripts.logs import UserInputError
CORE_COLUMNS = ("doc_id", "date", "title", "text", "source", "parent_id", "speaker")
SUFFIX_FORMATS = {
    ".txt": "txt", ".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
}
FORMAT_PATTERNS = {
    fmt: [f"**/*{suffix}" for suffix, name in SUFFIX_FORMATS.items() if name == fmt]
    for fmt in set(SUFFIX_FORMATS.values())
}
#: The suffixes of each format; a file is of the format whatever the letter case (``.TXT``).
FORMAT_SUFFIXES = {fmt: tuple(suffix for suffix, name in SUFFIX_FORMATS.items() if name == fmt)
                   for fmt in set(SUFFIX_FORMATS.values())}


@dataclass(frozen=True)
class CorpusSettings:
    """The ``corpus`` config section (every key, as in the schema) and what is derived from it.

    Nested sections (``columns``, ``date_range``, ``duplicates``, ``language``) stay mappings.
    ``keep`` lists ``(output column, source column)`` pairs of ``keep_columns``;
    ``date_pattern`` is ``date_from_path`` compiled (or ``None``).
    """

    path: str
    format: str
    include: list
    columns: dict
    keep_columns: list | dict
    encoding: str
    delimiter: str | None
    date_format: str | None
    date_field: str
    date_from_path: str | None
    date_from_text: int
    default_date: str | None
    date_range: dict
    min_words: int
    title_in_text: bool
    segment: str
    window_words: int
    duplicates: dict
    language: dict
    keep: tuple
    date_pattern: re.Pattern | None

    @classmethod
    def from_config(cls, corpus: dict) -> "CorpusSettings":
        """Settings from the validated, filled-in ``corpus`` section.

        Raises
        ------
        scripts.logs.UserInputError
            On a kept column that would overwrite a core column, or a bad ``date_from_path``.
        """
        keep_columns = corpus["keep_columns"]
        keep = tuple(keep_columns.items()) if isinstance(keep_columns, dict) else tuple((name, name) for name in keep_columns)
        for output_name, _ in keep:
            if output_name in CORE_COLUMNS:
                raise UserInputError(f"corpus.keep_columns: '{output_name}' is a core column; keep it under another name"
                                     f" (keep_columns: {{{output_name}_original: {output_name}}})")
        date_pattern = None
        if corpus["date_from_path"]:
            try:
                date_pattern = re.compile(corpus["date_from_path"])
            except re.error as error:
                raise UserInputError(f"corpus.date_from_path: not a valid regular expression ({error})") from None
        names = {field.name for field in fields(cls)} - {"keep", "date_pattern"}
        return cls(**{name: corpus[name] for name in names}, keep=keep, date_pattern=date_pattern)


def detect_format(path: Path) -> str:
    """Corpus format from a file's suffix, or from the most common known suffix in a folder.

    Raises
    ------
    stage_logging.UserInputError
        When nothing readable is found.
    """
    if not path.is_dir():
        fmt = SUFFIX_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise UserInputError(f"corpus.format: cannot tell the format of {path.name} from its suffix;"
                                 f" set corpus.format to one of {', '.join(sorted(FORMAT_PATTERNS))}")
        return fmt
    counts = Counter(
        SUFFIX_FORMATS[Path(name).suffix.lower()] for folder, _, names in os.walk(path) for name in names
        if Path(name).suffix.lower() in SUFFIX_FORMATS and not name.startswith(".") and os.path.isfile(os.path.join(folder, name))
    )
    if not counts:
        raise UserInputError(f"corpus.path: no corpus files in {path} (looked for {', '.join(sorted(SUFFIX_FORMATS))});"
                             " check corpus.path or set corpus.format and corpus.include")
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def corpus_files(root: Path, settings: CorpusSettings) -> list[str]:
    """Glob patterns of the files to read: ``corpus.include`` or the format's suffixes."""
    return list(settings.include) or FORMAT_PATTERNS[settings.format]
