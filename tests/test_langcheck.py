"""Language check: foreign documents are named, short or Spanish texts are kept."""

from scripts.ingest.langcheck import LanguageCheck
from scripts.settings import section


def check_with(**changes) -> LanguageCheck:
    """A check with the schema's ``corpus.language`` defaults and ``changes``."""
    language = {k: v for k, v in section("corpus", {"path": "x"})["language"].items() if k != "check"}
    return LanguageCheck(**{**language, **changes})

SPANISH = ("La presidenta informó que el gobierno de México mantendrá la cooperación en seguridad con "
           "Estados Unidos, pero sin subordinación y con respeto a la soberanía nacional.")
ENGLISH = ("The president said that the government of Mexico will keep its security cooperation with the "
           "United States, without subordination and with respect for national sovereignty.")
PORTUGUESE = ("O governo brasileiro anunciou hoje um novo programa de investimentos em infraestrutura para "
              "as regiões mais pobres do país, com foco em saneamento básico e transporte público.")


def test_foreign_languages_are_detected():
    check = check_with(min_words=10)
    assert check.foreign_language(SPANISH) is None
    assert check.foreign_language(ENGLISH)[0] == "en"
    assert check.foreign_language(PORTUGUESE)[0] == "pt"


def test_short_texts_and_kept_languages_are_not_judged():
    assert check_with(min_words=50).foreign_language(ENGLISH) is None
    assert check_with(keep=("es", "en"), min_words=5).foreign_language(ENGLISH) is None
