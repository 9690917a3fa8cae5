"""Package layout: imports among ``scripts`` modules go one way (no cycles) and shared helpers import no stage.

Imports are read with :mod:`ast` (every ``import`` in a file, also inside functions), nothing is imported.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scripts"
STAGES = ("demo", "ingest", "preprocess", "model", "themes", "figures", "report", "rules")
SHARED = ("text", "settings", "logs")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(name: str) -> set[str]:
    """The ``scripts`` modules that module ``name`` imports (``from a import b`` counts ``a.b`` if a module)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in MODULES and target != name}
    return found


GRAPH = {name: imported_modules(name) for name in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def top_package(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_the_graph_sees_imports():
    assert "scripts.model.seeded" in GRAPH["scripts.model.fit"]
    assert "scripts.text.markup" in GRAPH["scripts.ingest.pipeline"]


def test_no_import_cycles():
    assert find_cycle(GRAPH) is None, " -> ".join(find_cycle(GRAPH))


def test_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("shared", SHARED)
def test_shared_helpers_import_no_stage(shared):
    for name, targets in GRAPH.items():
        if top_package(name) == shared:
            stages = sorted(t for t in targets if top_package(t) in STAGES)
            assert not stages, f"{name} (shared) imports stage modules {stages}"


def test_report_does_not_import_figures():
    for name, targets in GRAPH.items():
        if top_package(name) == "report":
            assert not [t for t in targets if top_package(t) == "figures"], name
