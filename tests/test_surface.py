"""Surface forms of terms (scripts.preprocess.surface) and their display (scripts.text.display.surface_term)."""

from collections import Counter

import pandas as pd

from scripts.preprocess.names import CaseEvidence
from scripts.preprocess.surface import (
    alias_spellings, choose_surface, count_phrase_surfaces, phrase_occurrences, surface_table, unigram_surfaces,
)
from scripts.text.display import read_surface_forms, surface_term


def test_the_most_frequent_lowercase_form_wins_with_its_accents():
    counts = {"artística": 6, "artístico": 4, "Artística": 1, "artistica": 2}
    assert choose_surface(counts, counts) == ("artística", 7)


def test_capitalised_only_when_mid_sentence_occurrences_are_mostly_capitalised():
    # sentence starts (absent from case_counts) do not make a word capitalised
    assert choose_surface({"Crisis": 9, "crisis": 3}, {"Crisis": 1, "crisis": 3}) == ("crisis", 12)
    assert choose_surface({"Chivas": 4, "chivas": 1}, {"Chivas": 3, "chivas": 1}) == ("Chivas", 5)
    assert choose_surface({"PRI": 5, "Pri": 1, "pri": 1}, {"PRI": 5, "Pri": 1, "pri": 1}) == ("PRI", 7)


def test_ties_are_broken_alphabetically_whatever_the_order():
    for counts in ({"opioides": 2, "opioide": 2}, {"opioide": 2, "opioides": 2}):
        assert choose_surface(counts, counts) == ("opioide", 2)
    for counts in ({"Sáenz": 2, "SÁENZ": 2, "sáenz": 1}, {"sáenz": 1, "SÁENZ": 2, "Sáenz": 2}):
        assert choose_surface(counts, counts) == ("SÁENZ", 5)


def test_a_phrase_reads_as_the_words_it_came_from_connectors_included():
    raw = "Ayer la crisis de opioides y la Secretaría de Salud . Crisis de opioides".split(" ")
    stream = " ".join(["", "", "crisis", "de", "opioide", "", "", "secretaría", "de", "salud", "", "crisis", "de", "opioide"])
    joined = stream.replace("crisis de opioide", "crisis_de_opioide").replace("secretaría de salud", "secretaría_de_salud")
    assert len(raw) == len(stream.split(" ")) and len(stream) == len(joined)
    assert list(phrase_occurrences(stream, joined, raw)) == [
        ("crisis_de_opioide", "crisis de opioides", False),
        ("secretaría_de_salud", "Secretaría de Salud", False),
        ("crisis_de_opioide", "Crisis de opioides", True),
    ]
    counts, mid = count_phrase_surfaces([(stream, joined, " ".join(raw))])
    table = surface_table(["crisis_de_opioide", "secretaría_de_salud"], {}, counts, mid)
    assert table.values.tolist() == [["crisis_de_opioide", "crisis de opioides", 2],
                                     ["secretaría_de_salud", "Secretaría de Salud", 1]]


def test_an_alias_inside_or_alone_is_not_split_and_reads_with_spaces():
    raw = ["gobierno", "de", "estados_unidos", "y", "estados_unidos"]
    stream = "gobierno de estados_unidos  estados_unidos"
    joined = "gobierno_de_estados_unidos  estados_unidos"
    assert list(phrase_occurrences(stream, joined, raw)) == [
        ("gobierno_de_estados_unidos", "gobierno de estados_unidos", True)]
    evidence = CaseEvidence.from_token_strings([" ".join(raw)])
    forms = {"estados_unidos": "estados_unidos", "gobierno": "gobierno"}
    counts, mid = count_phrase_surfaces([(stream, joined, " ".join(raw))])
    table = surface_table(["estados_unidos", "gobierno_de_estados_unidos"], unigram_surfaces(evidence, forms, forms),
                          counts, mid)
    assert table["surface"].tolist() == ["estados unidos", "gobierno de estados unidos"]
    spelled = alias_spellings({"estados_unidos": ["eeuu", "estados unidos"], "lopez_obrador": ["amlo", "lópez obrador"]})
    table = surface_table(["lopez_obrador", "gobierno_de_lopez_obrador"], {"lopez_obrador": ({"lopez_obrador": 3}, {})},
                          Counter({("gobierno_de_lopez_obrador", "gobierno de lopez_obrador"): 2}), Counter(), spelled)
    assert table["surface"].tolist() == ["gobierno de lópez obrador", "lópez obrador"]


def test_unigram_surfaces_gather_every_raw_token_of_a_lemma():
    evidence = CaseEvidence.from_token_strings(["Las empresas exportadoras y la empresa exportadora",
                                               "otra empresa exportadora"])
    forms = {"empresas": "empresa", "empresa": "empresa", "exportadoras": "exportador", "exportadora": "exportador"}
    table = surface_table(["empresa", "exportador", "nunca_visto"], unigram_surfaces(evidence, forms, set(forms.values())),
                          Counter(), Counter())
    assert table.values.tolist() == [["empresa", "empresa", 2], ["exportador", "exportadora", 2],
                                     ["nunca_visto", "nunca visto", 0]]


def test_surface_term_falls_back_to_the_readable_term(tmp_path):
    path = tmp_path / "surface_forms.csv"
    pd.DataFrame({"term": ["chivas", "crisis_de_opioide"], "surface": ["Chivas", "crisis de opioides"],
                  "count": [5, 3]}).to_csv(path, index=False)
    forms = read_surface_forms(path)
    assert surface_term("chivas", forms) == "Chivas"
    assert surface_term("crisis_de_opioide", forms) == "crisis de opioides"
    assert surface_term("guardia_nacional", forms) == "guardia nacional"
    assert surface_term("guardia_nacional", None) == "guardia nacional"
