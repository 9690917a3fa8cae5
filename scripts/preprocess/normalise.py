"""Spanish text normalisation: blank markup, merge aliases, tokenize, lemmatize or stem, drop stopwords.

The same :class:`Normaliser` turns corpus documents and theme seed words into tokens, so a seed
word meets its inflected forms in the corpus. Each distinct lowercase word is normalised once
(a per-process cache), so the cost per running word is one dictionary lookup.

Example
-------
>>> norm = Normaliser("lemmatize", 3, False, True, frozenset({"de"}), stopwords={"el", "de"})
>>> norm.tokens("Los operativos de seguridad")
['operativo', 'seguridad']
"""


import re
import unicodedata
from itertools import islice
from pathlib import Path

import simplemma
from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy

from scripts.preprocess.aliases import AliasReplacer
from scripts.preprocess.lemma_table import LemmaTableFactory
from scripts.text.accents import fold_accents
from scripts.text.markup import blank_markup

#: Words: Latin letters (accented vowels, ñ, ü, and the other Latin-1/Extended letters of
#: names), internal hyphens, apostrophes and underscores (joined aliases) kept. Numbers and
#: sentence punctuation are matched too: they end a run of adjacent words (phrases never cross
#: them). An explicit Latin class is faster in bulk than the Unicode ``[^\W\d_]``.
LETTERS = "[a-zA-ZÀ-ÖØ-öø-ɏ]"
WORD_PATTERN = rf"{LETTERS}+(?:[-_'’]{LETTERS}+)*"
NUMBER_PATTERN = r"\d+(?:[.,:]\d+)*(?:[-_]?{LETTERS}+)*".replace("{LETTERS}", LETTERS)
BREAK_PATTERN = r"[.,;:!?¡¿()\[\]{}\"“”«»…|/]"
TOKEN_PATTERN = f"{WORD_PATTERN}|{NUMBER_PATTERN}|{BREAK_PATTERN}"

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
STOPWORD_FILES = ("stopwords_es.txt", "news_stopwords_es.txt")
#: Function words that may sit inside a phrase ("secretaría de salud") without starting or ending it.

BREAK = ""  # marks a removed word or punctuation in a token stream: phrases do not cross it


def _spanish_stemmer():
    """nltk's Snowball Spanish stemmer, imported only when ``normalize: stem`` asks for it."""
    from nltk.stem.snowball import SpanishStemmer

    return SpanishStemmer()


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


class _WordCache(dict):
    """``word → normal form`` (or :data:`BREAK`), computed on first use."""

    def __init__(self, compute) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, word: str) -> str:
        value = self[word] = self._compute(word)
        return value


class Normaliser:
    """Clean, tokenize and normalise Spanish text.

    Parameters
    ----------
    method : {"lemmatize", "stem", "none"}
        ``lemmatize`` maps inflected forms to simplemma lemmas (``operativos`` → ``operativo``,
        ``presiona`` → ``presionar``); ``stem`` applies nltk's Snowball Spanish stemmer (more
        aggressive, less readable); ``none`` keeps surface forms.
    stopwords : set of str, optional
        Removed after normalisation (each is normalised the same way first, so every inflected
        form of a listed lemma goes). Default: the lists in ``resources/``.
    min_token_len : int
        Shorter tokens are dropped.
    keep_numbers : bool
        Keep tokens made of digits (``2024``, ``t-mec`` is a word anyway).
    accents : bool
        When false, accents are folded after normalisation (:func:`scripts.text.accents.fold_accents`:
        ñ is kept).
    aliases : dict of str to list of str, optional
        Canonical token → spellings, replaced in the lowercased text before tokenization.
    connector_words : set of str
        Stopwords kept in :meth:`stream` so that a phrase may contain them.
    load_now : bool
        Load simplemma's Spanish dictionary (about 1 s) in the constructor; when false, at the
        first word lemmatized or at :meth:`load_dictionary` (tokenizing does not need it).
    lemma_table : pathlib.Path, optional
        simplemma's Spanish dictionary as written by :func:`scripts.preprocess.lemma_table.write_lemma_table`
        (the same lemmas, loaded in about 0.35 s instead of 0.75 s); default: simplemma's own file.
    """

    def __init__(
        self,
        method: str,
        min_token_len: int,
        keep_numbers: bool,
        accents: bool,
        connector_words: frozenset[str],
        stopwords: set[str] | None = None,
        aliases: dict[str, list[str]] | None = None,
        load_now: bool = True,
        lemma_table: Path | None = None,
    ) -> None:
        self.method = method
        self.min_token_len = min_token_len
        self.keep_numbers = keep_numbers
        self.accents = accents
        # nltk's RegexpTokenizer(TOKEN_PATTERN) gives the same tokens: the pattern has no groups
        # and no empty match; stdlib re is faster in bulk and spares the job nltk's import
        self._findall = re.compile(TOKEN_PATTERN).findall
        self.aliases = AliasReplacer(aliases or {}, self._findall)
        self._word = re.compile(WORD_PATTERN)
        self._stemmer = _spanish_stemmer() if method == "stem" else None
        if lemma_table is None:  # simplemma's shared default lemmatizer and dictionary
            lemmatize = simplemma.lemmatize
            dictionary_only = Lemmatizer(lemmatization_strategy=DictionaryLookupStrategy())
        else:  # the same strategies as simplemma's defaults, reading the dictionary from lemma_table
            factory = LemmaTableFactory(lemma_table)
            lemmatize = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory)).lemmatize
            dictionary_only = Lemmatizer(lemmatization_strategy=DictionaryLookupStrategy(factory))
        self._lemma_of = _WordCache(lambda word: lemmatize(word, lang="es").lower())
        if load_now:
            self.load_dictionary()
        self._name_lemma_of = _WordCache(lambda word: dictionary_only.lemmatize(word, lang="es").lower())
        self.stopwords = frozenset(
            unicodedata.normalize("NFC", w.lower()) for w in (stopwords if stopwords is not None else default_stopwords())
        )
        self.connector_words = frozenset(connector_words) & self.stopwords
        self._stream_of = _WordCache(self._stream_form)
        self._name_of = _WordCache(self._name_form)
        self.knows = self._stream_of.__contains__  # whether a raw token's stream form is cached

    def load_dictionary(self) -> None:
        """Load simplemma's Spanish dictionary now (e.g. before worker processes fork, so they share it)."""
        self._lemma_of["casa"]

    def stream_form(self, token: str) -> str:
        """Normal form of a raw token in a stream (cached): its lemma, a connector word or :data:`BREAK`.

        A capitalised token gets its dictionary-only lemma here; the corpus-level name decision
        (:mod:`scripts.preprocess.names`) may replace it by :meth:`name_form` or by the lowercase
        word's form.
        """
        return self._stream_of[token]

    def name_form(self, word: str) -> str:
        """Form of a proper name: the lowercased surface word, not lemmatised (or :data:`BREAK`).

        It goes like any word when it or its lemma is a stopword, or is too short.

        >>> norm = Normaliser("lemmatize", 3, False, True, frozenset(), stopwords={"de"})
        >>> norm.name_form("Chivas"), norm.stream_form("chivas")
        ('chivas', 'chivar')
        """
        return self._name_of[word]

    def _name_form(self, word: str) -> str:
        word = word.lower()
        if word in self.aliases.canonical_tokens or word in self.connector_words or not self._word.fullmatch(word):
            return self._stream_of[word]
        if word in self.stopwords or self._name_lemma_of[word] in self.stopwords:
            return BREAK
        token = word if self.accents else fold_accents(word)
        return token if len(token) >= self.min_token_len else BREAK

    def _stream_form(self, word: str) -> str:
        """What a raw token becomes in a stream: its normal form, a connector word, or BREAK.

        A word goes when it or its simplemma lemma is a stopword (whatever ``method`` is), so the
        lemma lists in ``resources/`` remove every inflected form (``dijo`` → ``decir``).
        """
        capitalised = word[:1].isupper()
        word = word.lower()
        if word in self.connector_words:
            return word
        if word in self.aliases.canonical_tokens:  # never lemmatized; still removable as a stopword
            if word in self.stopwords:
                return BREAK
            return word if self.accents else fold_accents(word)
        if not self._word.fullmatch(word):  # punctuation or a number
            keep = self.keep_numbers and word[0].isdigit() and len(word) >= self.min_token_len
            return word if keep else BREAK
        if "_" in word:
            lemma = word
        elif capitalised:  # likely a name: dictionary lemmas only (Morelos stays, not "morar")
            lemma = self._name_lemma_of[word]
        else:
            lemma = self._lemma_of[word]
        if word in self.stopwords or lemma in self.stopwords:
            return BREAK
        if self.method == "lemmatize":
            token = lemma
        elif self.method == "stem":
            token = word if "_" in word else self._stemmer.stem(word)
        else:
            token = word
        if not self.accents:
            token = fold_accents(token)
        return token if len(token) >= self.min_token_len else BREAK

    def remember_forms(self, pairs: list[tuple[str, str]]) -> None:
        """Add ``(raw token, stream form)`` pairs computed by another process with the same settings."""
        dict.update(self._stream_of, pairs)

    @property
    def n_known_names(self) -> int:
        """Number of words whose :meth:`name_form` is cached (see :meth:`name_forms_since`)."""
        return len(self._name_of)

    def name_forms_since(self, start: int) -> list[tuple[str, str]]:
        """``(word, name form)`` pairs cached after the first ``start`` ones, in order, for another process.

        >>> worker = Normaliser("lemmatize", 3, False, True, frozenset(), stopwords={"de"})
        >>> start = worker.n_known_names
        >>> worker.name_form("chivas")
        'chivas'
        >>> parent = Normaliser("lemmatize", 3, False, True, frozenset(), stopwords={"de"})
        >>> parent.remember_name_forms(worker.name_forms_since(start))
        >>> parent.n_known_names - start, parent.name_form("chivas")
        (1, 'chivas')
        """
        return list(islice(self._name_of.items(), start, None))

    def remember_name_forms(self, pairs: list[tuple[str, str]]) -> None:
        """Add ``(word, name form)`` pairs computed by another process with the same settings."""
        dict.update(self._name_of, pairs)

    def clean(self, text: str) -> str:
        """NFC text with markup, URLs and e-mail addresses blanked (:func:`scripts.text.markup.blank_markup`); case kept."""
        return blank_markup(unicodedata.normalize("NFC", text))

    def words(self, text: str) -> list[str]:
        """Raw tokens of ``text`` (words, numbers, punctuation) after :meth:`clean`, aliases merged.

        Tokenization is nltk's ``RegexpTokenizer`` with :data:`TOKEN_PATTERN` (run through
        stdlib ``re`` for speed: same pattern, same tokens).
        """
        return self.aliases.replace_tokens(self._findall(self.clean(text)))

    def stream(self, text: str) -> list[str]:
        """Normal forms in text order, with connector words and :data:`BREAK` marks for phrases.

        >>> Normaliser("lemmatize", 3, False, True, frozenset({"de"}), stopwords={"de", "la", "el"}).stream("La Secretaría de Salud, el lunes")
        ['', 'secretaría', 'de', 'salud', '', '', 'lunes']
        """
        return list(map(self._stream_of.__getitem__, self.words(text)))

    def tokens(self, text: str) -> list[str]:
        """Normalised content tokens of ``text`` (no phrases): stopwords, short tokens, punctuation gone."""
        connectors = self.connector_words
        return [t for t in self.stream(text) if t and t not in connectors]
