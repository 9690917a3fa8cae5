"""How terms and periods are written for a reader, in figures and in the report alike.

Pure functions (no matplotlib, no I/O), shared by :mod:`scripts.figures` and :mod:`scripts.report`
so that a term or a period reads the same on a figure and in the text beside it.

Example
-------
>>> pretty_term("estados_unidos")
'estados unidos'
>>> period_label("2024-08-01", "en")
'Aug 2024'
"""


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


def period_label(period, language: str = "es", freq_days: float = 31.0) -> str:
    """One period as a short label (``ene 2024``, ``2024``, or ``3 feb 2024`` for weeks).

    Parameters
    ----------
    period : str or datetime-like
        Start of the period.
    language : {"es", "en"}
        Language of the month name.
    freq_days : float
        Typical spacing of the periods in days (see :func:`period_days`): from 360 the label is
        the year, under 28 it includes the day.

    Returns
    -------
    str

    Examples
    --------
    >>> period_label("2024-01-01")
    'ene 2024'
    >>> period_label("2024-02-03", "es", freq_days=7)
    '3 feb 2024'
    """
    date = pd.Timestamp(period)
    month = MONTHS[language][date.month - 1]
    if freq_days >= 360:
        return str(date.year)
    if freq_days < 28:
        return f"{date.day} {month} {date.year}"
    return f"{month} {date.year}"


def period_days(periods) -> float:
    """Typical spacing of sorted period starts, in days (31 when there is only one period).

    >>> period_days(["2024-01-01", "2024-02-01", "2024-03-01"])
    30.0
    """
    dates = pd.Series(sorted(pd.to_datetime(pd.Series(periods)).unique()))
    return float(dates.diff().dt.days.median()) if len(dates) > 1 else 31.0
