"""The rules, settings, round, plan and succession modules say every problem through the catalogue.

A message written as a plain string or an f-string would be shown in English
to an Indonesian run; each must be ``message(key, ...)`` of engine.i18n.ERRORS.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from engine.errors import InputError, message
from engine.rules.ruleset import load_rules

ENGINE = Path(__file__).resolve().parents[2] / "engine"

MODULES = sorted(
    {
        *(ENGINE / "rules").glob("ruleset.py"),
        *(ENGINE / "rules").glob("crossref.py"),
        *(ENGINE / "rules" / "kinds").glob("*.py"),
        ENGINE / "check.py",
        ENGINE / "inputs" / "settings.py",
        ENGINE / "inputs" / "progression.py",
        ENGINE / "inputs" / "equivalence.py",
        ENGINE / "scoring" / "talent.py",
        ENGINE / "round" / "context.py",
        ENGINE / "model" / "problem.py",
        ENGINE / "plan" / "records.py",
        ENGINE / "plan" / "pipeline.py",
        *(ENGINE / "succession").glob("*.py"),
    }
)

# Exceptions whose text a user reads: a validator's ValueError (shown as the
# problem) and the project's own errors the command line prints.
RAISED = {"ValueError", "TalentaError", "PlanError"}


def _is_words(node: ast.AST | None) -> bool:
    """A plain string, an f-string, or a sum or join of them: words in one language."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_words(node.left) or _is_words(node.right)
    return False


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def english_only(source: str) -> list[tuple[int, str]]:
    """Lines where a Problem's message or hint, or a raised error's text, is not a message()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) == "Problem":
            said = node.args[1] if len(node.args) > 1 else None
            said = next((k.value for k in node.keywords if k.arg == "message"), said)
            hint = next((k.value for k in node.keywords if k.arg == "hint"), None)
            if _is_words(said) or _is_words(hint):
                found.append((node.lineno, "Problem"))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            call = node.exc
            if _name(call.func) in RAISED and call.args and _is_words(call.args[0]):
                found.append((node.lineno, _name(call.func)))
    return found


def test_the_modules_are_there():
    assert len(MODULES) > 30
    assert all(path.is_file() for path in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_no_problem_or_error_text_outside_the_catalogue(path):
    assert english_only(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        'Problem("a.yaml", "not found")',
        'Problem("a.yaml", f"unknown {x}", line=1)',
        'Problem(name, message=f"bad {x}")',
        'Problem(name, message("k"), hint="run this")',
        'def f():\n    raise ValueError("give min, max or both")',
        'def f():\n    raise ValueError(f"min {a} is above max {b}")',
        'def f():\n    raise PlanError("the solver returned an invalid plan:\\n" + text)',
    ],
)
def test_an_english_only_text_is_caught(source):
    assert english_only(source) != []


@pytest.mark.parametrize(
    "source",
    [
        'Problem("a.yaml", message("path_not_found"), allowed=".yaml, .csv")',
        'Problem(name, message("k"), hint=did_you_mean(x, xs) or message("h"))',
        'def f():\n    raise ValueError(message("give_min_max"))',
        'def f():\n    raise KeyError(f"no {key}")',  # a programming error, not a user's
    ],
)
def test_a_catalogue_message_passes(source):
    assert english_only(source) == []


RULES = """\
- id: a.golongan
  title: Golongan bounds swapped.
  require: {golongan: {min: IV/a, max: III/a}}
  source: PP 11/2017
  effective: {from: 2020-01-01}
- id: b.usia
  title: Hard with a penalty.
  hard: true
  penalty: 5
  require: {usia: {max: 50}}
  source: PP 11/2017
  effective: {from: 2020-01-01}
- id: c.usia
  title: An unknown eselon.
  require: {usia: {max: 50}}
  applies_to: {eselon: II.x}
  source: PP 11/2017
  effective: {from: 2020-01-01}
- id: d.pendidikan
  title: Twice.
  require: {pendidikan: {min: D3}}
  source: PP 11/2017
  effective: {from: 2020-01-01}
- id: d.pendidikan
  title: Twice.
  require: {pendidikan: {min: D3}}
  source: PP 11/2017
  effective: {from: 2020-01-01}
"""


def test_a_rule_file_problem_is_shown_in_indonesian_and_in_english(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(RULES, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules([path], display=lambda p: p.name)
    indonesian = caught.value.render(lang="id")
    english = caught.value.render(lang="en")
    assert "min IV/a lebih tinggi daripada max III/a" in indonesian
    assert "min IV/a is above max III/a" in english
    assert "aturan wajib tidak memiliki penalty" in indonesian
    assert "a hard rule has no penalty; set hard: false for a soft rule" in english
    assert "nilai eselon 'II.x' tidak dikenal; yang diterima: IV.b, IV.a" in indonesian
    assert "unknown eselon 'II.x'; allowed: IV.b, IV.a" in english
    assert "id aturan 'd.pendidikan' dipakai dua kali (pertama di r.yaml:19)" in indonesian
    assert "rule id 'd.pendidikan' is used twice (first at r.yaml:19)" in english
    assert "did you mean" not in indonesian and "tidak dikenal" not in english


def test_the_plan_errors_are_shown_in_indonesian():
    from engine.plan.pipeline import PlanError

    err = PlanError(
        message("plan_infeasible", file="s.yaml", names=message("plan_infeasible_names"))
    )
    assert err.args[0].render("id") == (
        "s.yaml: tidak ada rencana yang memenuhi skenario: pin, ban, atau batasan tambahan "
        "tidak dapat berlaku bersamaan"
    )
    assert err.args[0].render("en") == (
        "s.yaml: no plan satisfies the scenario: pins, bans or side constraints cannot all hold"
    )
