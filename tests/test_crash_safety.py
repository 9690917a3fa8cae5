"""Crash safety: SIGKILL the workflow during a model fit, rerun it, get the uninterrupted results.

The kill is aimed at the worst moment: a fit job that has already written ``lda.gensim`` (and
gensim's side files) but not yet its tables. Snakemake keeps an "incomplete" marker for every
output of a running job, so after the kill it refuses to take those files as done; the rerun a
user is told to make (``--unlock``, then the same command with ``--rerun-incomplete``, see
README "Crashes and reruns") deletes them and refits.
"""

import base64
import os
import signal
import subprocess
import time

import pytest
import yaml

from conftest import REPO, SNAKEMAKE, result_differences, small_grid_sandbox


def snakemake_command(run_dir, config_path, *extra):
    return [*SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--directory", str(run_dir),
            "--configfile", str(config_path), "--cores", "2", *extra]


def incomplete_outputs(run_dir) -> set[str]:
    """Outputs Snakemake has marked incomplete (their job started and did not finish)."""
    markers = run_dir / ".snakemake" / "incomplete"
    if not markers.exists():
        return set()
    return {base64.b64decode(marker.name).decode() for marker in markers.iterdir() if marker.is_file()}


def partial_model_dirs(run_dir) -> list:
    """Model folders where the fit has saved the model but not yet all of its tables."""
    return [
        folder for folder in (run_dir / "results" / "models").glob("k*/seed*")
        if any(folder.glob("lda.gensim*")) and not (folder / "topic_sizes.csv").exists()
    ]


def fits_started(run_dir) -> int:
    logs = (run_dir / "logs" / "fit_lda").glob("*.log")
    return sum("fitting LDA" in log.read_text(encoding="utf-8", errors="replace") for log in logs)


@pytest.fixture(scope="module")
def killed_run(tmp_path_factory, small_articles):
    """The small-grid workflow SIGKILLed (whole process group) during a fit."""
    run_dir, config = small_grid_sandbox(tmp_path_factory.mktemp("crash"), small_articles[0])
    config_path = run_dir / "config.yaml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    process = subprocess.Popen(
        snakemake_command(run_dir, config_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=env, start_new_session=True,
    )
    moment = None
    deadline = time.monotonic() + 600
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if (run_dir / "results" / "models").exists():
                if partial_model_dirs(run_dir):
                    moment = "model saved, tables not yet written"
                elif fits_started(run_dir) >= 3:  # missed the first two fits' save: kill during the third
                    moment = "during a fit"
            if moment:
                os.killpg(process.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
    finally:
        if process.poll() is None and not moment:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert moment, f"the workflow ended (exit code {process.returncode}) before a fit could be interrupted"
    incomplete = incomplete_outputs(run_dir)
    partial = [str(folder.relative_to(run_dir)) for folder in partial_model_dirs(run_dir)]
    return run_dir, config_path, env, moment, incomplete, partial


@pytest.mark.e2e
def test_kill_during_fit_leaves_its_outputs_marked_incomplete(killed_run):
    run_dir, _, _, moment, incomplete, partial = killed_run
    assert any(path.startswith("results/models/") for path in incomplete), (moment, incomplete)
    for folder in partial:  # every file a killed fit left behind is one Snakemake knows is unfinished
        assert any(path.startswith(folder) for path in incomplete), (folder, incomplete)


@pytest.mark.e2e
def test_plain_rerun_stops_and_says_what_to_do(killed_run):
    # Snakemake stops on the killed run's lock (--unlock) or on its incomplete files
    # (--rerun-incomplete); a job whose outputs are missing would be redone in any case.
    run_dir, config_path, env, _, _, _ = killed_run
    rerun = subprocess.run(snakemake_command(run_dir, config_path), capture_output=True, text=True, env=env)
    assert rerun.returncode != 0, "a plain rerun went on over the killed run's files"
    message = rerun.stdout + rerun.stderr
    assert "--rerun-incomplete" in message or "--unlock" in message, message[-2000:]
    assert "Traceback" not in message


@pytest.mark.e2e
def test_rerun_after_kill_gives_the_uninterrupted_results(killed_run, small_grid_run):
    run_dir, config_path, env, _, _, _ = killed_run
    for extra in (["--unlock"], ["--rerun-incomplete"]):
        rerun = subprocess.run(snakemake_command(run_dir, config_path, *extra), capture_output=True, text=True, env=env)
        assert rerun.returncode == 0, f"{extra}: {rerun.stderr[-4000:]}"
    assert incomplete_outputs(run_dir) == set()
    log = rerun.stdout + rerun.stderr
    assert "rule fit_lda:" in log
    assert "rule preprocess_corpus:" not in log, "the rerun repeated work that had finished before the kill"
    reference_dir, _ = small_grid_run
    # Byte for byte, and gensim's model + side files (.state, .id2word, .npy) loaded and compared
    # array by array: a model file left by the killed job would show up here.
    assert result_differences(reference_dir, run_dir) == []
    nothing_to_do = subprocess.run(snakemake_command(run_dir, config_path, "-n"), capture_output=True, text=True, env=env)
    assert nothing_to_do.returncode == 0, nothing_to_do.stderr[-3000:]
    assert "Nothing to be done" in nothing_to_do.stdout + nothing_to_do.stderr
