"""simplemma's Spanish dictionary as a ``marshal`` file the preprocess stage loads faster.

simplemma ships its dictionaries front-coded and lzma-compressed; decoding the Spanish one (823,840
entries) takes about 0.75 CPU-s of pure Python in every process that lemmatizes. The workflow's
rule ``cache_lemma_table`` decodes it once into ``results/cache/lemmas_es.marshal`` (the same
``bytes → bytes`` dict, written with :mod:`marshal`), which loads in about 0.3 s; the rule reruns
when simplemma's or Python's version changes (its ``params``). Lemmas, and so every output, are
those of simplemma's own dictionary: only the loading differs.

Example
-------
>>> import tempfile
>>> from simplemma import Lemmatizer
>>> from simplemma.strategies import DefaultStrategy
>>> path = Path(tempfile.mkdtemp()) / "lemmas_es.marshal"
>>> write_lemma_table(path) > 800_000
True
>>> Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=LemmaTableFactory(path))).lemmatize("operativos", "es")
'operativo'
"""

import logging
import marshal
import sys
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from simplemma.strategies.dictionaries.dictionary_factory import (
    CachingDictionaryFactory,
    MappingStrToByteString,
    _load_dictionary_from_disk,
)

logger = logging.getLogger(__name__)

LANGUAGE = "es"


def table_version() -> str:
    """What the file depends on: simplemma's version and Python's (``marshal``'s format), e.g. ``simplemma 2.0.0, Python 3.11``."""
    return f"simplemma {version('simplemma')}, Python {sys.version_info.major}.{sys.version_info.minor}"


def write_lemma_table(path: Path) -> int:
    """Decode simplemma's Spanish dictionary and write it to ``path`` with :mod:`marshal`; return its number of entries."""
    table = _load_dictionary_from_disk(LANGUAGE)
    Path(path).write_bytes(marshal.dumps(table))
    return len(table)


class LemmaTableFactory(CachingDictionaryFactory):
    """A simplemma dictionary factory reading the Spanish dictionary from a file of :func:`write_lemma_table`.

    Parameters
    ----------
    path : pathlib.Path
        The ``marshal`` file; read at the first lookup.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        if lang != LANGUAGE:
            raise ValueError(f"{self.path} holds simplemma's {LANGUAGE!r} dictionary, not {lang!r}")
        table = marshal.loads(self.path.read_bytes())  # one read: marshal.load on a file reads in small pieces
        return MappingStrToByteString(table)


def run_cache_lemma_table(smk) -> None:
    """Snakemake entry point (rule ``cache_lemma_table``)."""
    n_entries = write_lemma_table(Path(smk.output.table))
    logger.info("%s: %d entries of simplemma's %r dictionary (%s)", smk.output.table, n_entries, LANGUAGE,
                smk.params.version)
