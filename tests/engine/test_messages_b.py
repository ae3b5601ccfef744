"""No English-only message comes back: the SIASN import, the store, the pseudonym key,
the plan pipeline, the report writers and the scenario and data loaders say what is
wrong through the catalogue (engine.i18n.ERRORS), never in a plain string."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "engine"

MODULES = sorted(
    [
        *(ENGINE / "inputs" / "siasn").glob("*.py"),
        *(ENGINE / "report").glob("*.py"),
        ENGINE / "app" / "store.py",
        ENGINE / "app" / "access.py",
        ENGINE / "plan" / "privacy.py",
        ENGINE / "plan" / "pipeline.py",
        ENGINE / "inputs" / "scenario.py",
        ENGINE / "inputs" / "data.py",
    ]
)

# Errors whose text a user reads (str() printed by the command line or a page).
USER_ERRORS = {"ValueError", "InputError", "StoreError", "PlanError", "PseudonymKeyError"}


def _plain(node: ast.AST | None) -> bool:
    """A text written in the code: a string, an f-string, a sum or .format() of one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain(node.left) or _plain(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in {"format", "join"} and _plain(node.func.value)
    return False


def _name(func: ast.AST) -> str | None:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def plain_messages(source: str) -> list[tuple[int, str]]:
    """(line, call) of each Problem or user-facing raise whose message is a plain string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) == "Problem":
            said = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "message")]
            said += [k.value for k in node.keywords if k.arg == "hint"]
            if any(_plain(arg) for arg in said):
                found.append((node.lineno, "Problem"))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = _name(node.exc.func)
            if name in USER_ERRORS and node.exc.args and _plain(node.exc.args[0]):
                found.append((node.lineno, f"raise {name}"))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_every_message_of_the_module_comes_from_the_catalogue(path):
    assert plain_messages(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "code",
    [
        'Problem(name, "not found")',
        'Problem(name, f"column {c} twice")',
        'Problem(name, message=f"{who}: " + text)',
        'Problem(name, message("x"), hint="add the code to kode.yaml")',
        'Problem(name, "{value} is bad".format(value=v))',
    ],
)
def test_a_plain_problem_message_is_caught(code):
    assert plain_messages(code) == [(1, "Problem")]


@pytest.mark.parametrize(
    "code",
    [
        'raise ValueError("bands must run down to 0")',
        'raise StoreError(f"session {n} is still open")',
        'raise PlanError("the solver returned an invalid plan:\\n" + text)',
    ],
)
def test_a_plain_raise_is_caught(code):
    assert [what for _, what in plain_messages(code)] == [code.split("(")[0]]


def test_a_catalogue_message_passes():
    code = (
        'Problem(name, message("siasn_not_found"), allowed=".json, .csv")\n'
        'raise ValueError(message("siasn_bands_order"), ", ".join(levels))\n'
        "raise InputError(problems)\n"
        'raise AssertionError(f"unknown column kind {kind}")\n'
    )
    assert plain_messages(code) == []
