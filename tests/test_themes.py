"""Themes stage end to end: planted theme curves recovered at every K of a grid, in both methods.

One workflow run per method (K ∈ {6, 10, 15, 25}, one seed, the themes stage as target) on a
generated corpus whose themes follow known curves (rise, spike, step, seasonal, flat); every K's
models are then linked with the stage's own functions and compared with the realized truth.
Runtime: about 1-1.5 min per method on 2 shared cores.

Criteria: Pearson r >= 0.95 per planted shape; for the flat theme r is undefined (the truth only
varies by sampling noise, so r measures noise against noise), so its mean absolute error must be
at most 0.03 (3 points of share, against a level of about 0.15).
"""

import json

import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary
from gensim.models import LdaModel

from conftest import demo_config, run_workflow
from generate_corpus import generate_articles
from linking import link_topics, seed_term_ids, seeded_links, theme_weights
from prevalence import period_start
from stage_logging import UserInputError
from themes import model_paths, read_events

GRID = [6, 10, 15, 25]
STEP_MONTH = 18  # the generator's default: 60% of 30 months
THEME_OUTPUTS = [
    "results/themes/prevalence.csv", "results/themes/change_points.csv", "results/themes/drift.csv",
    "results/themes/topic_prevalence.csv", "results/themes/doc_themes.parquet",
    "results/themes/theme_topics.csv", "results/themes/prevalence_by_section.csv", "results/themes/events.csv",
]


@pytest.fixture(scope="module")
def planted():
    articles, truth = generate_articles(n_articles=900, start="2023-01-01", n_months=30, seed=42)
    articles = articles.assign(section=np.where(np.arange(len(articles)) % 3 == 0, "nacional", "estados"))
    return articles, truth


def _run(tmp_path_factory, planted, method):
    articles, truth = planted
    run_dir = tmp_path_factory.mktemp(f"themes_{method}")
    articles.drop(columns="main_theme").to_csv(run_dir / "articles.csv", index=False)
    (run_dir / "events.csv").write_text("date,label\n2024-07-15,Paso planeado\n2023-03-01,Inicio\n", encoding="utf-8")
    config = demo_config("articles.csv", theme_method=method)
    config["corpus"].update({"format": "csv", "keep_columns": ["section"]})
    config["model"].update({"k": GRID, "seeds": [1], "passes": 6})
    config["time"].update({"n_boot": 200, "by": "section", "events": "events.csv"})
    run_workflow(run_dir, config, *THEME_OUTPUTS)
    return run_dir, config, truth


@pytest.fixture(scope="module")
def mapped_run(tmp_path_factory, planted):
    return _run(tmp_path_factory, planted, "mapped")


@pytest.fixture(scope="module")
def seeded_run(tmp_path_factory, planted):
    return _run(tmp_path_factory, planted, "seeded")


def recovery_by_k(run_dir, config, truth) -> pd.DataFrame:
    """For every K of the grid: per theme, r (planted shapes) or MAE (flat) of the monthly curve."""
    themes = list(config["themes"])
    dictionary = Dictionary.load(str(run_dir / "results/corpus/dictionary.gensim"))
    term_ids = seed_term_ids(pd.read_csv(run_dir / "results/corpus/seed_words.csv"), dictionary.token2id, themes)
    tokens = pd.read_parquet(run_dir / "results/corpus/tokens.parquet", columns=["doc_id", "date", "tokens"])
    n_tokens = tokens["tokens"].map(len).to_numpy(dtype=float)
    periods = period_start(tokens["date"], "month").dt.date.astype(str).to_numpy()
    link = seeded_links if config["theme_method"] == "seeded" else link_topics
    rows = []
    for k in config["model"]["k"]:
        seed = config["model"]["seeds"][0]
        model = LdaModel.load(str(run_dir / f"results/models/k{k}/seed{seed}/lda.gensim"))
        doc_topic = pd.read_parquet(run_dir / f"results/models/k{k}/seed{seed}/doc_topics.parquet").filter(like="topic_")
        doc_topic = doc_topic.to_numpy()
        links = link(model.get_topics(), term_ids, (n_tokens / n_tokens.sum()) @ doc_topic)
        shares = pd.DataFrame(doc_topic @ theme_weights(links, themes, k), columns=themes).assign(period=periods)
        estimate = shares.groupby("period").mean().reset_index().melt("period", var_name="theme", value_name="estimate")
        merged = estimate.merge(truth, on=["period", "theme"])
        for theme, series in merged.groupby("theme"):
            shape = series["shape"].iloc[0]
            r = np.corrcoef(series["estimate"], series["prevalence"])[0, 1]
            mae = np.abs(series["estimate"] - series["prevalence"]).mean()
            rows.append((k, theme, shape, r, mae))
    return pd.DataFrame(rows, columns=["k", "theme", "shape", "r", "mae"])


def assert_recovered(table: pd.DataFrame) -> None:
    assert set(table["k"]) == set(GRID)
    failures = []
    for row in table.itertuples():
        if row.shape == "flat" and row.mae > 0.03:
            failures.append(f"K={row.k} {row.theme} (flat): MAE {row.mae:.3f}")
        if row.shape != "flat" and row.r < 0.95:
            failures.append(f"K={row.k} {row.theme} ({row.shape}): r {row.r:.3f}")
    assert not failures, "; ".join(failures)


@pytest.mark.e2e
def test_mapped_themes_are_recovered_at_every_k(mapped_run):
    assert_recovered(recovery_by_k(*mapped_run))


@pytest.mark.e2e
def test_seeded_themes_are_recovered_at_every_k(seeded_run):
    run_dir, config, truth = seeded_run
    assert_recovered(recovery_by_k(*seeded_run))
    links = pd.read_csv(run_dir / "results/themes/theme_topics.csv")
    for i, theme in enumerate(config["themes"]):
        assert i in set(links.loc[links["theme"] == theme, "topic"]), theme
    assert (links["weight"] <= 1).all()


@pytest.mark.e2e
@pytest.mark.parametrize("method", ["mapped", "seeded"])
def test_planted_step_is_a_change_point_within_one_period(method, request):
    run_dir, _, truth = request.getfixturevalue(f"{method}_run")
    points = pd.read_csv(run_dir / "results/themes/change_points.csv")
    assert list(points.columns[:4]) == ["theme", "period", "before", "after"]
    assert {"confidence", "date_low", "date_high"} <= set(points.columns)
    assert points["confidence"].between(0, 1).all()
    assert ((points["date_low"] <= points["period"]) & (points["period"] <= points["date_high"])).all()
    step_theme = truth.loc[truth["shape"] == "step", "theme"].iloc[0]
    months = sorted(truth["period"].unique())
    found = [months.index(p) for p in points.loc[points["theme"] == step_theme, "period"]]
    assert any(abs(index - STEP_MONTH) <= 1 for index in found), f"{step_theme}: {found}"
    rise = points[(points["theme"] == step_theme) & (points["after"] > points["before"] + 0.15)]
    assert len(rise) == 1


@pytest.mark.e2e
def test_chosen_model_tables_follow_the_contracts(mapped_run):
    run_dir, config, truth = mapped_run
    prevalence = pd.read_csv(run_dir / "results/themes/prevalence.csv")
    assert list(prevalence.columns[:7]) == ["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs", "low_n"]
    assert {"se", "n_clusters", "point_outside_ci"} <= set(prevalence.columns)
    outside = (prevalence["prevalence"] < prevalence["ci_low"]) | (prevalence["prevalence"] > prevalence["ci_high"])
    assert (prevalence["point_outside_ci"] == outside).all()  # no clamp: the flag reports what the interval does
    assert outside.mean() <= 0.02
    assert (prevalence["ci_high"] > prevalence["ci_low"]).mean() > 0.95
    assert set(prevalence["theme"]) == set(config["themes"])
    assert prevalence.groupby("theme").size().eq(30).all()
    selection = json.loads((run_dir / "results/evaluation/selection.json").read_text())
    links = pd.read_csv(run_dir / "results/themes/theme_topics.csv")
    assert {"theme", "topic", "seed_mass", "lift", "weight"} <= set(links.columns)
    assert links["topic"].between(0, selection["k"] - 1).all()
    assert links.groupby("topic")["weight"].sum().le(1 + 1e-9).all()
    doc_themes = pd.read_parquet(run_dir / "results/themes/doc_themes.parquet")
    assert list(doc_themes.columns) == ["doc_id", "date", *config["themes"]]
    topics = pd.read_csv(run_dir / "results/themes/topic_prevalence.csv")
    assert list(topics.columns) == ["period", "topic", "prevalence", "n_docs"]
    assert np.allclose(topics.groupby("period")["prevalence"].sum(), 1.0)
    drift = pd.read_csv(run_dir / "results/themes/drift.csv")
    assert list(drift.columns) == ["theme", "period", "rank", "term", "weight"]
    fentanyl_terms = set(drift.loc[drift["theme"] == "fentanilo", "term"])
    assert any("fentanilo" in term or "opioide" in term for term in fentanyl_terms)
    by_section = pd.read_csv(run_dir / "results/themes/prevalence_by_section.csv")
    assert list(by_section.columns[:8]) == ["group", "period", "theme", "prevalence", "ci_low", "ci_high", "n_docs", "low_n"]
    assert set(by_section["group"]) == {"nacional", "estados"}
    events = pd.read_csv(run_dir / "results/themes/events.csv")
    assert events["date"].tolist() == ["2023-03-01", "2024-07-15"]


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


def test_model_paths_pick_the_seeds_of_one_k():
    paths = ["results/models/k10/seed1/lda.gensim", "results/models/k1/seed0/lda.gensim",
             "results/models/k10/seed3/lda.gensim"]
    assert model_paths(paths, 10) == {1: paths[0], 3: paths[2]}


@pytest.mark.e2e
def test_seeded_k_smaller_than_the_themes_is_a_config_error(tmp_path, small_articles):
    from generate_corpus import write_txt_folder

    articles, _ = small_articles
    write_txt_folder(articles.head(120), tmp_path / "articles")
    config = demo_config("articles", theme_method="seeded")
    config["model"].update({"k": [3, 6], "seeds": [1], "passes": 1})
    process = run_workflow(tmp_path, config, "results/models/k3/seed1/lda.gensim", check=False)
    assert process.returncode != 0
    assert "model.k" in process.stderr and "Traceback" not in process.stderr


def test_segments_are_clustered_by_parent_and_only_needed_columns_are_read(tmp_path):
    from themes import parent_clusters, read_documents

    path = tmp_path / "documents.parquet"
    pd.DataFrame({"doc_id": ["a#1", "a#2", "b", "c#1"], "parent_id": ["a", "a", "b", "c"], "text": ["x"] * 4,
                  "source": ["s1", "s1", "s2", "s2"]}).to_parquet(path, index=False)
    documents = read_documents(str(path), ["b", "a#1", "a#2"], ["source"])
    assert list(documents.columns) == ["parent_id", "source"] and "text" in documents.attrs["available"]
    assert parent_clusters(documents).tolist() == ["b", "a", "a"]
    assert parent_clusters(documents.loc[["b", "a#1"]]) is None  # one segment per parent: plain bootstrap
