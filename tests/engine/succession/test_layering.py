"""Succession computes on eligibility; report renders succession: the imports go one way."""

from __future__ import annotations

import ast

import pytest
from factories import ROOT


def _imports(package: str) -> list[tuple[str, int, str, bool]]:
    """(file, line, imported module, inside a function) for every engine import of a package."""
    out = []
    for path in sorted((ROOT / "engine" / package).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nested = {
            id(n)
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef | ast.If)
            for n in ast.walk(f)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("engine"):
                out.append((path.name, node.lineno, node.module or "", id(node) in nested))
    return out


@pytest.mark.parametrize("package", ["succession", "eligibility"])
def test_no_upward_or_hidden_imports(package):
    """No import of the report (or, for eligibility, of plan and succession), none inside a
    function or behind TYPE_CHECKING: a lazy import would hide a cycle."""
    above = {"succession": ("engine.report", "engine.cli"), "eligibility": ("engine.plan",)}
    above["eligibility"] += ("engine.succession", "engine.report", "engine.cli")
    found = _imports(package)
    assert found
    bad = [f"{f}:{line} {m}" for f, line, m, _ in found if m.startswith(above[package])]
    hidden = [f"{f}:{line} {m}" for f, line, m, inner in found if inner]
    assert not bad and not hidden, bad + hidden


def test_report_reads_succession_results():
    modules = {m for _, _, m, _ in _imports("report")}
    assert "engine.succession.analysis" in modules
