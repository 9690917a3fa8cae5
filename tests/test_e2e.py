"""End to end: the real workflow, run by Snakemake from another directory, on a generated corpus."""

import json

import numpy as np
import pandas as pd
import pytest

from conftest import demo_config, run_workflow

PLANTED_SHAPES = ("rise", "spike", "step", "seasonal")


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory, small_articles):
    from generate_corpus import write_txt_folder

    run_dir = tmp_path_factory.mktemp("run")
    articles, truth = small_articles
    write_txt_folder(articles, run_dir / "articles")
    (run_dir / "articles" / "broken.txt").write_text("no header here\n\n", encoding="utf-8")
    (run_dir / "articles" / "nodate.txt").write_text(" date 2024-13-45 Fecha imposible\nTexto.\n", encoding="utf-8")
    config = demo_config("articles")
    run_workflow(run_dir, config)
    return run_dir, config, articles, truth


@pytest.mark.e2e
def test_documents_are_counted_and_rejections_listed(finished_run):
    run_dir, _, articles, _ = finished_run
    summary = json.loads((run_dir / "results/ingest/summary.json").read_text())
    rejected = pd.read_csv(run_dir / "results/ingest/rejected.csv")
    documents = pd.read_parquet(run_dir / "results/ingest/documents.parquet")
    assert summary["n_read"] == len(articles) + 2
    assert summary["n_kept"] == len(documents) == len(articles)
    assert summary["n_kept"] + summary["n_rejected"] == summary["n_read"]
    assert set(rejected["source_file"]) == {"broken.txt", "nodate.txt"}
    assert set(rejected["reason"]) == {"no_date", "bad_date"}


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
    selection = json.loads((run_dir / "results/evaluation/selection.json").read_text())
    assert (selection["k"], selection["seed"]) in grid


@pytest.mark.e2e
def test_recovered_theme_curves_follow_the_planted_ones(finished_run):
    run_dir, _, _, truth = finished_run
    prevalence = pd.read_csv(run_dir / "results/themes/prevalence.csv")
    assert list(prevalence.columns[:6]) == ["period", "theme", "prevalence", "ci_low", "ci_high", "n_docs"]
    outside = (prevalence["prevalence"] < prevalence["ci_low"]) | (prevalence["prevalence"] > prevalence["ci_high"])
    assert (prevalence["point_outside_ci"] == outside).all() and outside.mean() <= 0.02
    merged = prevalence.merge(truth, on=["period", "theme"], suffixes=("", "_true"))
    for theme, rows in merged[merged["shape"].isin(PLANTED_SHAPES)].groupby("theme"):
        r = np.corrcoef(rows["prevalence"], rows["prevalence_true"])[0, 1]
        assert r >= 0.9, f"{theme}: r = {r:.3f}"


@pytest.mark.e2e
def test_report_names_every_theme_and_embeds_figures(finished_run):
    run_dir, config, _, _ = finished_run
    html = (run_dir / "results/report/index.html").read_text(encoding="utf-8")
    for theme in config["themes"]:
        assert theme in html
    assert html.count("data:image/png;base64,") >= 3
    for figure in ("model_selection", "top_terms", "prevalence"):
        assert (run_dir / f"results/figures/{figure}.png").stat().st_size > 10_000
        assert (run_dir / f"results/figures/{figure}.csv").exists()
