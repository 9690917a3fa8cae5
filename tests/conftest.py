"""Shared fixtures: tiny corpora built in code, and helpers to run the real workflow."""

import base64
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPORA = REPO.parent / "shared" / "corpora"
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01: pins the run date written in provenance and the report

from scripts.demo.generate import generate_articles, write_txt_folder


@pytest.fixture(scope="session")
def small_articles():
    """A 600-article, 24-month generated corpus and its true theme curves."""
    return generate_articles(n_articles=600, n_months=24, seed=7)


@pytest.fixture
def txt_corpus(tmp_path, small_articles):
    """The small corpus written as a folder of ``.txt`` articles."""
    articles, truth = small_articles
    folder = tmp_path / "corpus"
    write_txt_folder(articles, folder)
    return folder, articles, truth


def planted_vocabulary_corpus():
    """``(dictionary, bows)``: 150 documents of 30 words, each drawn from one of three disjoint
    20-word vocabularies in turn (``a*``, ``b*``, ``c*``), for the fit tests."""
    import numpy as np
    from gensim.corpora import Dictionary

    rng = np.random.default_rng(0)
    vocabularies = [[f"a{i}" for i in range(20)], [f"b{i}" for i in range(20)], [f"c{i}" for i in range(20)]]
    texts = [list(rng.choice(vocabularies[i % 3], size=30)) for i in range(150)]
    dictionary = Dictionary(texts)
    return dictionary, [dictionary.doc2bow(t) for t in texts]


def demo_config(corpus_path: str, **overrides) -> dict:
    """The default config pointed at ``corpus_path``, with a small grid for tests."""
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    config["corpus"] = {"path": corpus_path}
    config["model"].update({"k": [4, 6, 8], "seeds": [1, 2], "passes": 8})
    config["time"]["n_boot"] = 300
    for key, value in overrides.items():
        config[key] = value
    return config


def run_workflow(run_dir: Path, config: dict, *extra: str, cores: int = 2, check: bool = True):
    """Run the real workflow with ``--directory run_dir`` and that config; return the process."""
    run_dir.mkdir(parents=True, exist_ok=True)
    config_path = run_dir / "config.yaml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    command = [
        *SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--directory", str(run_dir),
        "--configfile", str(config_path), "--cores", str(cores), *extra,
    ]
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    process = subprocess.run(command, capture_output=True, text=True, env=env)
    if check and process.returncode != 0:
        raise AssertionError(f"snakemake failed ({process.returncode}):\n{process.stdout[-4000:]}\n{process.stderr[-6000:]}")
    return process


def shared_corpus(name: str) -> Path:
    """Path of a shared corpus, skipping the test when it is absent."""
    path = SHARED_CORPORA / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpora sit beside the repository in CI)")
    return path


# ---- The one shared workflow run: every end-to-end check reads it ---------------------------

MISSING_THEME = "sin_vocabulario"
GENSIM_PICKLES = ("*.gensim", "*.gensim.state", "*.gensim.id2word")
BAD_ROWS = {"bad_date": "2024-13-45", "no_date": ""}  # rejection reason -> the date written in its row
EVENTS = "date,label\n2024-07-15,Paso planeado\n2023-03-01,Inicio\n"


def small_grid_config(corpus_path: str) -> dict:
    """The shared run's config: the demo config on a CSV corpus with a ``section`` column, a
    2 K x 2 seeds grid with few passes, ``time.by``, ``time.events`` and two ``effects`` set (one with a
    configured reference level), a theme whose seed
    words are all out of vocabulary, and a report title that looks like a path (it must stay text)."""
    config = demo_config(corpus_path)
    config["corpus"].update({"format": "csv", "keep_columns": ["section"]})
    config["model"].update({"k": [4, 6], "seeds": [1, 2], "passes": 6, "iterations": 30, "inference_iterations": 50})
    config["time"].update({"n_boot": 200, "by": "section", "events": "events.csv", "change_points": {"n_boot": 100}})
    config["themes"][MISSING_THEME] = ["xyzzyq", "plughwz"]
    config["effects"] = [
        {"name": "seccion_evento", "formula": "theme ~ section * post_event", "event": "Paso planeado"},
        {"name": "tendencia", "formula": "theme ~ spline(time) + section", "spline_df": 3,
         "reference": {"section": "nacional"}},
    ]
    config["report"] = {"title": "../../escaped/report"}
    config["figures"]["dpi"] = 100  # drawing cost, not content: the figures' pixels are tested apart
    return config


def small_grid_sandbox(parent: Path, articles) -> tuple[Path, dict]:
    """``parent/run`` with ``articles.csv`` (every article plus one row per :data:`BAD_ROWS`
    reason), ``events.csv`` and :func:`small_grid_config` (not yet run)."""
    run_dir = parent / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    table = articles.drop(columns="main_theme")
    table = table.assign(section=["nacional" if i % 3 == 0 else "estados" for i in range(len(table))])
    bad = [{**table.iloc[0].to_dict(), "doc_id": f"roto_{reason}", "date": date} for reason, date in BAD_ROWS.items()]
    import pandas as pd

    pd.concat([table, pd.DataFrame(bad)], ignore_index=True).to_csv(run_dir / "articles.csv", index=False)
    (run_dir / "events.csv").write_text(EVENTS, encoding="utf-8")
    return run_dir, small_grid_config("articles.csv")


@pytest.fixture(scope="session")
def small_grid_run(tmp_path_factory, small_articles):
    """The shared workflow, run to completion in ``<sandbox>/run`` with ``--cores 2``."""
    run_dir, config = small_grid_sandbox(tmp_path_factory.mktemp("sandbox"), small_articles[0])
    run_workflow(run_dir, config)
    return run_dir, config


# ---- Crash safety: the shared run's workflow killed during a fit, then finished ----------------


def snakemake_command(run_dir, config_path, *extra, cores: int = 2):
    """The workflow's command line for ``run_dir`` and ``config_path``."""
    return [*SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--directory", str(run_dir),
            "--configfile", str(config_path), "--cores", str(cores), *extra]


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


@pytest.fixture(scope="session")
def killed_run(tmp_path_factory, small_articles):
    """The shared run's workflow, in another and deeper directory on one core (so ingest and
    preprocess run single-threaded there), SIGKILLed (whole process group) during a fit."""
    run_dir, config = small_grid_sandbox(tmp_path_factory.mktemp("elsewhere") / "a" / "b", small_articles[0])
    config_path = run_dir / "config.yaml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    process = subprocess.Popen(
        snakemake_command(run_dir, config_path, cores=1), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
    return run_dir, config_path, moment, incomplete, partial


@pytest.fixture(scope="session")
def finished_after_kill(killed_run):
    """The killed run: a plain rerun (which must stop), then ``--unlock`` and ``--rerun-incomplete``.
    Returns the run folder, its config, the plain rerun and the final rerun."""
    run_dir, config_path = killed_run[:2]
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    command = lambda *extra: subprocess.run(  # noqa: E731
        snakemake_command(run_dir, config_path, *extra), capture_output=True, text=True, env=env
    )
    plain = command()
    for extra in (["--unlock"], ["--rerun-incomplete"]):
        rerun = command(*extra)
        assert rerun.returncode == 0, f"{extra}: {rerun.stderr[-4000:]}"
    return run_dir, config_path, plain, rerun


def _same_object(a, b) -> bool:
    """Deep equality of unpickled gensim objects, ignoring their ``lifecycle_events`` (they hold dates)."""
    import numpy as np

    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, np.random.RandomState):
        return all(_same_object(x, y) for x, y in zip(a.get_state(), b.get_state()))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same_object(a[key], b[key]) for key in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same_object(x, y) for x, y in zip(a, b))
    if hasattr(a, "__dict__") and type(a).__module__.startswith(("gensim", "scripts.model")):  # BatchedLdaModel too
        # gensim's save bookkeeping (``__ignoreds`` …) lists attribute names in set order: compare as sets
        strip = lambda obj: {  # noqa: E731
            k: sorted(v) if k.startswith("__") and isinstance(v, list) else v
            for k, v in vars(obj).items() if k != "lifecycle_events"
        }
        return type(a) is type(b) and _same_object(strip(a), strip(b))
    return bool(a == b)


def result_differences(run_a: Path, run_b: Path) -> list[str]:
    """Every difference between the ``results/`` folders of two runs (empty when they agree).

    Files are compared byte for byte, except gensim's pickles (``*.gensim``, ``.state``,
    ``.id2word``), which embed the date they were saved: those are loaded (with their ``.npy``
    side files) and compared array by array.
    """
    from gensim.utils import SaveLoad

    files_a = {p.relative_to(run_a) for p in (run_a / "results").rglob("*") if p.is_file()}
    files_b = {p.relative_to(run_b) for p in (run_b / "results").rglob("*") if p.is_file()}
    differences = [f"only in one run: {path}" for path in sorted(files_a ^ files_b)]
    for path in sorted(files_a & files_b):
        bytes_a, bytes_b = (run_a / path).read_bytes(), (run_b / path).read_bytes()
        if bytes_a == bytes_b:
            continue
        if any(path.match(pattern) for pattern in GENSIM_PICKLES):
            if _same_object(SaveLoad.load(str(run_a / path)), SaveLoad.load(str(run_b / path))):
                continue
        differences.append(f"differs: {path}")
    return differences


def copy_run(run_dir: Path, destination: Path) -> Path:
    """A copy of a finished run (files, modification times and Snakemake's records) to change freely."""
    import shutil

    shutil.copytree(run_dir, destination, symlinks=True)
    return destination


# ---- Parallel runs (pytest-xdist, `make test` uses -n 2 --dist loadgroup) -------------------------

WORKFLOW_FIXTURES = {"small_grid_run", "killed_run", "finished_after_kill"}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook turns the mark into the node id's @group suffix
def pytest_collection_modifyitems(config, items):
    """Every test that reads the shared workflow run goes to one worker, so the run is made once."""
    for item in items:
        if WORKFLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("shared_workflow_run"))


class _GroupSuffixForPytest9:
    """Make ``--dist loadgroup`` group again under pytest 9.

    pytest-xdist 3.8 (the newest) marks a test's group by appending ``@group`` to ``item._nodeid``,
    which pytest 9 no longer reads (node ids live in ``item._id``): every group was then spread
    over the workers, and each worker made its own shared workflow run. This hook, run after
    xdist's, writes the suffix where pytest 9 reads it, and does nothing once the id carries it.
    """

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        if not config.getvalue("loadgroup"):
            return
        from _pytest.nodeid import NodeId

        for item in items:
            groups = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                             for mark in item.iter_markers("xdist_group")})
            if groups and "@" not in item.nodeid and hasattr(item, "_id"):
                item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(groups)}")


def pytest_configure(config):
    if hasattr(config.option, "loadgroup"):  # an xdist worker
        config.pluginmanager.register(_GroupSuffixForPytest9(), "group-suffix-for-pytest9")
