"""Readable surface forms of the vocabulary: each lemma or phrase as the corpus most often writes it.

A term is a lemma (``artístico``), a kept name (``chivas``) or a phrase whose words are lemmas
joined by ``_`` (``crisis_de_opioide``, connector words kept inside). A reader should see
``crisis de opioides`` and ``Chivas``, so for every term the preprocess stage counts the original
words it came from (the raw tokens as written, a phrase's whole word sequence including its
connector words) and writes ``surface_forms.csv`` (``term, surface, count``):

- the most frequent original form, compared in lowercase (accents kept): ``count`` is its
  number of occurrences; ties go to the alphabetically first form;
- written lowercase, unless its capitalised occurrences outnumber the lowercase ones (sentence
  starts are not counted as capitalised, see :mod:`scripts.preprocess.names`): then the most
  frequent capitalised spelling (``Chivas``, ``Secretaría de Salud``, ``PRI``);
- alias tokens read as the alias list spells them (``lopez_obrador`` → ``lópez obrador``: the
  spelling that folds to the canonical token, see :func:`alias_spellings`), else with spaces.

A phrase's original words are found from its position: joining a phrase only turns the spaces
between its words into ``_``, so the joined stream is aligned character by character with the
stream before phrases, whose tokens are aligned one to one with the raw tokens.

Example
-------
>>> choose_surface({"opioides": 5, "opioide": 2, "Opioides": 1}, {"opioides": 5, "opioide": 2})
('opioides', 6)
>>> choose_surface({"Chivas": 7, "chivas": 1}, {"Chivas": 6, "chivas": 1})
('Chivas', 8)
"""


from collections import Counter
from typing import Iterable, Iterator, Mapping

import pandas as pd

from scripts.preprocess.names import SENTENCE_OPENERS, CaseEvidence
from scripts.text.accents import fold_accents

def phrase_occurrences(stream: str, joined: str, raw_tokens: list[str]) -> Iterator[tuple[str, str, bool]]:
    """The phrases of one document with the original words they came from.

    Parameters
    ----------
    stream : str
        The document's stream before phrases (one token per raw token, breaks as empty tokens).
    joined : str
        The same stream after phrases were joined (same length: only spaces became ``_``).
    raw_tokens : list of str
        The raw tokens, aligned with ``stream.split(" ")``.

    Yields
    ------
    tuple of (str, str, bool)
        The phrase term, its raw words joined by spaces, and whether it starts a sentence.

    Examples
    --------
    >>> raw = ["La", "crisis", "de", "opioides", "creció"]
    >>> list(phrase_occurrences(" crisis de opioide crecer", " crisis_de_opioide crecer", raw))
    [('crisis_de_opioide', 'crisis de opioides', False)]
    """
    find, rfind, size = joined.find, joined.rfind, len(joined)
    underscore = find("_")
    first, counted = 0, 0  # tokens before position `counted` of the stream
    while underscore != -1:  # each token holding a "_", found by C-level scans (no regex backtracking)
        start = rfind(" ", 0, underscore) + 1
        end = find(" ", underscore)
        end = size if end == -1 else end
        original = stream[start:end]
        if " " in original:  # a joined phrase, not an alias token
            first += stream.count(" ", counted, start)
            counted = start
            words = raw_tokens[first:first + original.count(" ") + 1]
            initial = first == 0 or raw_tokens[first - 1][-1:] in SENTENCE_OPENERS
            yield joined[start:end], " ".join(words), initial
        underscore = find("_", end)


def count_phrase_surfaces(documents: Iterable[tuple[str, str, str]]) -> tuple[Counter, Counter]:
    """Per ``(phrase, original words)``: all occurrences, and those not at a sentence start.

    ``documents`` yields ``(stream, joined, raw)`` with ``raw`` the raw tokens joined by spaces.
    """
    counts, mid = Counter(), Counter()
    for stream, joined, raw in documents:
        if "_" not in joined:
            continue
        for term, words, initial in phrase_occurrences(stream, joined, raw.split(" ")):
            counts[term, words] += 1
            if not initial:
                mid[term, words] += 1
    return counts, mid


def choose_surface(counts: Mapping[str, int], case_counts: Mapping[str, int]) -> tuple[str, int]:
    """The surface form of one term from the counts of its original forms.

    Parameters
    ----------
    counts : mapping of str to int
        Original form as written → occurrences.
    case_counts : mapping of str to int
        The occurrences that tell case (not at a sentence start).

    Returns
    -------
    tuple of (str, int)
        The form (lowercase unless mostly capitalised) and the occurrences of its lowercase group.

    Examples
    --------
    >>> choose_surface({"crisis de opioides": 3, "Crisis de opioides": 2}, {"crisis de opioides": 3})
    ('crisis de opioides', 5)
    >>> choose_surface({"b": 2, "a": 2}, {})  # a tie: the alphabetically first
    ('a', 2)
    """
    groups: Counter = Counter()
    for form, n in counts.items():
        groups[form.lower()] += n
    lower, total = min(groups.items(), key=lambda item: (-item[1], item[0]))
    capitalised = {form: case_counts.get(form, 0) for form in counts if form != lower and form.lower() == lower}
    surface = lower
    if sum(capitalised.values()) > case_counts.get(lower, 0):
        surface = min(capitalised.items(), key=lambda item: (-item[1], item[0]))[0]
    return surface, total


def unigram_surfaces(evidence: CaseEvidence, forms: Mapping[str, str], terms) -> dict[str, tuple[Counter, Counter]]:
    """Per normal form in ``terms``: its raw tokens' occurrences, all and not at a sentence start."""
    by_term: dict[str, tuple[Counter, Counter]] = {}
    initial = evidence.initial
    for token, n in evidence.counts.items():
        term = forms.get(token)
        if term in terms:
            found = by_term.get(term)
            if found is None:  # not setdefault: that would build two Counters per token
                found = by_term[term] = Counter(), Counter()
            counts, mid = found
            counts[token] += n
            mid[token] += n - initial.get(token, 0)
    return by_term


def alias_spellings(aliases: Mapping[str, list[str]]) -> dict[str, str]:
    """Canonical alias token → the spelling that folds to it (accents kept), where one does.

    >>> alias_spellings({"lopez_obrador": ["amlo", "lópez obrador"], "eua": ["ee.uu."]})
    {'lopez_obrador': 'lópez obrador'}
    """
    spelled = {}
    for canonical, spellings in aliases.items():
        for spelling in sorted(spellings):
            if fold_accents(spelling).replace(" ", "_") == canonical:
                spelled[canonical] = spelling
                break
    return spelled


def surface_table(terms: Iterable[str], unigrams: Mapping[str, tuple[Counter, Counter]], phrase_counts: Counter,
                  phrase_mid: Counter, spelled: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``term, surface, count`` for every term (sorted by term).

    ``spelled`` (:func:`alias_spellings`) gives the words an alias token is written with; any other
    ``_`` reads as a space. A term found neither as a phrase nor as a unigram (a phrase never
    joined in the counted documents) reads as itself with spaces, with count 0.
    """
    spelled = spelled or {}
    phrases: dict[str, tuple[Counter, Counter]] = {}
    for (term, words), n in phrase_counts.items():
        counts, mid = phrases.setdefault(term, (Counter(), Counter()))
        counts[words] += n
        mid[words] += phrase_mid.get((term, words), 0)
    rows = []
    for term in sorted(set(terms)):
        found = phrases.get(term) or unigrams.get(term)
        surface, count = choose_surface(*found) if found else (term, 0)
        surface = " ".join(spelled.get(word, word) for word in surface.split(" ")).replace("_", " ")
        rows.append((term, surface, count))
    return pd.DataFrame(rows, columns=["term", "surface", "count"])
