"""Snakemake's own report, and re-styling figures without refitting anything."""

import copy
import re
import time
import zipfile

import pytest

from conftest import copy_run, run_workflow

FIGURE_JOBS = re.compile(r"^(plot_\w+|render_report|render_explorer|all)$")  # the explorer follows figures.language


def scheduled_jobs(process) -> dict[str, int]:
    """Job names and counts from the 'Job stats' table of a dry run."""
    output = process.stdout + process.stderr
    table = output.split("Job stats:", 1)[1].split("total", 1)[0] if "Job stats:" in output else ""
    return {name: int(count) for name, count in re.findall(r"^(\w+)\s+(\d+)\s*$", table, re.M) if name != "job"}


@pytest.mark.e2e
def test_snakemake_report_zip_gathers_figures_and_captions(small_grid_run, tmp_path):
    run_dir, config = small_grid_run
    target = tmp_path / "report.zip"
    run_workflow(run_dir, config, "--report", str(target))
    names = zipfile.ZipFile(target).namelist()
    for figure in ("top_terms.png", "model_selection.png", "prevalence.png", "drift.png", "corpus_over_time.png", "index.html"):
        assert any(name.endswith(figure) for name in names), figure


@pytest.mark.e2e
def test_changing_figure_settings_redraws_without_refitting(small_grid_run, tmp_path):
    run_dir = copy_run(small_grid_run[0], tmp_path / "run")
    config = copy.deepcopy(small_grid_run[1])
    config["figures"] = {"language": "en", "dpi": 120, "format": ["png", "pdf"], "palette": "Dark2"}

    dry = scheduled_jobs(run_workflow(run_dir, config, "-n"))
    assert "render_report" in dry and "plot_top_terms" in dry
    assert all(FIGURE_JOBS.match(job) for job in dry), dry

    forced = scheduled_jobs(run_workflow(run_dir, small_grid_run[1], "-n", "--forcerun", "plot_top_terms"))
    assert set(forced) == {"plot_top_terms", "render_report", "all"}

    # redraw one figure for real (the report in English is rendered by tests/test_report.py)
    before = (run_dir / "results/figures/top_terms.png").read_bytes()
    start = time.monotonic()
    redraw = run_workflow(run_dir, config, "results/figures/top_terms.pdf")
    seconds = time.monotonic() - start
    print(f"one figure redrawn: {seconds:.1f} s")
    ran = set(re.findall(r"^(?:localrule|rule) (\w+):", redraw.stdout + redraw.stderr, re.M))
    assert ran == {"plot_top_terms"}, ran
    assert (run_dir / "results/figures/top_terms.pdf").exists()
    assert (run_dir / "results/figures/top_terms.png").read_bytes() != before
    assert scheduled_jobs(run_workflow(run_dir, config, "-n", "results/figures/top_terms.pdf")) == {}
