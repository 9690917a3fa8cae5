"""Proper names kept out of lemmatisation (scripts.preprocess.names), on Spanish sentences built here.

Runtime: ~4 s (simplemma's dictionary is loaded once; one run of the stage on 40 short documents).
"""

import pandas as pd
import pytest

from scripts.preprocess.names import CaseEvidence, resolved_forms
from scripts.preprocess.pipeline import make_normaliser, normaliser_settings, run_preprocess
from scripts.settings import section


@pytest.fixture(scope="module")
def normaliser():
    return make_normaliser(normaliser_settings(section("preprocess", {})))


def forms_of(normaliser, texts):
    """Normal form of each raw token, with the names decided on ``texts`` as a corpus."""
    raws = [" ".join(normaliser.words(text)) for text in texts]
    evidence = CaseEvidence.from_token_strings(raws)
    return evidence, resolved_forms(normaliser, evidence)


def test_a_club_name_is_not_lemmatised_into_a_verb(normaliser):
    assert normaliser.stream_form("chivas") == "chivar"  # what plain lemmatisation does
    evidence, forms = forms_of(normaliser, ["Las Chivas ganaron. Chivas volvió a ganar."])
    assert evidence.proper_names() >= {"chivas"}
    assert forms["Chivas"] == "chivas"  # mid-sentence and sentence-initial alike
    assert evidence.initial["Chivas"] == 1 and evidence.counts["Chivas"] == 2


def test_a_surname_stays_and_the_lowercase_word_keeps_its_lemma(normaliser):
    texts = ["El delantero Santos anotó.", "Habló con Santos ayer.", "La fiesta de todos los santos."]
    evidence, forms = forms_of(normaliser, texts)
    assert "santos" in evidence.proper_names()
    assert forms["Santos"] == "santos"
    assert forms["santos"] == "santo"


def test_a_word_mostly_lowercase_is_lemmatised_even_when_capitalised(normaliser):
    # a title-case headline and a sentence start do not make "operativos" a name
    texts = ["Llegan Operativos a la sierra", "Los operativos siguen.", "Suspenden los operativos.",
             "Operativos en la sierra."]
    evidence, forms = forms_of(normaliser, texts)
    assert "operativos" not in evidence.proper_names()
    assert forms["Operativos"] == forms["operativos"] == "operativo"


def test_a_sentence_start_alone_is_no_evidence(normaliser):
    evidence, forms = forms_of(normaliser, ["Morelos ganó.", "Hoy llegó. Morelos perdió."])
    assert evidence.word_case()[0]["morelos"] == 0 and "morelos" not in evidence.proper_names()
    assert forms["Morelos"] == normaliser.stream_form("Morelos") == "morelos"  # dictionary lemmas only


def test_opening_punctuation_starts_a_sentence():
    evidence = CaseEvidence.from_token_strings(["dijo : « Nadie sabe »", "¿ Quién llegó ?", "( Reforma ) y Reforma"])
    assert evidence.initial == {"dijo": 1, "«": 1, "Nadie": 1, "¿": 1, "Quién": 1, "(": 1, "Reforma": 1}


def test_stopwords_and_aliases_stay_as_they_were(normaliser):
    evidence, forms = forms_of(normaliser, ["Vive en Los Ángeles y en EE.UU. con Sheinbaum", "La Paz"])
    assert forms["Los"] == "" and forms["La"] == ""  # stopwords even when capitalised mid-sentence
    assert forms["estados_unidos"] == "estados_unidos" and forms["claudia_sheinbaum"] == "claudia_sheinbaum"


def test_the_stage_keeps_names_and_seed_words_still_match(tmp_path):
    moved = ["llegó", "cruzó", "entró", "circuló", "pasó", "volvió", "siguió", "subió"]
    verbs = ["ganaron", "perdieron", "empataron", "jugaron", "viajaron", "entrenaron", "golearon", "cayeron"]
    sentences = ("Ayer las Chivas {verb} el clásico. Chivas {verb} en casa. El fentanilo {moved} "
                 "a la frontera y la crisis de opioides creció. Fentanilo decomisado en Sinaloa.")
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)],
                          "date": pd.date_range("2024-01-01", periods=40, freq="D"),
                          "title": [f"Nota {i}" for i in range(40)],
                          "text": [sentences.format(verb=verbs[i % 8], moved=moved[i % 8]) for i in range(40)]})
    documents = tmp_path / "documents.parquet"
    frame.to_parquet(documents, index=False)
    names = ("tokens.parquet", "dictionary.gensim", "train.mm", "heldout.mm", "vocabulary.csv", "seed_words.csv",
             "phrases.csv", "surface_forms.csv", "name_forms.csv")
    outputs = {name.split(".")[0]: tmp_path / name for name in names}
    settings = section("preprocess", {"no_below": 1, "no_above": 1.0, "phrases": {"min_count": 10}})
    themes = {"fentanilo": ["fentanilo", "opioides"], "futbol": ["Chivas"]}
    run_preprocess(documents, outputs, settings, themes)
    tokens = pd.read_parquet(outputs["tokens"])
    vocabulary = set(tokens["tokens"].explode())
    assert "chivas" in vocabulary and "chivar" not in vocabulary
    seeds = pd.read_csv(outputs["seed_words"], keep_default_na=False)
    assert seeds["in_vocabulary"].all(), seeds
    assert set(seeds["term"]) >= {"fentanilo", "chivas"}
    surfaces = pd.read_csv(outputs["surface_forms"], keep_default_na=False).set_index("term")["surface"]
    assert surfaces["chivas"] == "Chivas" and surfaces["fentanilo"] == "fentanilo"
    assert surfaces["crisis_de_opioide"] == "crisis de opioides"
