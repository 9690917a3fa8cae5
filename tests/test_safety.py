"""Safety: YAML is read with safe loaders, user files are never unpickled, and no config value can
make the workflow write outside its run directory."""

import ast
import base64
import pickle
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SNAKEMAKE, demo_config, run_workflow

PYTHON_FILES = sorted(  # the project's own code (not virtual environments or outputs kept under bench/)
    path for folder in ("scripts", "tests", "bench", "workflow") for path in (REPO / folder).rglob("*.py")
    if not any(part.startswith(".") or part in ("out", "site-packages") for part in path.relative_to(REPO).parts[:-1])
)
SNAKEMAKE_FILES = [REPO / "Snakefile", *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
SAFE_LOADERS = re.compile(r"^(yaml\.)?(C?SafeLoader|BaseLoader)$|getattr\(yaml, .C?SafeLoader., yaml\.SafeLoader\)")
UNPICKLERS = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "joblib", "shelve", "marshal", "torch"}


class Payload:
    """Unpickling this creates ``marker``: proof that a file was unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def module_assignments(tree: ast.Module) -> dict[str, str]:
    return {target.id: ast.unparse(node.value) for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)}


def yaml_problems(path: Path) -> list[str]:
    """``yaml.load``-family calls in a Python file that do not use a safe loader."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = module_assignments(tree)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "yaml":
            unsafe = {alias.name for alias in node.names} & {"load", "load_all", "full_load", "unsafe_load",
                                                              "Loader", "FullLoader", "UnsafeLoader"}
            problems += [f"{path.name}:{node.lineno}: from yaml import {name}" for name in sorted(unsafe)]
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        call = ast.unparse(node.func)
        if call in ("yaml.unsafe_load", "yaml.full_load", "yaml.unsafe_load_all", "yaml.full_load_all"):
            problems.append(f"{path.name}:{node.lineno}: {call}")
        elif call in ("yaml.load", "yaml.load_all"):
            loader = next((ast.unparse(k.value) for k in node.keywords if k.arg == "Loader"), None)
            if loader is None and len(node.args) > 1:
                loader = ast.unparse(node.args[1])
            loader = names.get(loader, loader) if loader else None
            if not loader or not SAFE_LOADERS.search(loader):
                problems.append(f"{path.name}:{node.lineno}: {call} with Loader={loader}")
    return problems


def test_yaml_is_read_with_safe_loading_everywhere():
    assert PYTHON_FILES, "no Python files found"
    problems = [line for path in PYTHON_FILES for line in yaml_problems(path)]
    for path in SNAKEMAKE_FILES:
        text = path.read_text(encoding="utf-8")
        problems += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"yaml\.(load|full_load|unsafe_load)\w*\(", text)]
    assert problems == []


def test_the_yaml_check_catches_unsafe_loading(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import yaml\nL = yaml.FullLoader\nyaml.load(t, Loader=L)\nyaml.load(t)\nyaml.unsafe_load(t)\n"
                      "S = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\nyaml.load(t, Loader=S)\nyaml.safe_load(t)\n")
    assert [line.split(":")[1] for line in yaml_problems(sample)] == ["3", "4", "5"]


def test_front_matter_yaml_tags_are_never_executed(tmp_path):
    readers = pytest.importorskip("scripts.ingest.readers", reason="scripts/ingest/readers.py (front-matter reader) is not there")
    marker = tmp_path / "PWNED"
    for tag in ("!!python/object/apply:os.system", "!!python/object/new:os.system"):
        try:  # refused, or kept as plain text: either way never constructed
            fields, _ = readers.split_front_matter(f"---\ntitle: {tag} ['touch {marker}']\n---\nCuerpo\n")
            assert isinstance(fields["title"], str)
        except ValueError:
            pass
    assert not marker.exists()


def test_config_file_yaml_tags_are_never_executed(tmp_path):
    # Snakemake reads config files itself (yte + PyYAML's FullLoader, which refuses python/object tags)
    marker = tmp_path / "PWNED"
    base = yaml.safe_dump(demo_config("articles"), allow_unicode=True, sort_keys=False)
    for number, tag in enumerate(("!!python/object/apply:os.system", "!!python/object/new:os.system",
                                  "!!python/object/apply:subprocess.call")):
        argument = f"[['touch', '{marker}']]" if "subprocess" in tag else f"['touch {marker}']"
        config = tmp_path / f"config{number}.yaml"
        config.write_text(base + f"extra: {tag} {argument}\n", encoding="utf-8")
        result = subprocess.run([*SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path),
                                 "--configfile", str(config), "-n", "--quiet"], capture_output=True, text=True)
        assert result.returncode != 0
    assert not marker.exists()


def unpickling_problems(path: Path) -> list[str]:
    """Imports of pickle-family modules and calls that unpickle, in a Python file."""
    problems = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            problems += [f"{path.name}:{node.lineno}: import {m}" for m in modules if m.split(".")[0] in UNPICKLERS]
            if isinstance(node, ast.ImportFrom):
                problems += [f"{path.name}:{node.lineno}: import {alias.name}" for alias in node.names
                             if alias.name in ("unpickle", "read_pickle", "Unpickler")]
        if isinstance(node, ast.Call):
            call = ast.unparse(node.func)
            if call.endswith(("read_pickle", "unpickle", "Unpickler")):
                problems.append(f"{path.name}:{node.lineno}: {call}")
            if any(k.arg == "allow_pickle" and ast.unparse(k.value) != "False" for k in node.keywords):
                problems.append(f"{path.name}:{node.lineno}: {call}(allow_pickle=...)")
    return problems


def test_no_unpickling_in_stage_code():
    assert [line for path in sorted((REPO / "scripts").rglob("*.py")) for line in unpickling_problems(path)] == []


def test_the_unpickling_check_catches_pickle_use(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import pickle\nimport pandas as pd\nimport numpy as np\npd.read_pickle(p)\n"
                      "np.load(p, allow_pickle=True)\nnp.load(p)\nfrom gensim.utils import unpickle\nunpickle(p)\n")
    assert sorted(int(line.split(":")[1]) for line in unpickling_problems(sample)) == [1, 4, 5, 7, 8]


def test_gensim_pickles_are_only_read_from_files_the_workflow_wrote():
    # gensim's .load() and MmCorpus indexes unpickle: they may only ever see results/ files
    rule_text = "\n".join(path.read_text(encoding="utf-8") for path in SNAKEMAKE_FILES)
    gensim_paths = re.findall(r"\"([^\"]*\.(?:gensim|mm)[^\"]*)\"", rule_text)
    assert gensim_paths, "no gensim files in the rules?"
    assert [p for p in gensim_paths if not p.startswith("results/")] == []
    problems = []
    for path in sorted((REPO / "scripts").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "load":
                owner, argument = ast.unparse(node.func.value), " ".join(ast.unparse(a) for a in node.args)
                if owner in ("json", "yaml", "np", "numpy"):
                    continue
                if re.search(r"params|config|corpus", argument):
                    problems.append(f"{path.name}:{node.lineno}: {owner}.load({argument})")
    assert problems == []


@pytest.mark.e2e
def test_pickles_planted_in_the_corpus_are_never_unpickled(tmp_path, small_articles):
    from scripts.demo.generate import write_txt_folder

    run_dir = tmp_path / "run"
    marker = tmp_path / "PWNED"
    write_txt_folder(small_articles[0][:40], run_dir / "articles")
    payload = pickle.dumps(Payload(marker))
    for name in ("evil.pkl", "evil.pickle", "evil.gensim", "evil.npy", "evil.joblib", "evil.txt", "evil.md"):
        (run_dir / "articles" / name).write_bytes(payload)
    result = run_workflow(run_dir, demo_config("articles"), "results/ingest/summary.json", check=False)
    assert not marker.exists(), "a file from the corpus folder was unpickled"
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.e2e
def test_config_values_never_write_outside_the_run_directory(small_grid_run):
    run_dir, config = small_grid_run
    assert config["report"]["title"].startswith("../")  # a path-like string the workflow must treat as text
    assert sorted(p.name for p in run_dir.parent.iterdir()) == ["run"]
    assert not list(run_dir.parent.parent.glob("**/escaped"))
    written = [base64.b64decode(marker.name).decode() for marker in (run_dir / ".snakemake/metadata").iterdir()]
    assert any(path.startswith("results/report/") for path in written)
    outside = [path for path in written
               if Path(path).is_absolute() or ".." in Path(path).parts
               or Path(path).parts[0] not in ("results", "logs", "benchmarks", "data")]
    assert outside == []


def test_output_name_keys_with_paths_are_refused_by_snakemake(tmp_path):
    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    if "by" not in schema["properties"]["time"].get("properties", {}):
        pytest.skip("time.by (prevalence_by_<column>.csv) is not in the schema yet")
    config = demo_config("articles")
    config["time"]["by"] = "../../fuera"
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = subprocess.run([*SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path),
                             "--configfile", str(config_path), "-n", "--quiet"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "config key time.by" in result.stdout + result.stderr
