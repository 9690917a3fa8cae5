"""The workflow on a real SLURM cluster gives the same results as a local run.

Runs only when ``TOPICS_CLUSTER_TEST=1``: ``tests/cluster/run_cluster_test.sh`` (called by
``.ci/run``) starts a single-node SLURM on this machine, sets that variable and ``SLURM_CONF``,
runs this file and stops the daemons. With the variable set, an unreachable cluster is a failure,
not a skip. Submitting to a real site cluster from ``make test`` would be slow and surprising, so
the variable is never implied by ``sbatch`` merely being on ``PATH``.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, demo_config, run_workflow

ENABLED = os.environ.get("TOPICS_CLUSTER_TEST") == "1"
SLURM_PROFILE = REPO / "workflow" / "profiles" / "slurm"
# This test cluster has no accounting daemon: status from squeue, no account to validate. The first
# status check after 2 s (40 s by default) keeps a run of ~20 short jobs to a few minutes.
CLUSTER_ARGS = (
    "--workflow-profile", str(SLURM_PROFILE),
    "--slurm-status-command", "squeue",
    "--slurm-no-account",
    "--slurm-init-seconds-before-status-checks", "2",
    # the test node has 2 CPUs: a rule asking for more threads would never be scheduled
    "--max-threads", "2",
)

pytestmark = pytest.mark.skipif(
    not ENABLED,
    reason="SLURM cluster test: runs with TOPICS_CLUSTER_TEST=1 against a live cluster; "
    "`sudo tests/cluster/run_cluster_test.sh` starts a single-node SLURM and runs it",
)


def node_states() -> str:
    """``sinfo``'s node states, or why the cluster cannot be reached."""
    if shutil.which("sinfo") is None:
        return "sinfo not on PATH (Debian package slurm-wlm)"
    process = subprocess.run(["sinfo", "--noheader", "--format=%T"], capture_output=True, text=True)
    return process.stdout.strip() if process.returncode == 0 else f"sinfo failed: {process.stderr.strip()}"


def result_files(run_dir: Path) -> dict:
    """Every file under ``run_dir/results`` by its path relative to ``run_dir``."""
    return {
        path.relative_to(run_dir).as_posix(): path
        for path in sorted((run_dir / "results").rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def cluster_and_local_runs(tmp_path_factory, small_articles):
    """The same config run locally and on SLURM; returns both run dirs, the config and the log."""
    from scripts.demo.generate import write_txt_folder

    states = node_states()
    if not re.search(r"\b(idle|mixed|allocated)", states):
        pytest.fail(f"TOPICS_CLUSTER_TEST=1 but no usable SLURM node: {states!r} (SLURM_CONF="
                    f"{os.environ.get('SLURM_CONF', 'unset')})")
    articles, _ = small_articles
    config = demo_config("articles")
    runs = {}
    for name in ("local", "slurm"):
        run_dir = tmp_path_factory.mktemp(name)
        write_txt_folder(articles, run_dir / "articles")
        runs[name] = run_dir
    run_workflow(runs["local"], config)

    # Jobs run as this user on this machine and inherit this environment (sbatch --export=ALL):
    # put the venv first on PATH so the job step's `python -m snakemake` and the scripts find it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        process = run_workflow(runs["slurm"], config, *CLUSTER_ARGS, check=False)
    log = process.stdout + process.stderr
    (runs["slurm"] / "snakemake_slurm.log").write_text(log, encoding="utf-8")
    if os.environ.get("TOPICS_CLUSTER_LOG"):
        Path(os.environ["TOPICS_CLUSTER_LOG"]).write_text(log, encoding="utf-8")
    assert process.returncode == 0, f"snakemake on SLURM failed ({process.returncode}):\n{log[-8000:]}"
    return runs["local"], runs["slurm"], config, log


# gensim pickles its objects with a save timestamp ("lifecycle_events"); the .npy arrays it writes
# beside big objects are plain data and compared byte for byte like every other file.
GENSIM_PICKLES = (".gensim", ".gensim.state", ".gensim.id2word")


def same_content(a, b) -> bool:
    """Deep equality of two loaded gensim objects, ignoring save times and bookkeeping."""
    import numpy as np
    from gensim.utils import SaveLoad

    if isinstance(a, SaveLoad) or isinstance(a, np.random.RandomState):
        if type(a) is not type(b):
            return False
        if isinstance(a, np.random.RandomState):
            return same_content(a.get_state(), b.get_state())
        # lifecycle_events holds save times; "__ignoreds" etc. are gensim's save bookkeeping,
        # built from sets in arbitrary order
        def kept(obj):
            return {k: v for k, v in vars(obj).items() if k != "lifecycle_events" and not k.startswith("__")}

        return same_content(kept(a), kept(b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_content(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same_content, a, b))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    return a == b


def gensim_content(path: Path):
    """A saved gensim object, loaded with its sidecar files."""
    from gensim.utils import SaveLoad

    return SaveLoad.load(str(path))


def test_cluster_results_equal_the_local_run_byte_for_byte(cluster_and_local_runs):
    local_dir, slurm_dir, config, _ = cluster_and_local_runs
    local, slurm = result_files(local_dir), result_files(slurm_dir)
    assert sorted(slurm) == sorted(local)
    for table in ("results/evaluation/model_selection.csv", "results/themes/prevalence.csv",
                  "results/themes/theme_topics.csv", "results/evaluation/selection.json",
                  "results/report/index.html"):
        assert table in local
    for k in config["model"]["k"]:
        for seed in config["model"]["seeds"]:
            assert f"results/models/k{k}/seed{seed}/doc_topics.parquet" in local
    pickles = [name for name in local if name.endswith(GENSIM_PICKLES)]
    different = [name for name in local
                 if name not in pickles and local[name].read_bytes() != slurm[name].read_bytes()]
    assert different == []
    for name in pickles:
        if name.endswith(".gensim"):  # loading it loads its .state / .id2word sidecars too
            assert same_content(gensim_content(local[name]), gensim_content(slurm[name])), name


def submitted_jobs(log: str) -> dict:
    """SLURM job id -> Snakemake job id, from the executor's submission lines."""
    pattern = re.compile(r"Job (\d+) has been submitted with SLURM jobid (\d+)")
    return {slurm_id: job_id for job_id, slurm_id in pattern.findall(log)}


def test_jobs_were_submitted_with_sbatch_and_finished(cluster_and_local_runs):
    _, _, config, log = cluster_and_local_runs
    remote_rules = re.findall(r"^rule (\w+):$", log, re.M)
    local_rules = re.findall(r"^localrule (\w+):$", log, re.M)
    submitted = submitted_jobs(log)
    assert len(submitted) == len(remote_rules) > 0
    assert remote_rules.count("fit_lda") == len(config["model"]["k"]) * len(config["model"]["seeds"])
    assert {"ingest_corpus", "preprocess_corpus", "fit_lda", "score_models"} <= set(remote_rules)
    # cheap rules (aggregation, figures, report) stay on the submitting node
    assert {"select_model", "render_report", "all"} <= set(local_rules)
    assert not set(local_rules) & set(remote_rules)
    total = len(remote_rules) + len(local_rules)
    assert f"{total} of {total} steps (100%) done" in log
    assert len(set(re.findall(r"^Finished jobid: (\d+)", log, re.M))) == total


def test_slurm_reports_every_submitted_job_completed(cluster_and_local_runs):
    _, _, _, log = cluster_and_local_runs
    submitted = submitted_jobs(log)
    process = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--format=%i|%T", "--jobs", ",".join(submitted)],
        capture_output=True, text=True, check=True,
    )
    states = dict(line.split("|") for line in process.stdout.split())
    assert states == {slurm_id: "COMPLETED" for slurm_id in submitted}


def test_rule_logs_and_benchmarks_are_where_a_local_run_puts_them(cluster_and_local_runs):
    local_dir, slurm_dir, _, _ = cluster_and_local_runs
    for folder in ("logs", "benchmarks"):
        local = sorted(p.relative_to(local_dir).as_posix() for p in (local_dir / folder).rglob("*.*"))
        slurm = sorted(p.relative_to(slurm_dir).as_posix() for p in (slurm_dir / folder).rglob("*.*"))
        assert slurm == local
    assert (slurm_dir / "benchmarks/fit_lda/k4_seed1.tsv").read_text().startswith("s\t")
