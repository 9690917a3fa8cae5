"""The ``monitor`` config section as typed settings, and the corpus settings of the new documents.

Example
-------
>>> from scripts.settings import section
>>> corpus = section("corpus", {"path": "a.csv", "date_range": {"end": "2024-12-31"}})
>>> merged = monitor_corpus(corpus, section("monitor", {"path": "new/", "corpus": {"format": "txt"}}))
>>> merged["path"], merged["format"], merged["date_range"]
('new/', 'txt', {'start': None, 'end': None})
"""

from dataclasses import dataclass

from scripts.logs import UserInputError

#: corpus keys holding a mapping: a ``monitor.corpus`` entry is laid over the corpus's key by key
NESTED_KEYS = ("columns", "duplicates", "language")


@dataclass(frozen=True)
class MonitorSettings:
    """The numbers of the ``monitor`` section (validated, every schema default filled in)."""

    max_z: float
    rising_terms: int
    min_count: int
    smoothing: float

    @classmethod
    def from_config(cls, monitor: dict) -> "MonitorSettings":
        """Settings from the filled-in ``monitor`` section.

        >>> from scripts.settings import section
        >>> MonitorSettings.from_config(section("monitor")).max_z
        3.0
        """
        return cls(max_z=float(monitor["max_z"]), rising_terms=int(monitor["rising_terms"]),
                   min_count=int(monitor["min_count"]), smoothing=float(monitor["smoothing"]))


def monitor_corpus(corpus: dict, monitor: dict) -> dict:
    """The ``corpus`` section that reads the new documents: ``monitor.path``, ``monitor.corpus`` over the fit's.

    Nested mappings (``columns``, ``duplicates``, ``language``) are merged key by key; ``date_range``
    is open unless ``monitor.corpus.date_range`` sets it (the fit's range ends where new documents begin).

    Raises
    ------
    scripts.logs.UserInputError
        When ``monitor.path`` is not set.
    """
    if not monitor.get("path"):
        raise UserInputError("monitor.path is not set: the monitor target needs the new documents, e.g. "
                             "snakemake monitor --config 'monitor={path: new_articles/}'")
    overrides = dict(monitor.get("corpus") or {})
    merged = {**corpus, **overrides, "path": monitor["path"]}
    for key in NESTED_KEYS:
        merged[key] = {**corpus.get(key, {}), **overrides.get(key, {})}
    merged["date_range"] = {"start": None, "end": None, **overrides.get("date_range", {})}
    return merged
