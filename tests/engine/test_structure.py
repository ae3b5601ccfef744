"""The house rules of the code, checked on the source itself.

- No import cycle among the project's modules, imports inside functions
  (lazy imports) and type-only imports included: data flows one way.
- solvers/ imports nothing from engine/.
- Every third-party package the code imports is a declared dependency.
- No function in engine/ is longer than 80 lines (solvers' numeric kernels
  are checked by ruff's complexity rule and their docstrings, not here).
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import networkx as nx
from factories import ROOT

PACKAGES = ("engine", "solvers")
MAX_FUNCTION_LINES = 80
# Import names that differ from the distribution's name.
DISTRIBUTION_OF = {
    "yaml": "pyyaml",
    "argon2": "argon2-cffi",
    "docx": "python-docx",
    "fpdf": "fpdf2",
}


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module of the project that ``name`` imports, anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for target in targets:
            # The longest prefix that is one of our modules.
            parts = target.split(".")
            for k in range(len(parts), 0, -1):
                candidate = ".".join(parts[:k])
                if candidate in modules:
                    if candidate != name:
                        found.add(candidate)
                    break
    return found


def import_graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        graph.add_edges_from((name, target) for target in _imports(name, path, modules))
    return graph


def test_no_import_cycle_lazy_imports_included():
    graph = import_graph()
    # A package's __init__ may name its submodules; the cycle that matters is
    # between modules that do work.
    cycles = [c for c in nx.simple_cycles(graph) if len(c) > 1]
    shown = sorted(" -> ".join([*c, c[0]]) for c in cycles)[:10]
    assert not cycles, f"{len(cycles)} import cycles, e.g.:\n" + "\n".join(shown)


def test_solvers_import_nothing_from_engine():
    graph = import_graph()
    bad = sorted(
        (a, b) for a, b in graph.edges if a.startswith("solvers") and b.startswith("engine")
    )
    assert not bad, bad


def _third_party_imports() -> dict[str, str]:
    """Top-level names of the non-standard-library modules imported by the code, and where."""
    found = {}
    for path in _modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for n in names:
                top = n.split(".")[0]
                if top not in sys.stdlib_module_names and top not in PACKAGES:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for spec in project["dependencies"]:
        for sep in "<>=!~[; ":
            spec = spec.split(sep)[0]
        names.add(spec.lower().replace("_", "-"))
    return names


def test_every_imported_package_is_declared():
    declared = _declared()
    missing = {
        top: where
        for top, where in _third_party_imports().items()
        if DISTRIBUTION_OF.get(top, top).lower().replace("_", "-") not in declared
    }
    assert not missing, f"imported but not in [project] dependencies: {missing}"


def test_no_function_in_engine_is_longer_than_80_lines():
    long = []
    for name, path in _modules().items():
        if not name.startswith("engine"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines})")
    assert not long, "functions over 80 lines:\n" + "\n".join(long)
