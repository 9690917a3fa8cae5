"""How terms and periods are written for a reader, in figures and in the report alike.

Pure functions (no matplotlib, no I/O), shared by :mod:`scripts.figures` and :mod:`scripts.report`
so that a term or a period reads the same on a figure and in the text beside it.

Example
-------
>>> pretty_term("estados_unidos")
'estados unidos'
>>> period_label("2024-08-01", "en", "month")
'Aug 2024'
>>> surface_term("crisis_de_opioide", {"crisis_de_opioide": "crisis de opioides"})
'crisis de opioides'
"""


from pathlib import Path
from typing import Mapping

import pandas as pd

#: Short month names by language (``figures.language``: ``es`` or ``en``).
MONTHS = {
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def pretty_term(term: str) -> str:
    """A term or theme name as a reader writes it: phrase underscores become spaces.

    >>> pretty_term("guardia_nacional")
    'guardia nacional'
    """
    return str(term).replace("_", " ").strip()


def surface_term(term: str, forms: Mapping[str, str] | None) -> str:
    """A term as the corpus most often writes it (``surface_forms.csv``), else :func:`pretty_term`.

    Parameters
    ----------
    term : str
        A vocabulary term: a lemma, a kept name or a phrase (``crisis_de_opioide``).
    forms : mapping of str to str or None
        Term → surface form (:func:`read_surface_forms`); ``None`` when the table is not at hand.

    Returns
    -------
    str

    Examples
    --------
    >>> forms = {"crisis_de_opioide": "crisis de opioides", "chivas": "Chivas"}
    >>> surface_term("crisis_de_opioide", forms), surface_term("chivas", forms), surface_term("guardia_nacional", forms)
    ('crisis de opioides', 'Chivas', 'guardia nacional')
    """
    if forms:
        surface = forms.get(term)
        if surface:
            return surface
    return pretty_term(term)


def read_surface_forms(path: str | Path | None) -> dict[str, str]:
    """Term → surface form from the preprocess stage's ``surface_forms.csv`` (empty without a path)."""
    if path is None:
        return {}
    table = pd.read_csv(path, keep_default_na=False, dtype=str, usecols=["term", "surface"])
    return dict(zip(table["term"], table["surface"]))


#: Quarter labels by language: ``T2 2024`` (trimestre) or ``Q2 2024``.
QUARTER = {"es": "T{quarter} {year}", "en": "Q{quarter} {year}"}


def period_label(period, language: str, freq: str) -> str:
    """One period, named by its first day, as a short label for its ``time.freq``.

    Parameters
    ----------
    period : str or datetime-like
        Start of the period.
    language : {"es", "en"}
        Language of the month name.
    freq : {"week", "month", "quarter", "year"}
        The run's ``time.freq`` (passed by the rule, never guessed from the dates).

    Returns
    -------
    str
        ``3 feb 2024`` (week), ``ene 2024`` (month), ``T1 2024`` / ``Q1 2024`` (quarter) or ``2024`` (year).

    Examples
    --------
    >>> period_label("2024-01-01", "es", "month"), period_label("2024-04-01", "es", "quarter")
    ('ene 2024', 'T2 2024')
    >>> period_label("2024-02-03", "en", "week"), period_label("2024-01-01", "en", "year")
    ('3 Feb 2024', '2024')
    """
    date = pd.Timestamp(period)
    month = MONTHS[language][date.month - 1]
    if freq == "year":
        return str(date.year)
    if freq == "quarter":
        return QUARTER[language].format(quarter=date.quarter, year=date.year)
    if freq == "week":
        return f"{date.day} {month} {date.year}"
    return f"{month} {date.year}"
