"""Spanish normalisation pinned on hand-written sentences (runtime: ~3 s, simplemma data load)."""

import functools

import pytest
from hypothesis import given, settings, strategies as st

from scripts.preprocess.aliases import AliasError, load_aliases
from scripts.preprocess.normalise import BREAK, default_stopwords
from scripts.preprocess.normalise import Normaliser as Plain
from scripts.settings import section
from scripts.text.accents import fold_accents
from scripts.text.markup import blank_markup


def Normaliser(method=None, stopwords=None, aliases=None, accents=None, min_token_len=None, keep_numbers=None):
    """A normaliser with the schema's ``preprocess`` defaults, except what is given."""
    settings = section("preprocess")
    return Plain(
        method or settings["normalize"],
        settings["min_token_len"] if min_token_len is None else min_token_len,
        settings["keep_numbers"] if keep_numbers is None else keep_numbers,
        (not settings["strip_accents"]) if accents is None else accents,
        frozenset(settings["phrases"]["connector_words"]), stopwords=stopwords, aliases=aliases,
    )


@functools.cache
def default_normaliser():
    """One schema-default normaliser for the property tests (building one costs about 0.08 s)."""
    return Normaliser()


@pytest.fixture(scope="module")
def norm():
    return Normaliser(aliases=load_aliases("resources/aliases_mx_us.yaml"))


def test_inflected_forms_meet(norm):
    assert norm.tokens("operativos") == norm.tokens("operativo") == ["operativo"]
    assert norm.tokens("presiona") == norm.tokens("presionar") == norm.tokens("presionaron") == ["presionar"]
    assert norm.tokens("Los cárteles") == norm.tokens("el cártel") == ["cártel"]


def test_aliases_merge_spellings_of_one_actor(norm):
    for text in ("EE.UU.", "EE. UU.", "EEUU", "Estados Unidos", "los estados unidos", "E.U.A."):
        assert norm.tokens(text) == ["estados_unidos"], text
    for text in ("AMLO", "López Obrador", "Lopez Obrador", "Andrés Manuel López Obrador"):
        assert norm.tokens(text) == ["lopez_obrador"], text
    assert norm.tokens("La Guardia Nacional") == ["guardia_nacional"]
    assert norm.tokens("Claudia Sheinbaum Pardo") == ["claudia_sheinbaum"]
    assert norm.tokens("El gobierno usa drones") == ["gobierno", "usar", "dron"]  # "usa" is a verb


def test_stopwords_and_reporting_verbs_go(norm):
    text = "Dijo que, según afirmó, señaló, explicó e informó el lunes de marzo, además de que indicaron"
    assert norm.tokens(text) == []
    assert norm.tokens("Según la fiscalía, dijeron que el fentanilo llegó") == ["fiscalía", "fentanilo", "llegar"]


def test_accents_kept_by_default_and_stripped_on_request(norm):
    assert norm.tokens("La soberanía y la acción del pingüino") == ["soberanía", "acción", "pingüino"]
    bare = Normaliser(accents=False)
    assert bare.tokens("La soberanía y la acción del niño") == ["soberania", "accion", "niño"]
    assert fold_accents("Pingüino Ñandú") == "Pinguino Ñandu"


def test_names_are_not_lemmatized_as_verbs(norm):
    assert norm.tokens("Morelos y Guadalupe") == ["morelos", "guadalupe"]
    assert norm.tokens("Zacatecas") == ["zacatecas"]
    aliases = load_aliases("resources/aliases_mx_us.yaml")
    extra = Normaliser(stopwords=default_stopwords() | {"zacatecas", "lopez_obrador"}, aliases=aliases)
    assert extra.tokens("Zacatecas, AMLO y la Guardia Nacional") == ["guardia_nacional"]


def test_stemming_and_surface_forms():
    stem = Normaliser(method="stem")
    assert stem.tokens("operativos") == stem.tokens("operativo")
    assert stem.tokens("dijo") == []  # stopwords are matched on the lemma whatever the method
    assert Normaliser(method="none").tokens("Los operativos") == ["operativos"]


def test_numbers_short_tokens_and_markup():
    norm = Normaliser()
    assert norm.tokens("En 2024 llegaron 3.5 millones de dosis") == ["llegar", "millón", "dosis"]
    assert "2024" in Normaliser(keep_numbers=True).tokens("En 2024 llegaron")
    assert Normaliser(min_token_len=6).tokens("paz y seguridad") == ["seguridad"]
    text = '![Foto: Juan](http://i.imgur.com/a.jpg)<p style="x">Decomisan <b>fentanilo</b> [aquí](http://a.mx)</p>'
    assert norm.tokens(text) == ["decomisar", "fentanilo"]
    assert "imgur" not in blank_markup(text)


def test_stream_marks_breaks_and_keeps_connectors(norm):
    stream = norm.stream("La Secretaría de Salud, el lunes")
    assert stream == [BREAK, "secretaría", "de", "salud", BREAK, BREAK, BREAK]


def test_shipped_lists_are_versioned_lemmas():
    words = default_stopwords()
    assert {"decir", "afirmar", "señalar", "explicar", "informar", "según", "lunes", "marzo"} <= words
    assert "estado" not in words


def test_bad_alias_config_names_the_key():
    with pytest.raises(AliasError, match="canonical token"):
        load_aliases({"Estados Unidos!": ["eeuu"]})
    with pytest.raises(AliasError, match="not found"):
        load_aliases("no/such/aliases.yaml")
    with pytest.raises(AliasError, match="both"):
        Normaliser(aliases={"a_b": ["eu"], "c_d": ["eu"]})


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_tokens_are_clean_lowercase_words(text):
    norm = default_normaliser()
    for token in norm.tokens(text):
        assert token == token.lower() and len(token) >= 3 and " " not in token
        assert token not in norm.stopwords
