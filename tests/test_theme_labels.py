"""Theme display labels: both config forms validate, normalise to name -> words, and give one label each."""

import copy

import pandas as pd
import pytest
import yaml

from conftest import REPO
from scripts.settings.themes import display_label, split_themes, theme_labels
from scripts.settings.validation import ConfigError, check_config, config_problems
from scripts.themes.labels import labels_table, read_theme_labels

SCHEMA_PATH = REPO / "workflow" / "schemas" / "config.schema.yaml"
SCHEMA = yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))
SHIPPED = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))


def with_themes(themes) -> dict:
    config = copy.deepcopy(SHIPPED)
    config["themes"] = themes
    return config


def test_shipped_config_labels_every_demo_theme_and_check_config_keeps_words_only():
    words, labels = split_themes(SHIPPED["themes"])
    assert labels == {"seguridad_cooperacion": "Seguridad y cooperación", "fentanilo": "Fentanilo",
                      "soberania": "Soberanía", "economia": "Economía", "deportes": "Deportes"}
    checked = check_config(with_themes({**SHIPPED["themes"], "plano": ["gol"]}), SCHEMA_PATH)
    assert checked["themes"] == {**words, "plano": ["gol"]}  # what every stage reads
    assert all(isinstance(seeds, list) for seeds in checked["themes"].values())


@pytest.mark.parametrize("spec, expected", [
    ({"label": "Fentanilo"}, "config key themes.fentanilo.words: missing, it is required"),
    ({"lable": "F", "words": ["x"]}, 'config key themes.fentanilo.lable: unknown key (did you mean "label"?'),
    ({"label": "", "words": ["x"]}, "config key themes.fentanilo.label:"),
    ({"words": []}, "config key themes.fentanilo.words: [] should be non-empty"),
    ([], "config key themes.fentanilo: [] should be non-empty"),
    (5, "config key themes.fentanilo: 5 is not valid (allowed: a non-empty list of: a non-empty string or a mapping"),
])
def test_a_bad_theme_is_named_with_what_is_wrong(spec, expected):
    problems = config_problems(with_themes({"fentanilo": spec}), SCHEMA)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    with pytest.raises(ConfigError, match="themes.fentanilo"):
        check_config(with_themes({"fentanilo": spec}), SCHEMA_PATH)


def test_derived_label_restores_accents_from_seed_words_then_vocabulary():
    assert display_label("seguridad_cooperacion", ["cooperación", "seguridad"]) == "Seguridad cooperación"
    assert display_label("economia", ["cosecha"]) == "Economia"  # no evidence of the accent: the key as is
    assert display_label("economia", ["cosecha"], ["economía", "precio"]) == "Economía"
    # the theme's own seed words win over the vocabulary; ñ is a letter, not an accented n
    assert display_label("pena", ["pena"], ["peña"]) == "Pena"
    assert display_label("anos", [], ["años"]) == "Anos"
    assert display_label("migracion_y_politica", [], ["migración", "política", "y"]) == "Migración y política"


def test_configured_label_wins_and_table_round_trips(tmp_path):
    themes = {"economia": {"label": "La economía", "words": ["cosecha"]}, "soberania": ["soberanía"]}
    assert theme_labels(themes, vocabulary=["economía"]) == {"economia": "La economía", "soberania": "Soberanía"}
    words, labels = split_themes(themes)
    table = labels_table(words, labels, ["economía"])
    assert table.to_dict("records") == [{"theme": "economia", "label": "La economía", "configured": True},
                                        {"theme": "soberania", "label": "Soberanía", "configured": False}]
    table.to_csv(tmp_path / "labels.csv", index=False)
    assert read_theme_labels(tmp_path / "labels.csv") == {"economia": "La economía", "soberania": "Soberanía"}
    assert read_theme_labels(None) == {}


@pytest.mark.e2e
def test_workflow_writes_labels_and_shows_them(small_grid_run):
    run_dir, _ = small_grid_run
    table = pd.read_csv(run_dir / "results" / "themes" / "theme_labels.csv")
    labels = dict(zip(table["theme"], table["label"]))
    assert labels["seguridad_cooperacion"] == "Seguridad y cooperación" and labels["economia"] == "Economía"
    assert labels["sin_vocabulario"] == "Sin vocabulario"  # no label in the config: derived from the key
    # file names and table columns keep the keys
    assert (run_dir / "results" / "figures" / "themes" / "seguridad_cooperacion.png").exists()
    assert "seguridad_cooperacion" in set(pd.read_csv(run_dir / "results" / "themes" / "prevalence.csv")["theme"])
