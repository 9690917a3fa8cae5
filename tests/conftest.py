"""Shared fixtures: tiny corpora built in code, and helpers to run the real workflow."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPORA = REPO.parent / "shared" / "corpora"
SNAKEMAKE = [sys.executable, "-m", "snakemake"]

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
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
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


# ---- A small-grid run shared by the crash-safety, reproducibility and missing-theme tests -----

MISSING_THEME = "sin_vocabulario"
GENSIM_PICKLES = ("*.gensim", "*.gensim.state", "*.gensim.id2word")


def small_grid_config(corpus_path: str) -> dict:
    """``demo_config`` with a 2 K x 2 seeds grid and few passes (about 20 s on 2 cores), a theme whose
    seed words are all out of vocabulary, and a report title that looks like a path (it must stay text)."""
    config = demo_config(corpus_path)
    config["model"].update({"k": [3, 4], "seeds": [1, 2], "passes": 3, "iterations": 50})
    config["time"]["n_boot"] = 100
    config["themes"][MISSING_THEME] = ["xyzzyq", "plughwz"]
    config["report"] = {"title": "../../escaped/report"}
    return config


def small_grid_sandbox(parent: Path, articles) -> tuple[Path, dict]:
    """``parent/run`` with the corpus in ``articles/`` and :func:`small_grid_config` (not yet run)."""
    from scripts.demo.generate import write_txt_folder

    run_dir = parent / "run"
    write_txt_folder(articles, run_dir / "articles")
    return run_dir, small_grid_config("articles")


@pytest.fixture(scope="session")
def small_grid_run(tmp_path_factory, small_articles):
    """The small-grid workflow, run to completion in ``<sandbox>/run`` with ``--cores 2``."""
    run_dir, config = small_grid_sandbox(tmp_path_factory.mktemp("sandbox"), small_articles[0])
    run_workflow(run_dir, config)
    return run_dir, config


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
    if hasattr(a, "__dict__") and type(a).__module__.startswith("gensim"):
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
