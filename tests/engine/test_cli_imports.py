"""What each command loads: the libraries it uses, and no others.

Most of a demo round's wall time is Python importing libraries, so a command
imports a library only where it is used (docs/architecture.md, "Imports").
Each case runs the command in a fresh interpreter, as a user does, and reads
``sys.modules`` when it is done: no timing.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import builtins, gc, json, sys
out, args = sys.argv[1], json.loads(sys.argv[2])
importers = {}  # each library: the modules of the project whose code imports it
real_import = builtins.__import__


def traced(name, globals=None, locals=None, fromlist=(), level=0):
    who = (globals or {}).get("__name__", "")
    if level == 0 and who.partition(".")[0] in ("engine", "solvers"):
        importers.setdefault(name.partition(".")[0], set()).add(who)
    return real_import(name, globals, locals, fromlist, level)


builtins.__import__ = traced
if args is not None:
    from engine import cli
    sys.argv = ["talenta", *args]
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
else:
    import engine.cli
    code = 0
with open(out, "w", encoding="utf-8") as f:
    json.dump(
        {
            "code": code,
            "modules": sorted(sys.modules),
            "importers": {k: sorted(v) for k, v in importers.items()},
            "gc": {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()},
        },
        f,
    )
"""

# What a command that does not read tables, solve or render must not load.
DATA = {"numpy", "pandas", "yaml"}
SOLVERS = {"scipy", "ortools", "numba"}
REPORT = {"openpyxl", "jinja2", "networkx"}
APP = {"sqlalchemy", "starlette", "uvicorn", "docx", "fpdf"}
# Loaded by a round only for what the demo does not have: side constraints
# (CP-SAT), a Lagrangian bound (linprog), the compiled large-scale path; and
# networkx, which only the files of `talenta succession` (GraphML, node-link
# JSON) need, not a plan's report; openpyxl, which reads input workbooks
# (plan.xlsx is written without it: engine.report.xlsx); and scipy, which only
# large networks and a displacement's evidence use (the shortlist prices of a
# small round search in Python: solvers.prices).
NOT_ON_THE_DEMO = {
    "ortools.sat.python.cp_model",
    "scipy",
    "scipy.optimize",
    "numba",
    "networkx",
    "openpyxl",
}


def probe(tmp_path: Path, args: list[str] | None) -> dict:
    """Run ``talenta ARGS`` (None: only ``import engine.cli``) in a fresh interpreter:
    its exit code, the modules loaded, and which of the project's modules import
    each library."""
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), json.dumps(args)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def loaded(tmp_path: Path, args: list[str] | None) -> tuple[int, set[str]]:
    got = probe(tmp_path, args)
    return got["code"], set(got["modules"])


def libraries(modules: set[str], names: set[str]) -> set[str]:
    return {name for name in names if name in modules}


@pytest.mark.parametrize("args", [None, ["--help"], ["plan", "--help"]], ids=str)
def test_starting_the_command_line_loads_no_library_of_a_command(tmp_path, args):
    code, modules = loaded(tmp_path, args)
    assert code == 0
    assert "engine.cli" in modules
    assert libraries(modules, DATA | SOLVERS | REPORT | APP) == set()


def test_checking_rule_files_loads_neither_the_solvers_nor_the_report(tmp_path):
    code, modules = loaded(tmp_path, ["check", "rules"])
    assert code == 0
    assert "engine.check" in modules
    assert libraries(modules, SOLVERS | REPORT | APP) == set()


@pytest.mark.parametrize(
    "args",
    [["eligible", "SETDA.SEKDA"], ["explain", "196807141995101008", "SETDA.SEKDA"]],
    ids=lambda a: a[0],
)
def test_eligibility_questions_load_neither_the_solvers_nor_the_report(tmp_path, args):
    code, modules = loaded(tmp_path, args)
    assert code == 0
    assert "engine.plan.explain" in modules
    assert libraries(modules, SOLVERS | REPORT | APP) == set()


def test_the_demo_round_loads_only_what_it_uses(tmp_path):
    got = probe(tmp_path, ["plan", "--out", str(tmp_path / "out"), "--quiet"])
    code, modules = got["code"], set(got["modules"])
    assert code == 0
    # the collector was off while the round imported, and is on for its work
    assert got["gc"]["enabled"]
    assert got["gc"]["frozen"] > 100_000  # the libraries' objects, frozen once imported
    assert (tmp_path / "out" / "plan.xlsx").is_file()
    assert DATA | {"ortools"} | (REPORT - NOT_ON_THE_DEMO) <= modules  # what it uses
    assert libraries(modules, NOT_ON_THE_DEMO | APP) == set()


def test_the_demo_round_imports_scipy_only_for_the_shortlist_prices(tmp_path):
    """scipy (0.2 s of a demo round's imports) is imported by no module of the
    round but, at most, the shortlist prices' searches (solvers.prices): the
    network's components, the residual's distances, the evidence's trees and
    the certified path's covers import it where they use it, which a demo round
    does not (solvers.backends.network.components_of; tests/solvers/test_network.py);
    and no library the round uses loads it on its own."""
    got = probe(tmp_path, ["plan", "--out", str(tmp_path / "out"), "--quiet"])
    assert got["code"] == 0
    assert "ortools" in got["importers"]  # the probe sees the round's imports
    importers = set(got["importers"].get("scipy", []))
    assert importers <= {"solvers.prices"}
    assert ("scipy" in got["modules"]) == bool(importers)


def test_every_command_turns_the_collector_back_on_after_its_imports():
    """main() turns the garbage collector off for Python's start and the command's
    imports; every command of engine/cli.py turns it back on (``_imports_done``)
    before its own work, or a long one (``serve``) would run without it."""
    tree = ast.parse((ROOT / "engine" / "cli.py").read_text(encoding="utf-8"))
    commands = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr == "command"
            for d in node.decorator_list
        )
    ]
    assert len(commands) >= 9
    missing = [
        c.name
        for c in commands
        if not any(
            isinstance(n, ast.Call) and getattr(n.func, "id", "") == "_imports_done"
            for stmt in c.body
            for n in ast.walk(stmt)
        )
    ]
    assert missing == []
