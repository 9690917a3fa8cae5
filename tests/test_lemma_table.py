"""simplemma's Spanish dictionary as a word-lemma table (rule ``cache_lemma_table``): same dictionary, same forms.

Runtime: ~3 s (decodes simplemma's dictionary twice and loads the file once).
"""

import pytest
from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

from scripts.preprocess.lemma_table import LemmaTableFactory, read_lemma_table, write_lemma_table
from scripts.preprocess.normalise import Normaliser

# inflected forms, verbs, names, words only the affix or clitic strategies resolve, unknown words
WORDS = ["operativos", "presiona", "dijo", "autoridades", "Morelos", "Chivas", "chivas", "Reyes", "dárselo",
         "exgobernador", "ex-gobernador", "narcomenudistas", "zacatecanos", "fentanilo", "T-MEC", "palabrainexistente"]


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("cache") / "lemmas_es.tsv"
    n_entries = write_lemma_table(path)
    return path, n_entries


def test_the_file_holds_simplemmas_dictionary(table):
    path, n_entries = table
    shipped = DefaultDictionaryFactory().get_dictionary("es")
    cached = LemmaTableFactory(path).get_dictionary("es")
    assert n_entries == len(shipped) == len(cached) > 800_000
    assert cached._dict == shipped._dict


def test_a_normaliser_reading_it_gives_the_same_forms(table):
    path, _ = table
    settings = dict(method="lemmatize", min_token_len=3, keep_numbers=False, accents=True, connector_words=frozenset({"de"}))
    default, cached = Normaliser(**settings), Normaliser(**settings, lemma_table=path)
    words = WORDS + [word.lower() for word in WORDS]
    assert [cached.stream_form(w) for w in words] == [default.stream_form(w) for w in words]
    assert [cached.name_form(w) for w in words] == [default.name_form(w) for w in words]
    assert cached.stream_form("operativos") == "operativo" and cached.stream_form("Morelos") == "morelos"


def test_only_spanish(table):
    with pytest.raises(ValueError, match="'es' dictionary, not 'fr'"):
        LemmaTableFactory(table[0]).get_dictionary("fr")


def test_the_normaliser_reads_its_lemmas_from_the_file(tmp_path):
    path = tmp_path / "lemmas_es.tsv"
    path.write_text("operativos\tdespliegue\nmorelos\tmorelense", encoding="utf-8")
    normaliser = Normaliser("lemmatize", 3, False, True, frozenset(), lemma_table=path)
    assert normaliser.stream_form("operativos") == "despliegue"  # simplemma's own: "operativo"
    assert normaliser.stream_form("Morelos") == "morelense"  # the dictionary-only lemmatizer of capitalised words


def test_a_file_that_is_not_a_table_is_refused(tmp_path):
    path = tmp_path / "lemmas_es.tsv"
    path.write_text("operativos\toperativo\nmorelos", encoding="utf-8")
    with pytest.raises(ValueError, match="not a table of word<TAB>lemma lines"):
        read_lemma_table(path)
