"""Themes stage: events file errors, model paths of one K, and config errors of seeded fits.

Curves recovered at every K of a grid, in every method: tests/test_theme_recovery.py (gensim fitted
in the test, on a hard generated corpus). The stage's tables on a real workflow run, the planted
curves and the planted step: tests/test_e2e.py (the shared run).
"""

import pandas as pd
import pytest

from conftest import demo_config, run_workflow
from scripts.logs import UserInputError
from scripts.themes.pipeline import read_events, seed_models


def test_events_file_errors_name_the_key_and_row(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("date,label\n2025-02-03,ok\n03/02/2025,bad\n", encoding="utf-8")
    with pytest.raises(UserInputError, match=r"time.events: .* row 3"):
        read_events(str(path))
    path.write_text("fecha,label\n2025-02-03,ok\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="time.events: .*date"):
        read_events(str(path))
    with pytest.raises(UserInputError, match="time.events"):
        read_events(str(tmp_path / "absent.csv"))


def test_seed_models_pick_the_seeds_of_one_k():
    grid = [{"k": 10, "seed": 3, "model": "a"}, {"k": 1, "seed": 0, "model": "b"}, {"k": 10, "seed": 1, "model": "c"}]
    assert seed_models(grid, 10) == {1: grid[2], 3: grid[0]}


@pytest.mark.e2e
def test_seeded_k_smaller_than_the_themes_is_a_config_error(tmp_path, small_articles):
    from scripts.demo.generate import write_txt_folder

    articles, _ = small_articles
    write_txt_folder(articles.head(120), tmp_path / "articles")
    config = demo_config("articles", theme_method="seeded")
    config["model"].update({"k": [3, 6], "seeds": [1], "passes": 1})
    process = run_workflow(tmp_path, config, "results/models/k3/seed1/lda.gensim", check=False)
    assert process.returncode != 0
    assert "model.k" in process.stderr and "Traceback" not in process.stderr


def test_segments_are_clustered_by_parent_and_only_needed_columns_are_read(tmp_path):
    from scripts.themes.pipeline import parent_clusters, read_documents

    path = tmp_path / "documents.parquet"
    pd.DataFrame({"doc_id": ["a#1", "a#2", "b", "c#1"], "parent_id": ["a", "a", "b", "c"], "text": ["x"] * 4,
                  "source": ["s1", "s1", "s2", "s2"]}).to_parquet(path, index=False)
    documents = read_documents(str(path), ["b", "a#1", "a#2"], ["source"])
    assert list(documents.columns) == ["parent_id", "source"] and "text" in documents.attrs["available"]
    assert parent_clusters(documents).tolist() == ["b", "a", "a"]
    assert parent_clusters(documents.loc[["b", "a#1"]]) is None  # one segment per parent: plain bootstrap
