"""Dates as news corpora write them: ISO, day-first numeric, timestamps, Spanish written dates.

A fast hand-written parser (one month-name table, a few regular expressions) instead of a
general-purpose library: ingest calls it once per document, 100,000 times on a large corpus.
A value that cannot be read gives ``None``: the caller rejects the document, never guesses.

Example
-------
>>> from scripts.ingest.dates import parse_date
>>> parse_date("lunes 3 de febrero de 2025").date().isoformat()
'2025-02-03'
>>> parse_date("03/02/2025").date().isoformat()
'2025-02-03'
>>> parse_date("mañana") is None
True
"""


import datetime as dt
import re
import unicodedata

import pandas as pd

from scripts.text.accents import fold_accents

MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8, "sep": 9,
    "sept": 9, "set": 9, "oct": 10, "nov": 11, "dic": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "apr": 4, "aug": 8, "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?$")
YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[T ,]+\d{1,2}:\d{2}(?::\d{2})?)?$")
WRITTEN = re.compile(rf"(?<!\w)(\d{{1,2}})(?:o|º|°)?\s*(?:de\s+|-|/|\s)\s*({_MONTH})\.?\s*(?:de(?:l)?\s+|-|/|,\s*|\s)\s*(\d{{4}})(?!\d)")
MONTH_FIRST = re.compile(rf"(?<!\w)({_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)")
ISO_IN_TEXT = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
MIN_YEAR, MAX_YEAR = 1700, 2200  # outside: a typo, and beyond what datetime64[ns] holds
_TIMESTAMP_HINT = re.compile(r"\d{4}-\d{1,2}-\d{1,2}[T ]")


def _fold(text: str) -> str:
    """Lower case, compatibility forms and accents folded: ``Febrero``, ``FEBRERO``, ``1º`` read alike.

    Compatibility forms (NFKC: ``º`` → ``o``, full-width digits, no-break spaces) are folded before
    the accents (:func:`scripts.text.accents.fold_accents`); ñ is kept, as everywhere (no month
    or date word has one).

    >>> _fold("1º de Febrero, MIÉRCOLES")
    '1o de febrero, miercoles'
    """
    return fold_accents(unicodedata.normalize("NFKC", text.lower()))


def make_date(year: int | str, month: int | str, day: int | str) -> pd.Timestamp | None:
    """A calendar day from its parts; the month may be a number or a (Spanish) name.

    Parameters
    ----------
    year, month, day : int or str
        Parts of the date; ``month`` may be ``"marzo"``, ``"Mar"`` or ``3``.

    Returns
    -------
    pandas.Timestamp or None
        ``None`` when the parts do not form a real date.

    Examples
    --------
    >>> make_date("2025", "marzo", "03").date().isoformat()
    '2025-03-03'
    >>> make_date(2024, 2, 30) is None
    True
    """
    try:
        month_number = int(month) if str(month).strip().isdigit() else MONTHS[_fold(str(month)).strip(". ")]
        day_value = dt.date(int(year), month_number, int(day))
    except (KeyError, ValueError, TypeError, OverflowError):
        return None
    return pd.Timestamp(day_value) if MIN_YEAR <= day_value.year <= MAX_YEAR else None


def _from_timestamp(value) -> pd.Timestamp | None:
    """The calendar day of a datetime-like value, as written (time zone dropped, not converted)."""
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize() if MIN_YEAR <= stamp.year <= MAX_YEAR else None


def _with_format(text: str, date_format: str) -> pd.Timestamp | None:
    """Parse with a strftime format; ``%B``/``%b`` accept Spanish month names."""
    if "%B" in date_format or "%b" in date_format:
        text = re.sub(rf"(?i)\b({_MONTH})\b\.?", lambda m: str(MONTHS[_fold(m.group(1))]), _fold(text))
        date_format = date_format.replace("%B", "%m").replace("%b", "%m")
    try:
        return _from_timestamp(dt.datetime.strptime(text, date_format))
    except ValueError:
        return None


def parse_date(value: object, date_format: str | None = None) -> pd.Timestamp | None:
    """Read a date; ``None`` when it cannot be read (never a guess).

    Recognised: ``YYYY-MM-DD`` (with an optional time and time zone: the day as written is
    kept), ``YYYY/MM/DD``, day-first ``DD/MM/YYYY`` (also ``-`` and ``.``), Spanish or English
    written dates with or without a weekday (``lunes 3 de febrero de 2025``, ``3 feb. 2025``,
    ``February 3, 2025``), and datetime objects (e.g. from Excel or Parquet).

    Parameters
    ----------
    value : object
        A string, a datetime-like value, or a missing value.
    date_format : str, optional
        A strftime format (e.g. ``%d-%m-%Y``) that overrides detection for strings.

    Returns
    -------
    pandas.Timestamp or None
        Midnight of the calendar day.

    Examples
    --------
    >>> parse_date("2025-02-03T23:10:00-06:00").date().isoformat()
    '2025-02-03'
    >>> parse_date("03-02-2025", "%d-%m-%Y").day
    3
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return _from_timestamp(value)
    if isinstance(value, float) and value != value:
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if date_format:
        return _with_format(text, date_format)
    match = ISO.match(text)
    if match:
        return make_date(*match.groups())
    match = YMD.match(text) or None
    if match:
        return make_date(*match.groups())
    match = DMY.match(text)
    if match:
        day, month, year = match.groups()
        return make_date(year, month, day)
    if _TIMESTAMP_HINT.match(text):
        return _from_timestamp(text)
    return find_date(text, numeric=False)


def find_date(text: str, numeric: bool = True) -> pd.Timestamp | None:
    """The first written date found inside free text (a header line, a dateline).

    Parameters
    ----------
    text : str
        Text to search.
    numeric : bool
        Also accept an ISO ``YYYY-MM-DD`` inside the text.

    Returns
    -------
    pandas.Timestamp or None

    Examples
    --------
    >>> find_date("Ciudad de México, a 03 de marzo del 2025.").date().isoformat()
    '2025-03-03'
    """
    folded = _fold(text)
    for pattern in (WRITTEN, MONTH_FIRST):
        match = pattern.search(folded)
        if match:
            a, b, c = match.groups()
            return make_date(c, b, a) if pattern is WRITTEN else make_date(c, a, b)
    if numeric:
        match = ISO_IN_TEXT.search(text)
        if match:
            return make_date(*match.groups())
    return None


def date_in_lines(lines: list[str], max_words: int = 8) -> pd.Timestamp | None:
    """The date of a header: a short line that is a date (a dateline) wins over a date in a title.

    Parameters
    ----------
    lines : list of str
        The first lines of a document.
    max_words : int
        A line of at most this many words that reads as a date is a dateline.

    Returns
    -------
    pandas.Timestamp or None

    Examples
    --------
    >>> date_in_lines(["Conferencia del 1º de agosto de 2021", "Presidencia", "01 de agosto de 2022"]).year
    2022
    >>> date_in_lines(["Conferencia del 1º de agosto de 2021", "Presidencia"]).year
    2021
    """
    for line in lines:
        text = line.strip(" .,;:-")
        if not text or len(text.split()) > max_words:
            continue
        for pattern in (ISO, YMD, DMY):
            if pattern.match(text):
                return parse_date(text)
        folded = _fold(text)
        match = WRITTEN.search(folded) or MONTH_FIRST.search(folded)
        if match and len((folded[: match.start()] + " " + folded[match.end():]).split()) <= 1:
            return find_date(text)
    return find_date("\n".join(lines))


def date_from_path(path: str, pattern: re.Pattern) -> pd.Timestamp | None:
    """A date read from a file's relative path with ``corpus.date_from_path``.

    The pattern either has named groups ``year``, ``month`` (number or month name) and ``day``,
    or its first group (else the whole match) is read with :func:`parse_date`.

    Examples
    --------
    >>> import re
    >>> rx = re.compile(r"(?P<year>\\d{4})/(?P<month>[a-z]+)/(?P<day>\\d{2})--")
    >>> date_from_path("articulos/2025/marzo/03--conferencia.txt", rx).date().isoformat()
    '2025-03-03'
    """
    match = pattern.search(path)
    if not match:
        return None
    parts = match.groupdict()
    if {"year", "month", "day"} <= set(parts):
        return make_date(parts["year"], parts["month"], parts["day"])
    return parse_date(match.group(1) if pattern.groups else match.group(0))
