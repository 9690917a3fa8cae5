"""Unicode and whitespace normalisation of text whose markup is already gone (ingest).

NFC, control and zero-width characters removed, spaces collapsed. Accents and ñ are kept.
Paragraph breaks survive :func:`normalise_paragraphs`, so that documents can still be segmented;
:func:`normalise_text` gives the single-spaced text written to ``documents.parquet``. Markup is
removed first, by :func:`scripts.text.markup.strip_markup`.

Example
-------
>>> from scripts.text.markup import strip_markup
>>> normalise_text(strip_markup('<p>La <b>niña</b> &amp; el ![](http://i.imgur.com/x.jpg)[señor](http://a.mx)</p>'))
'La niña & el señor'
"""


import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_WHITESPACE = re.compile(r"\s+")


def normalise_paragraphs(text: str) -> str:
    """NFC, control characters removed, spaces collapsed; paragraph breaks (blank lines) kept.

    Examples
    --------
    >>> normalise_paragraphs("Uno  dos\\n\\n\\n  tres\\u200b")
    'Uno dos\\n\\ntres'
    """
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")))
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def normalise_text(text: str) -> str:
    """Unicode NFC and collapsed whitespace (one line); accents and ñ are kept.

    Parameters
    ----------
    text : str
        Raw text.

    Returns
    -------
    str
        Normalised text.

    Examples
    --------
    >>> normalise_text(" Año\\n\\n  nuevo\\t")
    'Año nuevo'
    """
    return _WHITESPACE.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFC", text))).strip()


def word_count(text: str) -> int:
    """Number of whitespace-separated words.

    Examples
    --------
    >>> word_count("uno dos  tres")
    3
    """
    return len(text.split())
