"""One accent fold for the whole workflow: accents go, ñ/Ñ stay, case stays, NFC or NFD alike."""

import unicodedata

import pytest
from hypothesis import given, strategies as st

from scripts.text.accents import fold_accents


@pytest.mark.parametrize("text, expected", [
    ("acción pingüino niño", "accion pinguino niño"),
    ("ACCIÓN PINGÜINO NIÑO", "ACCION PINGUINO NIÑO"),
    ("Ñandú", "Ñandu"),
    ("año", "año"),  # not "ano": ñ is a letter, not an accented n
    ("Peña Nieto", "Peña Nieto"),
    ("São Paulo, Curaçao, Zürich", "Sao Paulo, Curacao, Zurich"),
    ("ã õ ñ Ñ", "a o ñ Ñ"),  # the tilde is kept on n/N only
    ("Ĩ ṇ ń", "I n n"),  # other marks on n (or a tilde elsewhere) go
    ("sin acentos", "sin acentos"),
    ("", ""),
])
def test_accents_go_enye_stays(text, expected):
    assert fold_accents(text) == expected


@pytest.mark.parametrize("word", ["Peña", "PEÑA", "niño", "Ñandú", "acción", "pingüino", "MIÉRCOLES"])
def test_decomposed_input_folds_as_composed(word):
    decomposed = unicodedata.normalize("NFD", word)
    assert decomposed != word
    assert fold_accents(decomposed) == fold_accents(word)
    assert unicodedata.is_normalized("NFC", fold_accents(decomposed))


def test_decomposed_enye_is_kept():
    assert fold_accents("n\u0303") == "ñ"
    assert fold_accents("N\u0303") == "Ñ"
    assert fold_accents("pen\u0303a") == "peña"
    assert fold_accents("n\u0301\u0303") == "n"  # ń with a tilde is no ñ


def test_case_is_kept_and_folding_commutes_with_lowercase():
    for word in ("ÁRBOL", "Ñoño", "PINGÜINO", "ÉXITO"):
        assert fold_accents(word).lower() == fold_accents(word.lower())
        assert fold_accents(word).isupper() == word.isupper()


@given(st.text(max_size=200))
def test_folding_is_idempotent_and_leaves_only_enye(text):
    once = fold_accents(text)
    assert fold_accents(once) == once
    assert unicodedata.is_normalized("NFC", once)
    marks = [c for c in unicodedata.normalize("NFD", once) if unicodedata.category(c) == "Mn"]
    assert set(marks) <= {"\u0303"}
    assert once.count("ñ") + once.count("Ñ") == unicodedata.normalize("NFD", once).count("\u0303")
