"""Spanish text normalisation: tokenize, lemmatize or stem, drop stopwords.

The same :class:`Normaliser` turns corpus documents and theme seed words into tokens, so a seed
word meets its inflected forms in the corpus.

Example
-------
>>> norm = Normaliser(stopwords={"el", "de"})
>>> norm.tokens("Los operativos de seguridad")
['operativo', 'seguridad']
"""


import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import simplemma
from nltk.stem.snowball import SpanishStemmer
from nltk.tokenize import RegexpTokenizer

#: Letters of Spanish words, accented vowels, ñ and ü; internal hyphens and underscores kept.
WORD_PATTERN = r"[a-záéíóúüñ]+(?:[-_][a-záéíóúüñ]+)*"
WORD_OR_NUMBER_PATTERN = r"[a-záéíóúüñ0-9]+(?:[-_][a-záéíóúüñ0-9]+)*"

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
STOPWORD_FILES = ("stopwords_es.txt", "news_stopwords_es.txt")


def read_word_list(path: Path) -> set[str]:
    """Words of a one-per-line list, ``#`` comments and blank lines skipped, NFC lowercased."""
    words = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(unicodedata.normalize("NFC", word.lower()))
    return words


def default_stopwords() -> set[str]:
    """The versioned function-word and news-boilerplate lists shipped in ``resources/``."""
    words: set[str] = set()
    for name in STOPWORD_FILES:
        words |= read_word_list(RESOURCES / name)
    return words


def strip_accents(word: str) -> str:
    """Remove combining accents but keep ñ (``acción`` → ``accion``, ``niño`` stays)."""
    decomposed = unicodedata.normalize("NFD", word.replace("ñ", "\0"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", bare).replace("\0", "ñ")


class Normaliser:
    """Tokenize and normalise Spanish text.

    Parameters
    ----------
    method : {"lemmatize", "stem", "none"}
        ``lemmatize`` maps inflected forms to simplemma lemmas (``operativos`` → ``operativo``,
        ``presiona`` → ``presionar``); ``stem`` applies nltk's Snowball Spanish stemmer (more
        aggressive, less readable); ``none`` keeps surface forms.
    stopwords : set of str, optional
        Words removed after normalisation (they are normalised the same way first).
    min_token_len : int
        Shorter tokens are dropped.
    keep_numbers : bool
        Keep tokens made of digits.
    accents : bool
        When false, accents are stripped after normalisation (ñ is kept).
    """

    def __init__(
        self,
        method: str = "lemmatize",
        stopwords: set[str] | None = None,
        min_token_len: int = 3,
        keep_numbers: bool = False,
        accents: bool = True,
    ) -> None:
        if method not in ("lemmatize", "stem", "none"):
            raise ValueError(f"preprocess.normalize must be lemmatize, stem or none, not {method!r}")
        self.method = method
        self.min_token_len = min_token_len
        self.keep_numbers = keep_numbers
        self.accents = accents
        self._tokenizer = RegexpTokenizer(WORD_OR_NUMBER_PATTERN if keep_numbers else WORD_PATTERN)
        self._stemmer = SpanishStemmer() if method == "stem" else None
        self._normalise_word = lru_cache(maxsize=500_000)(self._normalise_word_uncached)
        raw_stopwords = stopwords if stopwords is not None else default_stopwords()
        self.stopwords = set(raw_stopwords) | {self._normalise_word(w) for w in raw_stopwords}

    def _normalise_word_uncached(self, word: str) -> str:
        if "_" in word:  # a joined phrase or alias: already canonical
            normalised = word
        elif self.method == "lemmatize":
            normalised = simplemma.lemmatize(word, lang="es").lower()
        elif self.method == "stem":
            normalised = self._stemmer.stem(word)
        else:
            normalised = word
        return normalised if self.accents else strip_accents(normalised)

    def words(self, text: str) -> list[str]:
        """Lowercased word tokens of ``text`` before normalisation."""
        return self._tokenizer.tokenize(unicodedata.normalize("NFC", text).lower())

    def tokens(self, text: str) -> list[str]:
        """Normalised content tokens of ``text``: stopwords, short and numeric tokens dropped."""
        kept = []
        for word in self.words(text):
            if word.isdigit() and not self.keep_numbers:
                continue
            token = self._normalise_word(word)
            if len(token) < self.min_token_len or token in self.stopwords or word in self.stopwords:
                continue
            kept.append(token)
        return kept
