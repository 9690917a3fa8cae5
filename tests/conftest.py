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

sys.path.insert(0, str(REPO / "scripts"))

from generate_corpus import generate_articles, write_txt_folder  # noqa: E402


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
