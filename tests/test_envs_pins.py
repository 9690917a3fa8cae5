"""The conda envs in workflow/envs/ pin the same versions as requirements.txt, and every rule uses one."""

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO

ENVS = sorted((REPO / "workflow" / "envs").glob("*.yaml"))
# conda-forge name -> PyPI name where they differ
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}
# requirements.in entries that run Snakemake or the tests, not the rules' scripts
NOT_IN_RULE_ENVS = {"snakemake", "snakemake-executor-plugin-slurm", "snakefmt", "pytest", "pytest-xdist", "hypothesis"}


def canonical(name: str) -> str:
    """PyPI's normalised project name (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict:
    """``{name: version}`` of a requirements file's ``name==version`` lines."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            found[canonical(name)] = version.strip()
    return found


def env_pins(path: Path) -> tuple:
    """The env's ``python`` spec and ``{PyPI name: version}`` of its conda and pip packages."""
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    python, packages = None, {}
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            for spec in entry["pip"]:
                name, separator, version = spec.partition("==")
                assert separator, f"{path.name}: pip package {spec!r} is not pinned with =="
                packages[canonical(name)] = version.strip()
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(==?)?\s*([^\s]*)", entry.strip())
        assert match, f"{path.name}: cannot read {entry!r}"
        name, operator, version = match.groups()
        if name == "pip":
            continue
        if name == "python":
            python = version
            continue
        assert operator == "==" and version, f"{path.name}: {name} must be pinned exactly (name ==version)"
        packages[canonical(CONDA_TO_PYPI.get(name, name))] = version
    return env, python, packages


def test_there_are_env_files():
    assert {path.stem for path in ENVS} >= {"ingest", "preprocess", "topics", "figures", "report"}


@pytest.mark.parametrize("path", ENVS, ids=lambda path: path.name)
def test_env_pins_equal_requirements_txt(path):
    locked = pins(REPO / "requirements.txt")
    env, python, packages = env_pins(path)
    assert env["channels"][0] == "conda-forge"
    makefile_python = re.search(r"^PYTHON \?= python(\d+\.\d+)", (REPO / "Makefile").read_text(), re.M)
    assert python == makefile_python.group(1), f"{path.name}: python {python} is not the Makefile's"
    for name, version in packages.items():
        assert name in locked, f"{path.name}: {name} is not in requirements.txt"
        assert version == locked[name], f"{path.name}: {name} {version} != requirements.txt {locked[name]}"


def test_every_runtime_requirement_is_in_some_env():
    direct = set(pins(REPO / "requirements.in")) - NOT_IN_RULE_ENVS
    in_envs = set().union(*(env_pins(path)[2] for path in ENVS))
    assert sorted(direct - in_envs) == []


def test_every_rule_with_code_declares_an_existing_conda_env():
    rule_files = sorted((REPO / "workflow" / "rules").glob("*.smk"))
    checked = 0
    for rule_file in rule_files:
        text = rule_file.read_text(encoding="utf-8")
        blocks = re.split(r"^(?=(?:rule|checkpoint) \w+:)", text, flags=re.M)[1:]
        for block in blocks:
            name = re.match(r"(?:rule|checkpoint) (\w+):", block).group(1)
            if not re.search(r"^    (script|shell|run|notebook|wrapper):", block, re.M):
                continue
            env = re.search(r'^    conda:\n\s+"([^"]+)"', block, re.M)
            assert env, f"{rule_file.name}: rule {name} has no conda: directive"
            assert (rule_file.parent / env.group(1)).resolve().is_file(), f"rule {name}: {env.group(1)} missing"
            checked += 1
    assert checked >= 10
