"""simplemma's Spanish dictionary as a plain word-lemma table the preprocess stage loads faster.

simplemma ships its dictionaries front-coded and lzma-compressed; decoding the Spanish one (823,840
entries) takes about 0.75 CPU-s of pure Python in every process that lemmatizes. The workflow's
rule ``cache_lemma_table`` decodes it once into ``results/cache/lemmas_es.tsv`` (one
``word<TAB>lemma`` line per entry, UTF-8, simplemma's order), which loads in about 0.35 s: one
split of the file and one ``dict``, no code run from the file (the project unpickles nothing).
The rule reruns when simplemma's version changes (its ``params``). Lemmas, and so every output,
are those of simplemma's own dictionary: only the loading differs.

Example
-------
>>> import tempfile
>>> from simplemma import Lemmatizer
>>> from simplemma.strategies import DefaultStrategy
>>> path = Path(tempfile.mkdtemp()) / "lemmas_es.tsv"
>>> write_lemma_table(path) > 800_000
True
>>> Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=LemmaTableFactory(path))).lemmatize("operativos", "es")
'operativo'
"""

import logging
from collections.abc import Mapping
from pathlib import Path

from simplemma.strategies.dictionaries.dictionary_factory import (
    CachingDictionaryFactory,
    MappingStrToByteString,
    _load_dictionary_from_disk,
)

logger = logging.getLogger(__name__)

LANGUAGE = "es"


def write_lemma_table(path: Path) -> int:
    """Decode simplemma's Spanish dictionary and write it to ``path`` as ``word<TAB>lemma`` lines; return its entries.

    Raises
    ------
    ValueError
        If a word or lemma holds a tab or a line break (none does in simplemma 2.0.0).
    """
    table = _load_dictionary_from_disk(LANGUAGE)
    for word, lemma in table.items():
        if b"\t" in word + lemma or b"\n" in word + lemma:
            raise ValueError(f"simplemma's {LANGUAGE!r} entry {word!r} → {lemma!r} cannot be a line of {path}")
    Path(path).write_bytes(b"\n".join(word + b"\t" + lemma for word, lemma in table.items()))
    return len(table)


def read_lemma_table(path: Path) -> dict[bytes, bytes]:
    """The ``bytes → bytes`` dictionary of a file of :func:`write_lemma_table`, as simplemma keeps it.

    Raises
    ------
    ValueError
        If a line is not ``word<TAB>lemma``.
    """
    fields = Path(path).read_bytes().replace(b"\t", b"\n").split(b"\n")
    if len(fields) % 2:
        raise ValueError(f"{path}: not a table of word<TAB>lemma lines (rule cache_lemma_table writes it)")
    pairs = iter(fields)
    return dict(zip(pairs, pairs))


class LemmaTableFactory(CachingDictionaryFactory):
    """A simplemma dictionary factory reading the Spanish dictionary from a file of :func:`write_lemma_table`.

    Parameters
    ----------
    path : pathlib.Path
        The table; read at the first lookup.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        if lang != LANGUAGE:
            raise ValueError(f"{self.path} holds simplemma's {LANGUAGE!r} dictionary, not {lang!r}")
        return MappingStrToByteString(read_lemma_table(self.path))


def run_cache_lemma_table(smk) -> None:
    """Snakemake entry point (rule ``cache_lemma_table``)."""
    n_entries = write_lemma_table(Path(smk.output.table))
    logger.info("%s: %d entries of simplemma's %r dictionary (%s)", smk.output.table, n_entries, LANGUAGE,
                smk.params.version)
