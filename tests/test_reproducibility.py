"""Reproducibility: the shared run (``--cores 2``) and the crash-safety run (in another, deeper
directory, started with ``--cores 1`` so that ingest and preprocess run single-threaded, killed
during a fit and finished) give the same tables, report and figures byte for byte.

The only files allowed to differ in bytes are gensim's pickles, which embed the date they were
saved in their ``lifecycle_events``: they are loaded and compared array by array instead.
"""

import json

import pytest

from conftest import result_differences


@pytest.fixture(scope="module")
def second_run(finished_after_kill):
    """The same workflow in another, deeper directory, started on one core, killed and finished."""
    run_dir, config_path = finished_after_kill[:2]
    return run_dir, config_path


@pytest.mark.e2e
def test_two_runs_in_separate_directories_give_identical_results(small_grid_run, second_run):
    (run_a, _), (run_b, _) = small_grid_run, second_run
    assert result_differences(run_a, run_b) == []
    n_tables = sum(1 for pattern in ("*.csv", "*.json", "*.parquet") for _ in (run_a / "results").rglob(pattern))
    assert n_tables >= 20, f"only {n_tables} tables compared: is the workflow writing results/?"


@pytest.mark.e2e
def test_report_numbers_and_figures_are_byte_identical(small_grid_run, second_run):
    (run_a, _), (run_b, _) = small_grid_run, second_run
    for name in ("report/index.html", "report/report.md", "provenance.json"):
        assert (run_a / "results" / name).read_bytes() == (run_b / "results" / name).read_bytes(), name
    figures = sorted((run_a / "results/figures").glob("*.png"))
    assert figures, "no figures were drawn"
    for png in figures:
        assert png.read_bytes() == (run_b / png.relative_to(run_a)).read_bytes(), png.name
    provenance = json.loads((run_a / "results/provenance.json").read_text(encoding="utf-8"))
    assert provenance["run_date"].startswith("2026-01-01"), "SOURCE_DATE_EPOCH must pin the run date"


@pytest.mark.e2e
def test_run_directory_paths_do_not_leak_into_results(small_grid_run, second_run):
    for run_dir, _ in (small_grid_run, second_run):
        leaks = [
            str(path.relative_to(run_dir))
            for path in (run_dir / "results").rglob("*")
            if path.is_file() and str(run_dir.parent).encode() in path.read_bytes()
        ]
        assert leaks == [], f"{run_dir.parent} is written into {leaks}"
