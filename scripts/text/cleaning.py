"""Text cleaning for ingest: HTML and Markdown markup, bare URLs, Unicode NFC and whitespace.

Accents and ñ are kept. Paragraph breaks survive :func:`strip_markup` and
:func:`normalise_paragraphs` so that documents can still be segmented; :func:`normalise_text`
gives the single-spaced text written to ``documents.parquet``.

Example
-------
>>> from scripts.text.cleaning import clean_text
>>> clean_text('<p>La <b>niña</b> &amp; el ![](http://i.imgur.com/x.jpg)[señor](http://a.mx)</p>')
'La niña & el señor'
"""


import html
import re
import unicodedata

_SCRIPT = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>")
_COMMENT = re.compile(r"(?s)<!--.*?-->")
_BLOCK_TAG = re.compile(r"(?i)</?(?:p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|section|article)\b[^>]*>")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\](?:\([^)\n]*\))?")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_MD_REFERENCE = re.compile(r"(?m)^\s*\[[^\]\n]+\]:\s*\S+.*$")
_MD_HEADING = re.compile(r"(?m)^[ \t]*(?:#{1,6}|>+)[ \t]*")
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(?=\S)(.+?)(?<=\S)\1")
_URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>()\[\]\"']+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_WHITESPACE = re.compile(r"\s+")


def strip_markup(text: str) -> str:
    """Remove HTML tags and entities, Markdown image/link syntax and bare URLs.

    Block-level HTML tags (``<p>``, ``<br>``, ``<div>`` ...) become paragraph breaks; link
    texts are kept, image syntax and URLs are dropped.

    Parameters
    ----------
    text : str
        Raw document body.

    Returns
    -------
    str
        Text without markup (whitespace not yet normalised).

    Examples
    --------
    >>> strip_markup("Ver [nota](https://x.mx) en www.ljz.mx hoy")
    'Ver nota en  hoy'
    """
    if "<" in text:
        text = _SCRIPT.sub(" ", text)
        text = _COMMENT.sub(" ", text)
        text = _BLOCK_TAG.sub("\n\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "](" in text or "![" in text:
        text = _MD_IMAGE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
    if "]:" in text:
        text = _MD_REFERENCE.sub("", text)
    text = _MD_HEADING.sub("", text)
    if "*" in text or "__" in text:
        text = _MD_EMPHASIS.sub(r"\2", text)
    return _URL.sub("", text)


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


def clean_text(text: str) -> str:
    """Markup stripped and whitespace normalised to one line: the text of a document.

    Parameters
    ----------
    text : str
        Raw document body.

    Returns
    -------
    str
    """
    return normalise_text(strip_markup(text))


def word_count(text: str) -> int:
    """Number of whitespace-separated words.

    Examples
    --------
    >>> word_count("uno dos  tres")
    3
    """
    return len(text.split())
