"""Proper names kept out of lemmatisation, decided from how the corpus capitalises each word.

A capitalised word is a *name* when, in the whole corpus, its occurrences in the middle of a
sentence are mostly capitalised: ``Chivas`` (the club) stays ``chivas`` instead of becoming the
verb ``chivar``, ``Santos`` (a surname, a club) stays ``santos`` instead of ``santo``. Sentence
starts (the first word of a document, and a word after ``. ! ? ¿ ¡ : …`` or an opening quote or
bracket) say nothing about case, so they are not counted as evidence; a capitalised word there
takes the reading its mid-sentence occurrences give it elsewhere in the corpus.

Per lowercase word ``w``, with ``capitalised`` its capitalised mid-sentence occurrences and
``lowercase`` its lowercase occurrences:

- ``capitalised > lowercase``: a name. Every *capitalised* occurrence (sentence starts included)
  becomes the lowercased surface form (:meth:`Normaliser.name_form`); lowercase occurrences keep
  their lemma (``los santos`` → ``santo``).
- otherwise, when ``lowercase > 0``: an ordinary word; a capitalised occurrence (a sentence start,
  a headline in title case, "la Secretaría") takes the lemma of the lowercase word, like the
  other occurrences.
- no evidence (seen only capitalised at sentence starts): the dictionary-only lemma of the
  capitalised word (:meth:`Normaliser.stream_form`), so an unknown name is not guessed into a verb.

Alias tokens (``resources/aliases_mx_us.yaml``: ``estados_unidos``, ``lopez_obrador``) are never
lemmatised either. The majority rule, not "any capitalised mid-sentence occurrence", keeps a
headline written in title case or a capitalised institution word from splitting a common word
into a lemma and a surface form.

Example
-------
>>> texts = ["Las Chivas ganaron . Chivas volvió a ganar", "ante Chivas el lunes", "unas chivas"]
>>> evidence = CaseEvidence.from_token_strings(texts)
>>> sorted(evidence.proper_names())
['chivas']
"""


import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd

from scripts.preprocess.phrases import merge_vocab

#: Tokens after which a word starts a sentence (case is no evidence there).
SENTENCE_OPENERS = ".!?¿¡:…«“\"(["
#: In space-joined raw tokens: an opening token and the token after it, which starts a sentence
#: (only the opener and its space are consumed, so ``. « Nadie`` finds ``«`` and ``Nadie``).
_AFTER_OPENER = re.compile(r"[" + re.escape(SENTENCE_OPENERS) + r"] (?=(\S+))")


def is_capitalised(token: str) -> bool:
    """True when the token's first character is an upper-case letter (``Chivas``, ``PRI``)."""
    return token[:1].isupper()


@dataclass
class CaseEvidence:
    """Occurrences of every raw token in the corpus, and of those that start a sentence.

    Parameters
    ----------
    counts : collections.Counter
        Raw token (as written) → occurrences.
    initial : collections.Counter
        Raw token → occurrences at a sentence start.
    """

    counts: Counter = field(default_factory=Counter)
    initial: Counter = field(default_factory=Counter)
    _decision: tuple | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_token_strings(cls, documents: Iterable[str]) -> "CaseEvidence":
        """Evidence from documents given as raw tokens joined by single spaces.

        >>> CaseEvidence.from_token_strings(["Hoy llegó Pérez", "Pérez habló"]).initial
        Counter({'Hoy': 1, 'Pérez': 1})
        """
        documents = list(documents)
        text = "\n".join(documents)
        initial = Counter(_AFTER_OPENER.findall(text))
        initial.update(document.split(" ", 1)[0] for document in documents if document)
        return cls(Counter(text.split()), initial)

    def update(self, other: "CaseEvidence") -> None:
        """Add the counts of ``other`` (another batch) in place."""
        merge_vocab(self.counts, other.counts)
        merge_vocab(self.initial, other.initial)
        self._decision = None

    def word_case(self) -> tuple[Counter, Counter]:
        """Per lowercase word written capitalised somewhere: capitalised mid-sentence occurrences, and lowercase occurrences.

        >>> CaseEvidence.from_token_strings(["Santos ganó y Santos empató", "los santos"]).word_case()
        (Counter({'santos': 1}), Counter({'santos': 1}))
        """
        capitalised, lowercase = Counter(), Counter()
        counts, initial = self.counts, self.initial
        for token in [token for token in counts if token[:1].isupper()]:
            word = token.lower()
            mid = counts[token] - initial.get(token, 0)
            if mid:
                capitalised[word] += mid
            if word in counts:
                lowercase[word] = counts[word]
        return capitalised, lowercase

    def proper_names(self) -> frozenset[str]:
        """Lowercase words whose mid-sentence occurrences are mostly capitalised."""
        return self.decide()[0]

    def decide(self) -> tuple[frozenset[str], Counter]:
        """The proper names, and the lowercase occurrences of the words written capitalised (see :func:`resolve`)."""
        if self._decision is None:
            capitalised, lowercase = self.word_case()
            names = frozenset(word for word, n in capitalised.items() if n > lowercase.get(word, 0))
            self._decision = names, lowercase
        return self._decision


def resolved_forms(normaliser, evidence: CaseEvidence) -> dict[str, str]:
    """Stream form of every raw token of the corpus, with the corpus-level name decisions applied.

    Parameters
    ----------
    normaliser : scripts.preprocess.normalise.Normaliser
        Gives each token's default form (:meth:`stream_form`) and the name reading (:meth:`name_form`).
    evidence : CaseEvidence
        The corpus's counts.

    Returns
    -------
    dict of str to str
        Raw token → normal form (or ``""``, a break), for every token in ``evidence.counts``.
    """
    names, lowercase = evidence.decide()
    tokens = evidence.counts
    forms = dict(zip(tokens, map(normaliser.stream_form, tokens)))
    forms.update((token, resolve(normaliser, token, names, lowercase)) for token in tokens if token[:1].isupper())
    return forms


def resolve(normaliser, token: str, names: frozenset[str], lowercase: dict[str, int]) -> str:
    """Normal form of one raw token given the corpus's names and lowercase counts (see the module docstring)."""
    if not is_capitalised(token):
        return normaliser.stream_form(token)
    word = token.lower()
    if word in names:
        return normaliser.name_form(word)
    if lowercase.get(word):
        return normaliser.stream_form(word)
    return normaliser.stream_form(token)


#: ``reading`` of a capitalised word in ``name_forms.csv``: which branch of :func:`resolve` it takes.
READINGS = ("name", "lowercase", "capitalised")


def name_form_table(evidence: CaseEvidence, forms: dict[str, str]) -> pd.DataFrame:
    """The corpus's decision for every capitalised raw token: ``form, resolved, reading`` (``name_forms.csv``).

    ``resolved`` is the token's stream form in this corpus (``""``: a break, as a stopword);
    ``reading`` is the decision on its lowercase word: ``name`` (kept as written, lowercased),
    ``lowercase`` (the lowercase word's lemma) or ``capitalised`` (no evidence: the dictionary-only
    lemma of the token as written). The monitor's frozen tokenizer reads this table, so new
    documents get the fit corpus's decisions (:mod:`scripts.monitor.tokens`). Sorted by ``form``.

    >>> evidence = CaseEvidence.from_token_strings(["ante las Chivas", "con Chivas", "unas chivas"])
    >>> name_form_table(evidence, {"Chivas": "chivas"}).to_dict("records")
    [{'form': 'Chivas', 'resolved': 'chivas', 'reading': 'name'}]
    """
    names, lowercase = evidence.decide()
    rows = []
    for form in sorted(token for token in evidence.counts if is_capitalised(token)):
        word = form.lower()
        reading = "name" if word in names else "lowercase" if lowercase.get(word) else "capitalised"
        rows.append((form, forms[form], reading))
    return pd.DataFrame(rows, columns=["form", "resolved", "reading"])
