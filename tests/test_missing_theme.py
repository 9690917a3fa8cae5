"""A theme whose seed words are all out of vocabulary: the run completes, and the theme is reported
as missing by name (a warning in the logs, ``in_vocabulary`` False in seed_words.csv), never
tracked as if it had been found."""

import pandas as pd
import pytest

from conftest import MISSING_THEME, run_workflow, small_grid_sandbox
from scripts.settings import section

#: ``linking.min_lift`` and ``linking.min_relative`` as the schema fills them in
LINKING = (section("linking")["min_lift"], section("linking")["min_relative"])


def check_reported_missing(run_dir, config, report: bool = True):
    seed_words = pd.read_csv(run_dir / "results/corpus/seed_words.csv")
    rows = seed_words[seed_words["theme"] == MISSING_THEME]
    assert list(rows["seed_word"]) == config["themes"][MISSING_THEME]
    assert not rows["in_vocabulary"].any()
    assert seed_words[seed_words["theme"] != MISSING_THEME]["in_vocabulary"].any()

    warnings = [line for log in (run_dir / "logs").rglob("*.log")
                for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                if "WARNING" in line and MISSING_THEME in line]
    assert any("vocabulary" in line for line in warnings), "no warning names the missing theme"

    prevalence = pd.read_csv(run_dir / "results/themes/prevalence.csv")
    found = set(config["themes"]) - {MISSING_THEME}
    assert MISSING_THEME not in set(prevalence["theme"]), "a theme without seed words got a curve"
    assert found <= set(prevalence["theme"])
    links = pd.read_csv(run_dir / "results/themes/theme_topics.csv")
    assert MISSING_THEME not in set(links["theme"])
    if report:
        text = (run_dir / "results/report/report.md").read_text(encoding="utf-8")
        assert "| Sin vocabulario ⚠" in text  # shown by its label (derived from the key: no label configured)


@pytest.mark.e2e
def test_theme_without_vocabulary_is_reported_missing_default(small_grid_run):
    # the default theme_method (guided) with every K below the number of themes: plain fits
    run_dir, config = small_grid_run
    assert config["theme_method"] == "guided"
    check_reported_missing(run_dir, config)


@pytest.mark.e2e
def test_theme_without_vocabulary_is_reported_missing_seeded(tmp_path, small_articles):
    # seeded fits give every theme a topic of its own: the empty one must not break the prior
    run_dir, config = small_grid_sandbox(tmp_path, small_articles[0].head(300))
    config["theme_method"] = "seeded"
    config["model"].update({"k": [len(config["themes"])], "seeds": [1]})
    # what this test checks needs no effects, groups or change-point replicates (the shared run has them)
    config.pop("effects")
    config["time"].update({"n_boot": 100, "by": None, "change_points": {"n_boot": 0}})
    # up to the themes tables: the report's handling of the theme is checked on the shared run
    run_workflow(run_dir, config, "results/themes/theme_topics.csv", "results/themes/prevalence.csv")
    check_reported_missing(run_dir, config, report=False)
    links = pd.read_csv(run_dir / "results/themes/theme_topics.csv")
    for i, theme in enumerate(config["themes"]):  # topic i is the i-th theme's own
        if theme != MISSING_THEME:
            assert i in set(links.loc[links["theme"] == theme, "topic"]), theme
    assert links["weight"].between(0, 1).all()


def test_seeded_links_skip_a_theme_without_seed_words():
    import numpy as np
    from scripts.themes.linking import seeded_links

    topic_term = np.array([[0.5, 0.5, 0.0], [0.3, 0.3, 0.4], [0.0, 0.0, 1.0]])
    links = seeded_links(topic_term, {"a": [0], "vacio": [], "c": [2]}, np.ones(3), *LINKING)
    assert "vacio" not in set(links["theme"])
    assert set(zip(links["theme"], links["topic"])) >= {("a", 0), ("c", 2)}
