"""Exact and near duplicates: the first copy stays, later copies are named."""

from scripts.ingest.dedupe import DuplicateFinder, exact_key, text_words
from scripts.settings import section


def finder_with(**changes) -> DuplicateFinder:
    """A finder with the schema's ``corpus.duplicates`` defaults and ``changes``."""
    duplicates = section("corpus", {"path": "x"})["duplicates"]
    settings = {"near_threshold": duplicates["threshold"], "num_perm": duplicates["num_perm"],
                "shingle_words": duplicates["shingle_words"], "seed": duplicates["seed"]}
    return DuplicateFinder(**{**settings, **changes})

STORY = ("El gobierno federal y la coordinadora magisterial acordaron una agenda de cuatro puntos para "
         "desahogar el pliego petitorio en la reunión del próximo miércoles en la Secretaría de Gobernación")


def test_exact_copy_differs_only_in_case_and_punctuation():
    assert exact_key(text_words(STORY)) == exact_key(text_words(STORY.upper() + " ..."))
    finder = finder_with(near_threshold=None)
    assert finder.check("a", STORY) is None
    assert finder.check("b", STORY.lower()) == ("exact_duplicate", "a")


def test_near_copy_is_found_and_different_story_is_not():
    finder = finder_with(near_threshold=0.8, shingle_words=3)
    assert finder.check("a", STORY) is None
    assert finder.check("b", STORY + " según informó la agencia") == ("near_duplicate", "a")
    other = "El equipo local ganó el partido del torneo de futbol con un gol en el último minuto del encuentro"
    assert finder.check("c", other) is None


def test_same_input_same_decisions():
    texts = [STORY, STORY + " hoy", "otra nota distinta sobre el clima en la sierra de zacatecas", STORY]
    runs = []
    for _ in range(2):
        finder = finder_with(near_threshold=0.7, shingle_words=2, seed=3)
        runs.append([finder.check(str(i), text) for i, text in enumerate(texts)])
    assert runs[0] == runs[1]
    assert runs[0][3] == ("exact_duplicate", "0")
