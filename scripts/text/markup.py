"""Markup removal: HTML, Markdown, URLs, entities and e-mail addresses, for ingest and preprocess.

Two passes with two contracts, both here so that there is one place that knows about markup:

* :func:`strip_markup` (ingest) turns a raw document body into *readable* text, written to
  ``documents.parquet``: HTML tags go (block tags become paragraph breaks), entities are decoded
  (``&aacute;`` → ``á``), Markdown images, link syntax, headings and emphasis go (link texts stay),
  bare URLs go. E-mail addresses are kept: they are part of what a reader sees.
* :func:`blank_markup` (preprocess) replaces by a space every span that must not reach the
  tokenizer: tags, Markdown images and links (link text kept), URLs, undecoded entities and
  e-mail addresses. Preprocess applies it to the text ingest already cleaned, where it is not
  redundant: on the Jornada Zacatecas and mañaneras corpora it still removes some 600 e-mail
  addresses, URLs glued to a word (``_www.x.org``, which :func:`strip_markup`'s word-boundary rule
  leaves), stray ``< >`` spans and undecodable entities (``AT&T;``). It also makes a
  :class:`~scripts.preprocess.normalise.Normaliser` safe on raw text.

Accents and ñ are never touched here (see :mod:`scripts.text.accents`).

Example
-------
>>> strip_markup('<p>La <b>niña</b> &amp; el ![](http://i.imgur.com/x.jpg)[señor](http://a.mx)</p>')
'\\n\\nLa  niña  & el  señor\\n\\n'
>>> blank_markup("Escriba a juan@ljz.mx o vea www.ljz.mx")
'Escriba a   o vea  '
"""


import html
import re

# ---- strip_markup (ingest) -------------------------------------------------------------------

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
_MAX_UNESCAPE = 3  # entity decoding rounds: &amp;lt;script&amp;gt; is escaped twice

# ---- blank_markup (preprocess) ---------------------------------------------------------------

#: Markdown images (dropped with their alt text), Markdown links (text kept), HTML tags, URLs
#: and HTML entities.
MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|<[^>]{0,500}>|(?:https?://|www\.)\S+|&#?\w{1,8};")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def strip_markup(text: str) -> str:
    """Remove HTML tags and entities, Markdown image/link syntax and bare URLs (ingest).

    Block-level HTML tags (``<p>``, ``<br>``, ``<div>`` ...) become paragraph breaks; link
    texts are kept, image syntax and URLs are dropped; entities are decoded, and markup that
    decoding reveals (``&lt;script&gt;``, also escaped twice) is removed as well, so no tag
    reaches the documents.

    Parameters
    ----------
    text : str
        Raw document body.

    Returns
    -------
    str
        Text without markup (whitespace not yet normalised: see :mod:`scripts.text.cleaning`).

    Examples
    --------
    >>> strip_markup("Ver [nota](https://x.mx) en www.ljz.mx hoy")
    'Ver nota en  hoy'
    >>> strip_markup("Hola &lt;script&gt;alert('xss')&lt;/script&gt; y 3 &lt; 4")
    'Hola   y 3 < 4'
    """
    text = _strip_tags(text)
    for _ in range(_MAX_UNESCAPE):
        if "&" not in text:
            break
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        # entity-escaped markup (&lt;script&gt;) becomes markup here: strip it too
        text = _strip_tags(unescaped) if "<" in unescaped else unescaped
    if "](" in text or "![" in text:
        text = _MD_IMAGE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
    if "]:" in text:
        text = _MD_REFERENCE.sub("", text)
    text = _MD_HEADING.sub("", text)
    if "*" in text or "__" in text:
        text = _MD_EMPHASIS.sub(r"\2", text)
    return _URL.sub("", text)


def _strip_tags(text: str) -> str:
    """HTML scripts, styles, comments and tags removed (block tags become paragraph breaks)."""
    if "<" in text:
        text = _SCRIPT.sub(" ", text)
        text = _COMMENT.sub(" ", text)
        text = _BLOCK_TAG.sub("\n\n", text)
        text = _TAG.sub(" ", text)
    return text


def blank_markup(text: str) -> str:
    """Replace tags, Markdown images, URLs, entities and e-mail addresses by a space (preprocess).

    Markdown link texts are kept. Text without any of ``<``, ``](``, ``://``, ``www.``, ``&``
    or ``@`` is returned as is, without a regular-expression pass.

    Parameters
    ----------
    text : str
        Text about to be tokenized (normally a document as ingest wrote it).

    Returns
    -------
    str
        ``text`` with those spans blanked; case, accents and everything else kept.

    Examples
    --------
    >>> blank_markup('![Foto](http://i.imgur.com/x.jpg)<p style="a">Hola [sitio](http://a.mx)</p>')
    '  Hola sitio '
    """
    if "<" in text or "](" in text or "://" in text or "www." in text or "&" in text or "@" in text:
        text = MARKUP.sub(lambda m: m.group(1) or " ", text)
        if "@" in text:
            text = EMAIL.sub(" ", text)
    return text
