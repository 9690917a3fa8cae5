"""Cleaning keeps the words (accents, ñ) and drops markup, URLs and odd whitespace."""

import unicodedata

from hypothesis import given, strategies as st

from scripts.text.cleaning import clean_text, normalise_paragraphs, strip_markup


def test_html_body_keeps_text_and_paragraphs():
    html = ('<p style="text-align: justify;" /><img src="http://ljz.mx/a.jpg" border="0" />'
            '<span style="font-size: small;">México, DF. El gobierno &amp; la CNTE&nbsp;acordaron.</span></p>'
            '<div><p>Segundo p&aacute;rrafo con e&ntilde;e.</p></div><script>var x = 1;</script>')
    text = normalise_paragraphs(strip_markup(html))
    assert text.split("\n\n") == ["México, DF. El gobierno & la CNTE acordaron.", "Segundo párrafo con eñe."]


def test_markdown_images_links_and_urls_go():
    body = "![](http://i.imgur.com/3hPg4X7m.jpg)\n## Título\nLea [la nota](https://ljz.mx/n.html) en **www.ljz.mx** o https://t.co/x."
    assert clean_text(body) == "Título Lea la nota en o"


def test_nfc_and_accents_kept():
    decomposed = unicodedata.normalize("NFD", "Peña Nieto señaló la educación")
    assert clean_text(decomposed) == "Peña Nieto señaló la educación"
    assert clean_text("a\u200bb\x00c\r\nd") == "abc d"


@given(st.text(max_size=300))
def test_cleaning_never_crashes_and_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == clean_text(once)
    assert "\n" not in once and once == once.strip()
