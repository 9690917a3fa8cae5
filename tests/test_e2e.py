"""End to end: the real workflow, run once by Snakemake from another directory on a generated
CSV corpus (the shared run of ``conftest.small_grid_run``), its outputs checked by content."""

import json

import numpy as np
import pandas as pd
import pytest
from gensim.models import LdaModel

from conftest import BAD_ROWS

PLANTED_SHAPES = ("rise", "spike", "step", "seasonal")


@pytest.fixture(scope="module")
def finished_run(small_grid_run, small_articles):
    run_dir, config = small_grid_run
    articles, truth = small_articles
    return run_dir, config, articles, truth


@pytest.mark.e2e
def test_documents_are_counted_and_rejections_listed(finished_run):
    run_dir, _, articles, _ = finished_run
    summary = json.loads((run_dir / "results/ingest/summary.json").read_text())
    rejected = pd.read_csv(run_dir / "results/ingest/rejected.csv")
    documents = pd.read_parquet(run_dir / "results/ingest/documents.parquet")
    assert summary["n_read"] == len(articles) + len(BAD_ROWS)
    assert summary["n_kept"] == len(documents) == len(articles)
    assert summary["n_kept"] + summary["n_rejected"] == summary["n_read"]
    assert set(rejected["source_file"]) == {"articles.csv"}
    assert sorted(rejected["reason"]) == sorted(BAD_ROWS)


@pytest.mark.e2e
def test_every_grid_model_is_written_and_scored(finished_run):
    run_dir, config, _, _ = finished_run
    table = pd.read_csv(run_dir / "results/evaluation/model_selection.csv")
    grid = {(k, s) for k in config["model"]["k"] for s in config["model"]["seeds"]}
    assert set(zip(table["k"], table["seed"])) == grid
    assert {"npmi", "umass"} <= set(table.columns)
    for k, seed in grid:
        doc_topics = pd.read_parquet(run_dir / f"results/models/k{k}/seed{seed}/doc_topics.parquet")
        assert doc_topics.shape[1] == k + 2
        assert np.allclose(doc_topics.filter(like="topic_").sum(axis=1), 1.0)
        # trained with model.iterations per pass, saved to infer with model.inference_iterations
        log = (run_dir / f"logs/fit_lda/k{k}_seed{seed}.log").read_text(encoding="utf-8")
        assert f"iterations={config['model']['iterations']}, inference_iterations=" in log
        saved = LdaModel.load(str(run_dir / f"results/models/k{k}/seed{seed}/lda.gensim"))
        assert saved.iterations == config["model"]["inference_iterations"] != config["model"]["iterations"]
    selection = json.loads((run_dir / "results/evaluation/selection.json").read_text())
    assert (selection["k"], selection["seed"]) in grid


@pytest.mark.e2e
def test_recovered_theme_curves_follow_the_planted_ones(finished_run):
    run_dir, _, _, truth = finished_run
    prevalence = pd.read_csv(run_dir / "results/themes/prevalence.csv")
    assert list(prevalence.columns[:6]) == ["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs"]
    outside = (prevalence["prevalence"] < prevalence["ci_low"]) | (prevalence["prevalence"] > prevalence["ci_high"])
    assert (prevalence["point_outside_ci"] == outside).all() and outside.mean() <= 0.02
    assert (prevalence["ci_high"] > prevalence["ci_low"]).mean() > 0.95
    merged = prevalence.merge(truth, on=["period", "theme"], suffixes=("", "_true"))
    assert set(merged.loc[merged["shape"].isin(PLANTED_SHAPES), "shape"]) == set(PLANTED_SHAPES)
    for theme, rows in merged[merged["shape"].isin(PLANTED_SHAPES)].groupby("theme"):
        r = np.corrcoef(rows["prevalence"], rows["prevalence_true"])[0, 1]
        assert r >= 0.9, f"{theme}: r = {r:.3f}"


@pytest.mark.e2e
def test_theme_tables_follow_the_contracts(finished_run):
    run_dir, config, _, truth = finished_run
    found = [theme for theme in config["themes"] if theme != "sin_vocabulario"]
    n_periods = truth["period"].nunique()
    prevalence = pd.read_csv(run_dir / "results/themes/prevalence.csv")
    assert set(prevalence["theme"]) == set(found)
    assert prevalence.groupby("theme").size().eq(n_periods).all()
    selection = json.loads((run_dir / "results/evaluation/selection.json").read_text())
    links = pd.read_csv(run_dir / "results/themes/theme_topics.csv")
    assert {"theme", "topic", "seed_mass", "lift", "weight"} <= set(links.columns)
    assert links["topic"].between(0, selection["k"] - 1).all()
    doc_themes = pd.read_parquet(run_dir / "results/themes/doc_themes.parquet")
    assert list(doc_themes.columns[:2]) == ["doc_id", "date"] and set(found) <= set(doc_themes.columns)
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


@pytest.mark.e2e
def test_report_names_every_theme_and_embeds_figures(finished_run):
    run_dir, config, _, _ = finished_run
    html = (run_dir / "results/report/index.html").read_text(encoding="utf-8")
    for theme in config["themes"]:
        assert theme in html
    assert html.count("data:image/png;base64,") >= 3
    for figure in ("model_selection", "top_terms", "prevalence", "prevalence_by_section"):
        assert (run_dir / f"results/figures/{figure}.png").stat().st_size > 10_000
        assert (run_dir / f"results/figures/{figure}.csv").exists()


@pytest.mark.e2e
def test_planted_step_is_a_change_point_within_one_period(finished_run):
    run_dir, _, _, truth = finished_run
    points = pd.read_csv(run_dir / "results/themes/change_points.csv")
    assert list(points.columns[:4]) == ["theme", "period", "before", "after"]
    assert {"confidence", "date_low", "date_high"} <= set(points.columns)
    assert points["confidence"].between(0, 1).all()
    assert ((points["date_low"] <= points["period"]) & (points["period"] <= points["date_high"])).all()
    step_theme = truth.loc[truth["shape"] == "step", "theme"].iloc[0]
    months = sorted(truth["period"].unique())
    step_month = int(0.6 * len(months))  # the generator's default step: 60% of the span
    found = [months.index(p) for p in points.loc[points["theme"] == step_theme, "period"]]
    assert any(abs(index - step_month) <= 1 for index in found), f"{step_theme}: {found}"
    rise = points[(points["theme"] == step_theme) & (points["after"] > points["before"] + 0.15)]
    assert len(rise) == 1


@pytest.mark.e2e
def test_surface_forms_cover_the_vocabulary_and_reach_the_topics(finished_run):
    from gensim.corpora import Dictionary

    run_dir, _, _, _ = finished_run
    surfaces = pd.read_csv(run_dir / "results/corpus/surface_forms.csv", keep_default_na=False)
    dictionary = Dictionary.load(str(run_dir / "results/corpus/dictionary.gensim"))
    assert list(surfaces.columns) == ["term", "surface", "count"]
    assert sorted(surfaces["term"]) == sorted(dictionary.token2id) == surfaces["term"].tolist()
    assert (surfaces["surface"] != "").all() and (surfaces["count"] > 0).all()
    # a surface form is the term's words as written: same number of words, lowercase unless capitalised
    assert (surfaces["surface"].str.count(" ") == surfaces["term"].str.count("_")).all()
    topics = pd.read_csv(run_dir / "results/report/topics.csv", keep_default_na=False)
    forms = dict(zip(surfaces["term"], surfaces["surface"]))
    terms = pd.read_csv(run_dir / "results/evaluation/selected_topic_terms.csv")
    first = terms[terms["rank"] <= 10].sort_values(["topic", "rank"]).groupby("topic")["term"].apply(
        lambda t: ", ".join(forms[x] for x in t))
    assert topics.set_index("topic")["terms_display"].to_dict() == first.to_dict()
