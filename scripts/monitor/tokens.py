"""New documents tokenized exactly as the fit period's: the run's normaliser, names, phrases and dictionary.

Nothing is learned again: the normaliser comes from the ``preprocess`` section of the run, the
proper-name decisions from ``results/corpus/name_forms.csv``, the phrases from
``results/corpus/phrases.csv`` and the vocabulary from ``dictionary.gensim``.

Names (:mod:`scripts.preprocess.names`): a capitalised token the fit corpus wrote gets the form
the fit gave it (``Chivas`` → ``chivas``, not the verb ``chivar``); a capitalised token it never
wrote gets the fit's reading of its lowercase word (``CHIVAS`` → ``chivas`` when ``chivas`` is a
name of the fit) and, for a word the fit never wrote capitalised, the no-evidence reading (its
dictionary-only lemma); a lowercase token gets its lemma, as in the fit. A
phrase is stored joined (``secretaría_de_salud``, ``n_words`` 3); since its words may hold ``_``
themselves (aliases such as ``estados_unidos``), :func:`phrase_keys` gives every split of it into
``n_words`` words whose inner words are connector words (the phrases' rule), and the joiner of
:mod:`scripts.preprocess.phrases` is built on them. A wrong split could only join words whose
underscored spelling equals a learned phrase; ``tests/test_monitor.py`` checks that the fit
period's documents get back exactly the tokens of ``tokens.parquet``.

Example
-------
>>> phrase_keys("guardia_nacional", 2, frozenset())
['guardia nacional']
>>> sorted(phrase_keys("estados_unidos_méxico", 2, frozenset()))
['estados unidos_méxico', 'estados_unidos méxico']
>>> phrase_keys("secretaría_de_salud", 3, frozenset({"de"}))
['secretaría de salud']
"""

import logging
from itertools import combinations
from pathlib import Path

import pandas as pd

from scripts.preprocess.corpus_io import document_batches
from scripts.preprocess.names import READINGS, resolve
from scripts.preprocess.phrases import JOINER, DELIMITER, PhraseJoiner, final_tokens
from scripts.preprocess.pipeline import make_normaliser, normaliser_settings

logger = logging.getLogger(__name__)

LEVELS = ("bigram", "trigram")


def phrase_keys(phrase: str, n_words: int, connector_words: frozenset) -> list:
    """Every ``DELIMITER``-separated key a joined phrase may have come from (see the module doc)."""
    parts = phrase.split(JOINER)
    keys = []
    for cuts in combinations(range(1, len(parts)), n_words - 1):
        bounds = [0, *cuts, len(parts)]
        words = [JOINER.join(parts[a:b]) for a, b in zip(bounds, bounds[1:])]
        inner_ok = all(word in connector_words for word in words[1:-1])
        ends_ok = words[0] not in connector_words and words[-1] not in connector_words
        if inner_ok and ends_ok:
            keys.append(DELIMITER.join(words))
    return keys


def frozen_phrase_models(phrases: pd.DataFrame, connector_words: frozenset) -> list:
    """The phrase models of the fit (bigrams, then trigrams if any) as ``{key: score}`` dicts."""
    models = []
    for level in LEVELS:
        rows = phrases[phrases["model"] == level]
        if level == "trigram" and rows.empty:
            break
        model = {}
        for row in rows.itertuples(index=False):
            for key in phrase_keys(str(row.phrase), int(row.n_words), connector_words):
                model[key] = float(row.score)
        models.append(model)
    return models


def read_name_forms(path) -> pd.DataFrame:
    """``name_forms.csv`` as written (``form, resolved, reading``; ``""`` stays a string, ``NA`` a word)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    unknown = set(table["reading"]) - set(READINGS)
    if unknown:
        raise ValueError(f"{path}: unknown reading(s) {sorted(unknown)}; expected one of {READINGS}")
    return table


class FrozenForms(dict):
    """Raw token → stream form with the fit corpus's name decisions (computed on first use, cached).

    Parameters
    ----------
    normaliser : scripts.preprocess.normalise.Normaliser
        The run's normaliser.
    name_forms : pandas.DataFrame
        ``results/corpus/name_forms.csv`` (:func:`read_name_forms`).

    Example
    -------
    >>> from scripts.preprocess.normalise import Normaliser
    >>> norm = Normaliser("lemmatize", 3, False, True, frozenset(), stopwords={"de"})
    >>> table = pd.DataFrame({"form": ["Chivas"], "resolved": ["chivas"], "reading": ["name"]})
    >>> forms = FrozenForms(norm, table)
    >>> forms["Chivas"], forms["CHIVAS"], forms["chivas"]
    ('chivas', 'chivas', 'chivar')
    """

    def __init__(self, normaliser, name_forms: pd.DataFrame) -> None:
        super().__init__(zip(name_forms["form"], name_forms["resolved"]))
        self._normaliser = normaliser
        readings = dict(zip(name_forms["form"].str.lower(), name_forms["reading"]))  # one reading per word
        self._names = frozenset(word for word, reading in readings.items() if reading == "name")
        self._lowercase = {word: 1 for word, reading in readings.items() if reading == "lowercase"}

    def __missing__(self, token: str) -> str:
        form = self[token] = resolve(self._normaliser, token, self._names, self._lowercase)
        return form


class FrozenTokenizer:
    """Text → final tokens with the run's normaliser, name decisions and phrases (nothing learned).

    Parameters
    ----------
    preprocess : dict
        The run's ``preprocess`` section (validated, defaults filled in; ``aliases`` resolved).
    phrases : pandas.DataFrame
        ``results/corpus/phrases.csv``.
    name_forms : pandas.DataFrame
        ``results/corpus/name_forms.csv`` (:func:`read_name_forms`).
    base : pathlib.Path, optional
        Directory a relative aliases path is read from first.
    """

    def __init__(self, preprocess: dict, phrases: pd.DataFrame, name_forms: pd.DataFrame,
                 base: Path | None = None) -> None:
        settings = normaliser_settings(preprocess, base)
        self.normaliser = make_normaliser(settings)
        self.forms = FrozenForms(self.normaliser, name_forms)
        models = frozen_phrase_models(phrases, self.normaliser.connector_words) if settings["phrases"]["enabled"] else []
        self.joiners = [PhraseJoiner(model) for model in models]

    def tokens(self, text: str) -> list:
        """The final tokens of one text (every token, in the vocabulary or not)."""
        stream = " ".join(map(self.forms.__getitem__, self.normaliser.words(text)))
        for joiner in self.joiners:
            stream = joiner.apply(stream)
        return final_tokens(stream, self.normaliser.connector_words)


def tokenize_documents(documents_path, tokenizer: FrozenTokenizer, doc_ids=None, batch_size: int = 1000) -> pd.DataFrame:
    """``doc_id, date, tokens`` of the documents of a ``documents.parquet`` (text = ``title. text``).

    Parameters
    ----------
    documents_path : str or pathlib.Path
        ``documents.parquet`` as ingest writes it.
    tokenizer : FrozenTokenizer
    doc_ids : collection of str, optional
        Only these documents (default: all), in file order.
    """
    wanted = None if doc_ids is None else set(doc_ids)
    rows = []
    for _, ids, texts in document_batches(Path(documents_path), batch_size):
        id_list, dates = ids["doc_id"].to_pylist(), ids["date"].to_pylist()
        for doc_id, date, text in zip(id_list, dates, texts.to_pylist()):
            if wanted is None or doc_id in wanted:
                rows.append((doc_id, date, tokenizer.tokens(text)))
    logger.info("tokenized %d documents with the frozen normaliser and phrases", len(rows))
    return pd.DataFrame(rows, columns=["doc_id", "date", "tokens"])
