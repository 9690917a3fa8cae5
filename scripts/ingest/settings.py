"""The ``corpus`` config section with defaults, and where the corpus files are.

Defaults here mirror ``workflow/schemas/config.schema.yaml`` so that the ingest functions can
be called from Python (tests, notebooks) with a partial section.

Example
-------
>>> from scripts.ingest.settings import resolve_settings, detect_format
>>> settings = resolve_settings({"path": "articulos.csv", "keep_columns": {"seccion": "category"}})
>>> settings["keep"], settings["segment"]
([('seccion', 'category')], 'none')
>>> detect_format(Path("notas.jsonl"))
'jsonl'
"""


import copy
import re
from collections import Counter
from pathlib import Path

from scripts.logs import UserInputError

DEFAULTS = {
    "format": "auto",
    "columns": {},
    "keep_columns": [],
    "include": [],
    "encoding": "auto",
    "delimiter": None,
    "date_format": None,
    "date_field": "date",
    "date_from_path": None,
    "date_from_text": 0,
    "default_date": None,
    "date_range": {"start": None, "end": None},
    "min_words": 1,
    "title_in_text": False,
    "segment": "none",
    "window_words": 200,
    "duplicates": {"exact": True, "near": True, "threshold": 0.9, "num_perm": 64, "shingle_words": 5, "seed": 1},
    "language": {"check": True, "keep": ["es"], "min_words": 20, "min_confidence": 0.9},
}
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


def resolve_settings(corpus: dict) -> dict:
    """The ``corpus`` section with every default filled in and ``keep_columns`` as pairs.

    Parameters
    ----------
    corpus : dict
        The ``corpus`` config section (at least ``path``).

    Returns
    -------
    dict
        A new dict; ``settings["keep"]`` lists ``(output column, source column)`` pairs.

    Raises
    ------
    stage_logging.UserInputError
        On a kept column that would overwrite a core column, or a bad ``date_from_path``.
    """
    settings = copy.deepcopy(DEFAULTS)
    for key, value in (corpus or {}).items():
        if isinstance(value, dict) and isinstance(settings.get(key), dict) and key != "columns":
            settings[key].update({k: v for k, v in value.items() if v is not None or k in ("start", "end")})
        elif value is not None or key in ("delimiter", "date_format", "date_from_path", "default_date"):
            settings[key] = value
    keep = settings["keep_columns"]
    settings["keep"] = list(keep.items()) if isinstance(keep, dict) else [(name, name) for name in keep]
    for output_name, _ in settings["keep"]:
        if output_name in CORE_COLUMNS:
            raise UserInputError(f"corpus.keep_columns: '{output_name}' is a core column; keep it under another name"
                                 f" (keep_columns: {{{output_name}_original: {output_name}}})")
    if settings["date_from_path"]:
        try:
            settings["date_pattern"] = re.compile(settings["date_from_path"])
        except re.error as error:
            raise UserInputError(f"corpus.date_from_path: not a valid regular expression ({error})") from None
    else:
        settings["date_pattern"] = None
    return settings


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
        SUFFIX_FORMATS[p.suffix.lower()] for p in path.rglob("*")
        if p.suffix.lower() in SUFFIX_FORMATS and p.is_file() and not p.name.startswith(".")
    )
    if not counts:
        raise UserInputError(f"corpus.path: no corpus files in {path} (looked for {', '.join(sorted(SUFFIX_FORMATS))});"
                             " check corpus.path or set corpus.format and corpus.include")
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def corpus_files(root: Path, settings: dict) -> list[str]:
    """Glob patterns of the files to read: ``corpus.include`` or the format's suffixes."""
    return list(settings["include"]) or FORMAT_PATTERNS[settings["format"]]
