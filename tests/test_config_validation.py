"""Config validation: every bad value stops the run at once, with one short line per problem that
names the key and what is allowed, and no traceback (scripts/config_checks.py)."""

import copy
import json
import subprocess

import pytest
import yaml

from scripts.settings.validation import (
    check_config,
    config_problems,
    cross_key_problems,
    merged_theme_problems,
    unsafe_name_reason,
    with_defaults,
)
from conftest import REPO, SNAKEMAKE

SCHEMA_PATH = REPO / "workflow" / "schemas" / "config.schema.yaml"
SCHEMA = yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))
SHIPPED = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))


def strict_sections(schema: dict, path: tuple = ()) -> list[tuple]:
    """Every config section (object) whose schema rejects unknown keys."""
    found = []
    if schema.get("type") == "object" and schema.get("additionalProperties") is False:
        found.append(path)
    for key, sub in schema.get("properties", {}).items():
        found.extend(strict_sections(sub, (*path, key)))
    return found


def problems_after(change) -> list[str]:
    """Problems of the shipped config after ``change(config)``."""
    config = copy.deepcopy(SHIPPED)
    change(config)
    return config_problems(config, SCHEMA) or cross_key_problems(with_defaults(config, SCHEMA))


def only_problem(change) -> str:
    problems = problems_after(change)
    assert len(problems) == 1, problems
    return problems[0]


def test_shipped_config_is_valid():
    assert config_problems(SHIPPED, SCHEMA) == []
    assert cross_key_problems(with_defaults(SHIPPED, SCHEMA)) == []


@pytest.mark.parametrize("section", strict_sections(SCHEMA), ids=lambda path: ".".join(path) or "top")
def test_unknown_key_is_rejected_at_every_level(section):
    config = with_defaults(SHIPPED, SCHEMA)
    node = config
    for key in section:
        node = node.setdefault(key, {})
    node["colour_typo"] = 1
    where = ".".join((*section, "colour_typo"))
    lines = [line for line in config_problems(config, SCHEMA) if line.startswith(f"config key {where}:")]
    assert lines, config_problems(config, SCHEMA)
    assert "unknown key" in lines[0] and "allowed keys" in lines[0]


def test_unknown_key_gets_a_did_you_mean():
    line = only_problem(lambda c: c["model"].update(pases=5))
    assert line.startswith("config key model.pases: unknown key")
    assert 'did you mean "passes"' in line


@pytest.mark.parametrize("bad_k", [[1], [0, 4], [-3]])
def test_k_below_two_is_rejected(bad_k):
    line = only_problem(lambda c: c["model"].update(k=bad_k))
    assert line.startswith("config key model.k[")
    assert "minimum of 2" in line and "allowed: an integer >= 2" in line


@pytest.mark.parametrize("bad_k, shown", [(4, "4 is not a list"), ([4.0], "4.0 is not an integer"),
                                          (["4"], '"4" is not an integer'), ([4, 4], "non-unique")])
def test_k_must_be_a_list_of_distinct_integers(bad_k, shown):
    # 4.0 passes JSON schema's own "integer" and would make the workflow look for results/models/k4.0/
    line = only_problem(lambda c: c["model"].update(k=bad_k))
    assert line.startswith("config key model.k") and shown in line


@pytest.mark.parametrize("section, key, value, expected", [
    ("model", "passes", "10", 'config key model.passes: "10" is not an integer (allowed: an integer >= 1)'),
    ("preprocess", "no_above", "half", 'config key preprocess.no_above: "half" is not a number (allowed: a number > 0 and <= 1)'),
    ("time", "ci_level", "95%", 'config key time.ci_level: "95%" is not a number (allowed: a number > 0 and < 1)'),
    ("preprocess", "extra_stopwords", "dijo", 'config key preprocess.extra_stopwords: "dijo" is not a list'),
    ("model", "alpha", "sometimes", 'config key model.alpha: "sometimes" is not valid (allowed: one of auto, symmetric, asymmetric or a number > 0)'),
])
def test_wrong_type_names_the_key_and_what_is_allowed(section, key, value, expected):
    assert only_problem(lambda c: c.setdefault(section, {}).update({key: value})).startswith(expected)


def test_time_freq_typo_lists_the_allowed_values():
    line = only_problem(lambda c: c["time"].update(freq="monht"))
    assert line == ('config key time.freq: "monht" is not an allowed value '
                    '(allowed: week, month, quarter, year; did you mean "month"?)')


@pytest.mark.parametrize("themes, where", [({}, "themes"), (None, "themes"), ({"vacio": []}, "themes.vacio"),
                                           ({"mal": "fentanilo"}, "themes.mal")])
def test_empty_or_malformed_themes_are_rejected(themes, where):
    line = only_problem(lambda c: c.update(themes=themes))
    assert line.startswith(f"config key {where}:") and "allowed:" in line


@pytest.mark.parametrize("name", ["../fuera", "a/b", "mal nombre", "/etc"])
def test_theme_names_must_be_plain_names(name):
    line = only_problem(lambda c: c["themes"].update({name: ["fentanilo"]}))
    assert line.startswith(f"config key themes[{json.dumps(name)}]: ")
    assert "is not a valid name (allowed: a name matching ^[A-Za-z0-9_]+$)" in line


@pytest.mark.parametrize("seeds, shown", [([1.5], "1.5 is not an integer"), (["uno"], '"uno" is not an integer'),
                                          ([True], "true is not an integer"), (7, "7 is not a list")])
def test_seeds_must_be_integers(seeds, shown):
    line = only_problem(lambda c: c["model"].update(seeds=seeds))
    assert line.startswith("config key model.seeds") and shown in line


def test_select_k_outside_the_grid_is_rejected_before_any_fit():
    line = only_problem(lambda c: c["model"].update(select_k=5))
    assert line == ("config key model.select_k: 5 is not in model.k "
                    "(allowed: one of 4, 6, 8, 10, or null to let the selection rule choose)")
    assert "model.select_seed: 9" in only_problem(lambda c: c["model"].update(select_seed=9))


def test_seeded_themes_need_k_at_least_the_number_of_themes():
    line = only_problem(lambda c: c.update(theme_method="seeded") or c["model"].update(k=[4, 6]))
    assert line.startswith("config key model.k: K = 4 is smaller than the number of themes (5)")


@pytest.mark.parametrize("value", ["../fuera", "/etc/passwd", "a/b", "a\\b", "C:\\temp", "..", "", "x\0y"])
def test_values_that_become_file_names_cannot_leave_the_run_directory(value):
    assert unsafe_name_reason(value) is not None
    lines = cross_key_problems({"model": {"k": [4], "seeds": [1]}, "time": {"by": value}})
    assert len(lines) == 1 and lines[0].startswith("config key time.by:")
    assert cross_key_problems({"model": {"k": [4], "seeds": [1]}, "time": {"by": ["source", value]}})[0].startswith(
        "config key time.by[1]:")


@pytest.mark.parametrize("value", ["source", "sección", "section_name", "seccion-2"])
def test_plain_column_names_are_fine_as_file_names(value):
    assert unsafe_name_reason(value) is None


def test_every_problem_is_reported_at_once():
    def break_three(config):
        config["model"]["k"] = [1]
        config["time"]["freq"] = "daily"
        config["figures"]["colour"] = "red"

    problems = problems_after(break_three)
    assert [line.split(":")[0] for line in problems] == [
        "config key figures.colour", "config key model.k[0]", "config key time.freq"]


def test_check_returns_the_config_with_the_schema_defaults():
    config = {"corpus": {"path": "x"}, "model": {"k": [4], "seeds": [1]}, "themes": {"a": ["b"]}}
    before = copy.deepcopy(config)
    filled = check_config(config, SCHEMA_PATH)
    assert config == before  # the input is untouched
    assert filled == with_defaults(config, SCHEMA)
    assert filled["time"]["freq"] == "month" and filled["model"]["passes"] == 10 and filled["model"]["k"] == [4]
    assert config_problems(filled, SCHEMA) == []


def test_themes_merged_from_a_second_config_file_are_flagged(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("themes:\n  solo: [fentanilo]\n", encoding="utf-8")
    lines = merged_theme_problems({"solo": ["x"], "deportes": ["gol"]}, [str(mine)], ["config/config.yaml"])
    assert len(lines) == 1 and "deportes come only from config/config.yaml" in lines[0]
    assert "--replace-workflow-config" in lines[0]
    assert merged_theme_problems({"solo": ["x"]}, [str(mine)], ["config/config.yaml"]) == []
    assert merged_theme_problems({"solo": ["x"], "deportes": ["gol"]}, [], ["config/config.yaml"]) == []


# ---- What a user sees: the real `snakemake -n` -------------------------------------------------

def dry_run(run_dir, config: dict, *extra: str):
    run_dir.mkdir(parents=True, exist_ok=True)
    config_path = run_dir / "config.yaml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    command = [*SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--directory", str(run_dir),
               "--configfile", str(config_path), "-n", "--quiet", *extra]
    return subprocess.run(command, capture_output=True, text=True)


def small_valid_config() -> dict:
    config = copy.deepcopy(SHIPPED)
    config["corpus"] = {"path": "articles"}
    return config


CLI_CASES = {
    "k_is_one": (lambda c: c["model"].update(k=[1, 4]), "config key model.k[0]", "allowed: an integer >= 2"),
    "unknown_key": (lambda c: c["model"].update(pases=5), "config key model.pases: unknown key", 'did you mean "passes"'),
    "freq_typo": (lambda c: c["time"].update(freq="monthly"), "config key time.freq", "allowed: week, month, quarter, year"),
    "empty_themes": (lambda c: c.update(themes={}), "config key themes", "allowed: a non-empty mapping"),
    "float_seed": (lambda c: c["model"].update(seeds=[1, 2.5]), "config key model.seeds[1]", "allowed: an integer >= 0"),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_snakemake_stops_with_a_short_message_and_no_traceback(tmp_path, case):
    change, key, allowed = CLI_CASES[case]
    config = small_valid_config()
    change(config)
    result = dry_run(tmp_path / "run", config)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert key in output and allowed in output, output[-3000:]
    assert "Traceback" not in output and 'File "' not in output, output[-3000:]
    assert len(output.strip().splitlines()) <= 4, output


def test_run_directory_config_silently_merged_into_configfile_is_refused(tmp_path):
    run_dir = tmp_path / "run"
    (run_dir / "config").mkdir(parents=True)
    (run_dir / "config" / "config.yaml").write_text((REPO / "config/config.yaml").read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    config = small_valid_config()
    config["themes"] = {"solo": ["fentanilo"]}
    result = dry_run(run_dir, config)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "config key themes: seguridad_cooperacion, fentanilo" in output, output[-3000:]
    assert "Traceback" not in output


@pytest.mark.e2e
def test_check_fills_defaults_into_the_config_as_run(small_grid_run):
    run_dir, config = small_grid_run
    assert "linking" not in config
    provenance = json.loads((run_dir / "results/provenance.json").read_text(encoding="utf-8"))
    as_run = provenance["config"]
    assert as_run["linking"]["min_lift"] == SCHEMA["properties"]["linking"]["properties"]["min_lift"]["default"]
    assert as_run["model"]["chunksize"] == 2000


def test_the_schema_is_the_only_place_defaults_live():
    import re

    copies = [str(path.relative_to(REPO)) for path in (REPO / "scripts").rglob("*.py")
              if re.search(r"^\w*DEFAULTS\s*=", path.read_text(encoding="utf-8"), re.M)]
    assert copies == []
    from scripts.settings import defaults

    assert defaults() == with_defaults({}, SCHEMA)


def test_typed_settings_take_exactly_the_schema_keys():
    from dataclasses import fields

    from scripts.model.settings import LdaSettings, SeededPrior, SelectionRule, lda_options
    from scripts.settings import defaults
    from scripts.themes.settings import LinkingSettings, TimeSettings

    config = defaults()
    model = SCHEMA["properties"]["model"]["properties"]
    assert set(lda_options(config["model"])) <= set(model)
    assert {f.name for f in fields(SelectionRule)} == set(model["selection"]["properties"])
    assert {f.name for f in fields(SeededPrior)} == set(model["seeded"]["properties"])
    assert {f.name for f in fields(LinkingSettings)} == set(SCHEMA["properties"]["linking"]["properties"])
    assert {f.name for f in fields(TimeSettings)} == set(SCHEMA["properties"]["time"]["properties"])
    assert TimeSettings.from_config(config["time"]).change_points.penalty == config["time"]["change_points"]["penalty"]
    from scripts.ingest.settings import CorpusSettings

    derived = {"keep", "date_pattern"}
    assert {f.name for f in fields(CorpusSettings)} - derived == set(SCHEMA["properties"]["corpus"]["properties"])
