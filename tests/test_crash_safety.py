"""Crash safety: SIGKILL the workflow during a model fit, rerun it, get the uninterrupted results.

The kill is aimed at the worst moment: a fit job that has already written ``lda.gensim`` (and
gensim's side files) but not yet its tables. Snakemake keeps an "incomplete" marker for every
output of a running job, so after the kill it refuses to take those files as done; the rerun a
user is told to make (``--unlock``, then the same command with ``--rerun-incomplete``, see
README "Crashes and reruns") deletes them and refits.
"""

import subprocess

import pytest

from conftest import incomplete_outputs, result_differences, snakemake_command


@pytest.mark.e2e
def test_kill_during_fit_leaves_its_outputs_marked_incomplete(killed_run):
    run_dir, _, moment, incomplete, partial = killed_run
    assert any(path.startswith("results/models/") for path in incomplete), (moment, incomplete)
    for folder in partial:  # every file a killed fit left behind is one Snakemake knows is unfinished
        assert any(path.startswith(folder) for path in incomplete), (folder, incomplete)


@pytest.mark.e2e
def test_plain_rerun_stops_and_says_what_to_do(finished_after_kill):
    # Snakemake stops on the killed run's lock (--unlock) or on its incomplete files
    # (--rerun-incomplete); a job whose outputs are missing would be redone in any case.
    plain = finished_after_kill[2]
    assert plain.returncode != 0, "a plain rerun went on over the killed run's files"
    message = plain.stdout + plain.stderr
    assert "--rerun-incomplete" in message or "--unlock" in message, message[-2000:]
    assert "Traceback" not in message


@pytest.mark.e2e
def test_rerun_after_kill_gives_the_uninterrupted_results(finished_after_kill, small_grid_run):
    run_dir, config_path, _, rerun = finished_after_kill
    assert incomplete_outputs(run_dir) == set()
    log = rerun.stdout + rerun.stderr
    assert "rule fit_lda:" in log
    assert "rule preprocess_corpus:" not in log, "the rerun repeated work that had finished before the kill"
    reference_dir, _ = small_grid_run
    # Byte for byte, and gensim's model + side files (.state, .id2word, .npy) loaded and compared
    # array by array: a model file left by the killed job would show up here.
    assert result_differences(reference_dir, run_dir) == []
    nothing_to_do = subprocess.run(snakemake_command(run_dir, config_path, "-n"), capture_output=True, text=True)
    assert nothing_to_do.returncode == 0, nothing_to_do.stderr[-3000:]
    assert "Nothing to be done" in nothing_to_do.stdout + nothing_to_do.stderr
