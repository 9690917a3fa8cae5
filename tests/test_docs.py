"""The documentation stays true: generated config reference, links, paths, stage map, quick-check config."""

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from scripts.settings.validation import check_config

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
QUICK_CONFIG = REPO / ".test" / "config.yaml"
DOCS = [REPO / "README.md", REPO / "config" / "README.md", *sorted((REPO / "docs").glob("*.md")),
        *sorted((REPO / "bench" / "results").glob("*.md"))]
# Folders whose files the docs name; a path with a placeholder (<name>, {K}, *) is not checked.
REPO_FOLDERS = ("scripts/", "workflow/", "tests/", "bench/", "config/", "resources/", "docs/", ".test/")
# Written by the benchmark scripts when they run, so they may be absent from a fresh checkout.
WRITTEN_BY_BENCHMARKS = ("bench/out/", "bench/results/benchmark.", "bench/results/bench_fit.")


def load_generator():
    """docs/make_config_reference.py as a module (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_config_reference", REPO / "docs" / "make_config_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_config_reference_is_generated_from_the_schema():
    generator = load_generator()
    expected = generator.render(yaml.safe_load(SCHEMA.read_text(encoding="utf-8")))
    assert (REPO / "config" / "README.md").read_text(encoding="utf-8") == expected, (
        "config/README.md is out of date with workflow/schemas/config.schema.yaml: "
        "run python docs/make_config_reference.py")


def test_config_reference_lists_every_key_with_its_schema_default():
    text = (REPO / "config" / "README.md").read_text(encoding="utf-8")
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    n_time = schema["properties"]["time"]["properties"]["n_boot"]["default"]
    assert f"| `time.n_boot` | integer | `{n_time}` |" in text
    for key in schema["properties"]:
        assert f"| `{key}` |" in text


def test_readme_is_short():
    assert len((REPO / "README.md").read_text(encoding="utf-8").splitlines()) <= 150


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(REPO)))
def test_links_and_paths_exist(doc):
    text = doc.read_text(encoding="utf-8")
    missing = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://", "#")):
            continue
        if not (doc.parent / target.split("#")[0]).exists():
            missing.append(target)
    for path in re.findall(r"`([^`\s]+)`", text):
        if path.startswith(REPO_FOLDERS) and not path.startswith(WRITTEN_BY_BENCHMARKS) and not re.search(r"[<>{}*…]", path):
            if not (REPO / path.rstrip("/")).exists():
                missing.append(path)
    assert not missing, f"{doc.relative_to(REPO)} names files that do not exist: {missing}"


def test_stage_map_names_every_rule():
    rules = set()
    for smk in (REPO / "workflow" / "rules").glob("*.smk"):
        rules |= set(re.findall(r"^rule (\w+):", smk.read_text(encoding="utf-8"), flags=re.M))
    stage_map = (REPO / "README.md").read_text(encoding="utf-8").split("## Stage map")[1].split("\n## ")[0]
    assert rules, "no rules found"
    assert not {rule for rule in rules if f"`{rule}`" not in stage_map}


def test_quick_check_config_is_valid_and_small():
    config = yaml.safe_load(QUICK_CONFIG.read_text(encoding="utf-8"))
    check_config(config, SCHEMA)  # raises ConfigError naming any unknown or bad key
    assert len(config["model"]["k"]) * len(config["model"]["seeds"]) <= 4


# The quick check itself runs in CI (.ci/run), beside `make test`, not inside it: the test suite
# shares one workflow run (conftest.small_grid_run).
