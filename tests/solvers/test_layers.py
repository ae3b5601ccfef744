"""The import graph of ``solvers/``: no cycle, and nothing from ``engine``.

Every ``import`` and ``from ... import`` statement counts, at module level
or inside a function (a lazy import is a dependency too, only a later
one), and so do imports under ``if TYPE_CHECKING:``: a cycle hidden there
still ties the modules together for a reader. An import of
``solvers.a.b`` is an edge to that module (not to ``solvers/__init__``,
which Python runs first but which no module should need), and
``from solvers.a import b`` is an edge to ``solvers.a.b`` when that is a
module, to ``solvers.a`` otherwise.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "solvers"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module that ``name`` imports (absolute names; relative ones resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return found


def import_graph() -> nx.DiGraph:
    """Modules of ``solvers`` and the modules (of any package) each imports."""
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for target in _imports(name, path, set(modules)):
            graph.add_edge(name, target)
    return graph


def test_the_graph_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    """The walk finds an import inside a function, under ``TYPE_CHECKING``, and
    a relative one (the test would be blind to those cycles otherwise)."""
    path = tmp_path / "probe.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from solvers.solution import Solution\n"
        "def f():\n    from solvers.kernels import components\n"
        "def g():\n    from . import settings\n"
    )
    known = {"solvers.kernels", "solvers.solution", "solvers.settings"}
    assert _imports("solvers.probe", path, known) == {
        "typing",
        "solvers.solution",
        "solvers.kernels",
        "solvers.settings",
    }


def test_solvers_has_no_import_cycle() -> None:
    graph = import_graph()
    inner = graph.subgraph(n for n in graph if n == "solvers" or n.startswith("solvers."))
    cycles = list(nx.simple_cycles(inner))
    assert not cycles, "import cycles in solvers/:\n" + "\n".join(
        " -> ".join([*c, c[0]]) for c in sorted(cycles, key=len)
    )


def test_solvers_imports_nothing_from_engine() -> None:
    graph = import_graph()
    bad = sorted((a, b) for a, b in graph.edges if b == "engine" or b.startswith("engine."))
    assert not bad, f"solvers/ imports engine/: {bad}"


@pytest.mark.parametrize(
    "contract", ["solvers.problem", "solvers.solution", "solvers.constraints", "solvers.errors"]
)
def test_contract_modules_do_not_reach_into_backends(contract: str) -> None:
    """The problem's and the plan's types stand alone: no solver method behind them."""
    reach = nx.descendants(import_graph(), contract)
    assert not {m for m in reach if m.startswith("solvers.backends")}, sorted(reach)


def _complexity(fn: ast.AST) -> int:
    """McCabe's count as ruff's C901 makes it: one plus each branch (``if``,
    loop, ``except``, ``case``, comprehension loop); nested functions count
    on their own."""
    count = 1
    todo = list(ast.iter_child_nodes(fn))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.If | ast.For | ast.While | ast.ExceptHandler | ast.match_case):
            count += 1
        elif isinstance(node, ast.comprehension):
            count += 1 + len(node.ifs)
        todo.extend(ast.iter_child_nodes(node))
    return count


def test_long_or_branchy_functions_are_documented_kernels() -> None:
    """At most 80 lines and complexity 25, unless the function is a compiled
    kernel (numba) whose docstring says why it is one piece ("on purpose")."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for fn in ast.walk(ast.parse(path.read_text())):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            lines = fn.end_lineno - fn.lineno + 1
            if lines <= 80 and _complexity(fn) <= 25:
                continue
            kernel = any("njit" in ast.unparse(d) for d in fn.decorator_list)
            if not (kernel and "on purpose" in (ast.get_docstring(fn) or "")):
                found.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name} ({lines} lines)")
    assert not found, "split these, or document why a kernel is one piece:\n" + "\n".join(found)


def test_small_rounds_never_load_the_compiled_code() -> None:
    """Importing solvers and solving (and pricing) a small round leaves numba
    unloaded: it costs a demo round half a second and 50 MB. The auction is
    imported by large rounds only (a lazy import, which the graph above sees)."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np, solvers\n"
        "p = solvers.AssignmentProblem(n_persons=3, n_posts=3, person=np.array([0, 0, 1, 2]),\n"
        "    post=np.array([0, 1, 1, 2]), score=np.array([5, 3, 4, 2]), home=np.array([1, -1, -1]),\n"
        "    side=[solvers.MaxMoves(0)])\n"
        "sol = solvers.solve(p)\n"
        "solvers.forcing_prices(p.with_changes(side=[]), solvers.solve(p.with_changes(side=[])), 1)\n"
        "assert solvers.validate(p, sol) == []\n"
        "print('numba' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False", out.stdout + out.stderr
