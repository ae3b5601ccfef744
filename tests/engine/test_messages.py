"""No English-only message comes back: the loaders, the rules and settings, the round,
the plan, succession, the SIASN import, the store, the pseudonym key, the report
writers and the web app's start-up say what is wrong through the catalogue
(engine.i18n.ERRORS), never in a plain string, and so do the notes of the SIASN
import's report (log.add); and a rule file's problems and the
plan's failures read in both languages."""

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
        ENGINE / "rules" / "requirements.py",
        *(ENGINE / "rules" / "kinds").glob("*.py"),
        ENGINE / "check.py",
        ENGINE / "inputs" / "settings.py",
        ENGINE / "inputs" / "progression.py",
        ENGINE / "inputs" / "equivalence.py",
        ENGINE / "inputs" / "schema.py",
        ENGINE / "scoring" / "talent.py",
        ENGINE / "round" / "context.py",
        ENGINE / "model" / "problem.py",
        ENGINE / "plan" / "records.py",
        *(ENGINE / "succession").glob("*.py"),
        ENGINE / "app" / "web.py",
        *(ENGINE / "inputs" / "siasn").glob("*.py"),
        *(ENGINE / "report").glob("*.py"),
        ENGINE / "app" / "store.py",
        ENGINE / "app" / "access.py",
        ENGINE / "plan" / "privacy.py",
        ENGINE / "plan" / "pipeline.py",
        ENGINE / "inputs" / "scenario.py",
        ENGINE / "inputs" / "data.py",
    }
)

# Errors whose text a user reads (str() printed by the command line or a page).
USER_ERRORS = {
    "ValueError",
    "InputError",
    "TalentaError",
    "StoreError",
    "PlanError",
    "PseudonymKeyError",
}


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


def _is_log_add(func: ast.AST) -> bool:
    """``log.add`` or ``ctx.log.add``: a note of the SIASN import's report."""
    if not (isinstance(func, ast.Attribute) and func.attr == "add"):
        return False
    owner = func.value
    return _name(owner) == "log"


def plain_messages(source: str) -> list[tuple[int, str]]:
    """(line, call) of each Problem, user-facing raise or note of the import report
    (``log.add``) whose message is a plain string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) == "Problem":
            said = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "message")]
            said += [k.value for k in node.keywords if k.arg == "hint"]
            if any(_plain(arg) for arg in said):
                found.append((node.lineno, "Problem"))
        if isinstance(node, ast.Call) and _is_log_add(node.func):
            said = [*node.args[3:4], *(k.value for k in node.keywords if k.arg == "why")]
            if any(_plain(arg) for arg in said):
                found.append((node.lineno, "log.add"))
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


@pytest.mark.parametrize(
    "code",
    [
        'ctx.log.add("rows_not_mapped", "rw-jabatan", "", "no rw-jabatan response")',
        'log.add("guessed", t, c, f"read, not used: {why}", count=3)',
        'ctx.log.add("fields_not_mapped", t, c, why + "; give it in an extra table")',
        'ctx.log.add("guessed", t, c, why="taken as active")',
    ],
)
def test_a_plain_note_of_the_import_report_is_caught(code):
    assert plain_messages(code) == [(1, "log.add")]


def test_a_catalogue_message_passes():
    code = (
        'Problem(name, message("siasn_not_found"), allowed=".json, .csv")\n'
        'raise ValueError(message("siasn_bands_order"), ", ".join(levels))\n'
        "raise InputError(problems)\n"
        'raise AssertionError(f"unknown column kind {kind}")\n'
        'ctx.log.add("guessed", "pegawai", "jurusan", message("siasn_log_degree_name"), rows)\n'
        'names.add("pegawai")\n'
    )
    assert plain_messages(code) == []


def test_the_modules_are_there():
    assert len(MODULES) > 45
    assert all(path.is_file() for path in MODULES)


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
- id: e.two
  title: Two kinds.
  require: {pendidikan: {min: D3}, usia: {max: 50}}
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
    assert "berikan tepat satu jenis syarat (ditemukan: pendidikan, usia)" in indonesian
    assert "give exactly one requirement kind (found: pendidikan, usia)" in english
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
