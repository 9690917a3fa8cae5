"""Alias loading and matching (runtime: < 1 s)."""

import re

import pytest
from hypothesis import given, settings, strategies as st

from scripts.preprocess.aliases import AliasError, AliasReplacer, load_aliases, resolve_alias_path
from scripts.preprocess.normalise import TOKEN_PATTERN

tokenize = re.compile(TOKEN_PATTERN).findall


def test_shipped_file_loads_sorted_and_lowercase():
    aliases = load_aliases("resources/aliases_mx_us.yaml")
    assert list(aliases) == sorted(aliases)
    assert {"estados_unidos", "lopez_obrador", "guardia_nacional", "claudia_sheinbaum"} <= set(aliases)
    assert "usa" not in aliases["estados_unidos"]  # "usa" is a Spanish verb
    assert resolve_alias_path("resources/aliases_mx_us.yaml").is_file()


def test_longest_spelling_wins_and_case_accents_are_ignored():
    replacer = AliasReplacer({"lopez_obrador": ["lópez obrador", "andrés manuel lópez obrador"],
                              "estados_unidos": ["ee.uu.", "estados unidos"]}, tokenize)
    words = tokenize("ANDRES MANUEL LOPEZ OBRADOR viajó a EE. UU. y Lopez   Obrador no.")
    assert replacer.replace_tokens(words) == ["lopez_obrador", "viajó", "a", "estados_unidos", ".", "y",
                                              "lopez_obrador", "no", "."]


def test_config_mapping_errors_name_the_problem(tmp_path):
    assert load_aliases(None) == {} and load_aliases({}) == {}
    with pytest.raises(AliasError, match="list of non-empty spellings"):
        load_aliases({"eeuu": [""]})
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [b\n", encoding="utf-8")
    with pytest.raises(AliasError, match="not valid YAML"):
        load_aliases(str(bad))
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n", encoding="utf-8")
    with pytest.raises(AliasError, match="expected a mapping"):
        load_aliases(str(listing))


def naive_replace(words):
    """Reference: left to right, longest of ``ee . uu`` / ``estados unidos`` / ``eeuu`` first."""
    lower, out, i = [w.lower() for w in words], [], 0
    while i < len(words):
        if lower[i:i + 3] == ["ee", ".", "uu"]:
            out.append("estados_unidos")
            i += 3
        elif lower[i:i + 2] == ["estados", "unidos"]:
            out.append("estados_unidos")
            i += 2
        elif lower[i] == "eeuu":
            out.append("estados_unidos")
            i += 1
        else:
            out.append(words[i])
            i += 1
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["EE", "ee", ".", "UU", "Estados", "unidos", "EEUU", "de", "x", ","]), max_size=30))
def test_replacement_equals_a_naive_scan(words):
    replacer = AliasReplacer({"estados_unidos": ["ee.uu.", "estados unidos", "eeuu"]}, tokenize)
    assert replacer.replace_tokens(words) == naive_replace(words)
