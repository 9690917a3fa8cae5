"""Cleaning keeps the words (accents, ñ) and drops markup, URLs and odd whitespace."""

import unicodedata

import pytest
from hypothesis import given, strategies as st

from scripts.text.cleaning import normalise_paragraphs, normalise_text
from scripts.text.markup import blank_markup, strip_markup


def clean(text: str) -> str:
    """What ingest does to a title (and, paragraphs aside, to a body)."""
    return normalise_text(strip_markup(text))


def test_html_body_keeps_text_and_paragraphs():
    html = ('<p style="text-align: justify;" /><img src="http://ljz.mx/a.jpg" border="0" />'
            '<span style="font-size: small;">México, DF. El gobierno &amp; la CNTE&nbsp;acordaron.</span></p>'
            '<div><p>Segundo p&aacute;rrafo con e&ntilde;e.</p></div><script>var x = 1;</script>')
    text = normalise_paragraphs(strip_markup(html))
    assert text.split("\n\n") == ["México, DF. El gobierno & la CNTE acordaron.", "Segundo párrafo con eñe."]


def test_markdown_images_links_and_urls_go():
    body = "![](http://i.imgur.com/3hPg4X7m.jpg)\n## Título\nLea [la nota](https://ljz.mx/n.html) en **www.ljz.mx** o https://t.co/x."
    assert clean(body) == "Título Lea la nota en o"


def test_nfc_and_accents_kept():
    decomposed = unicodedata.normalize("NFD", "Peña Nieto señaló la educación")
    assert clean(decomposed) == "Peña Nieto señaló la educación"
    assert clean("a\u200bb\x00c\r\nd") == "abc d"


CLEANED = [
    ('<p>La <b>niña</b> &amp; el ![](http://i.imgur.com/x.jpg)[señor](http://a.mx)</p>', "La niña & el señor"),
    ("## Año  nuevo\n\n> cita *importante* de __AMLO__", "Año nuevo cita importante de AMLO"),
    ("Ver [nota](https://x.mx) en www.ljz.mx hoy\t", "Ver nota en hoy"),
    ("Escriba a prensa@ljz.mx", "Escriba a prensa@ljz.mx"),  # e-mail addresses are text for a reader
]


@pytest.mark.parametrize("raw, expected", CLEANED)
def test_cleaning_gives_the_expected_text_and_is_idempotent(raw, expected):
    once = clean(raw)
    assert once == expected
    assert clean(once) == expected


#: Plain text: letters (accented, ñ), digits, spaces, line breaks and punctuation that is not markup
#: (no dot, so no "www." either).
PLAIN = st.text(st.sampled_from("abcñÑáéÍüZ09 ,;:¿?¡!-'\"()\n\t\u200b\u00a0") | st.characters(categories=["L"]), max_size=300)


@given(PLAIN)
def test_plain_text_is_only_normalised_and_cleaning_is_idempotent(text):
    once = clean(text)
    assert once == normalise_text(text)  # no markup: only whitespace and Unicode normalisation
    assert clean(once) == once
    assert "\n" not in once and once == once.strip()


@given(st.text(max_size=300))
def test_cleaning_never_crashes_and_normalising_is_idempotent(text):
    once = clean(text)
    assert normalise_text(once) == once
    assert "\n" not in once and once == once.strip()
    paragraphs = normalise_paragraphs(strip_markup(text))
    assert normalise_paragraphs(paragraphs) == paragraphs


def test_blank_markup_blanks_addresses_and_leftovers():
    assert blank_markup("Escriba a prensa@ljz.mx hoy") == "Escriba a   hoy"
    assert blank_markup("el sitio_www.ljz.mx_ y AT&T; < >") == "el sitio_  y AT   "
    assert blank_markup("Sin marcas: año, niño.") == "Sin marcas: año, niño."
