"""Rule test cases written by policy staff, and the pytest plugin that runs them.

A case file (``tests/rules/*.yaml``) is a YAML list of cases. A case states
one person, one post, a date and what the rules in force must say::

    - name: A III/d Kepala Seksi with S1 Teknik Sipil and SKP Baik twice is eligible for Kabid Bina Marga.
      date: 2026-07-01
      person: {golongan: III/d, jenis_jabatan: Pengawas, jurusan: Teknik Sipil}
      post: {nama_jabatan: Kepala Bidang Bina Marga, eselon: III.b, bidang: Teknik Sipil}
      expect: {administrator.skp: PASS, eselon-3b.golongan: PASS}
      eligible: true

The person and the post are written as pegawai and jabatan tables (the
columns of docs/data.md), loaded with :func:`engine.inputs.data.load_tables` and
derived with :mod:`engine.inputs.derive` at the case's date, so a case runs the
real path from a spreadsheet row to a verdict. Anything left out gets the
default of :data:`PERSON_DEFAULTS` / :data:`POST_DEFAULTS` (see
tests/rules/README.md). Case files are read strictly: every problem is
reported with ``file:line``, all at once.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pytest
from pydantic import Field, field_validator

from engine.eligibility.candidates import find_candidates, verdicts
from engine.errors import InputError, Problem, allowed_list, did_you_mean
from engine.inputs import scales
from engine.inputs.data import (
    HUKUMAN_COLUMNS,
    JABATAN_COLUMNS,
    PEGAWAI_COLUMNS,
    RIWAYAT_COLUMNS,
    load_tables,
)
from engine.inputs.derive import derive_people, derive_posts, shift_years
from engine.inputs.schema import Strict, validate
from engine.inputs.settings import BupTable, Taxonomy, load_bup, load_taxonomy, load_weights
from engine.inputs.yamlio import LineMap, load_yaml
from engine.rules.obligations import obligations_of
from engine.rules.ruleset import RuleSet, load_rules
from engine.scoring.talent import TalentSettings, load_talent_box, talent_box

__all__ = ["Case", "CaseFailure", "LoadedCase", "load_cases", "run_case"]

ROOT = Path(scales.__file__).resolve().parents[2]  # the repository: engine/ and rules/
RULES = ROOT / "rules"
# N/A: the rule gives no verdict (not in force on the date, or not for this post).
Verdict = Literal["PASS", "FAIL", "UNKNOWN", "N/A"]
Scalar = str | int | float | dt.date | None
_SKP = re.compile(r"^skp_(\d{4})$")

PERSON_COLUMNS = [c.name for c in PEGAWAI_COLUMNS]
POST_COLUMNS = [c.name for c in JABATAN_COLUMNS if c.name != "nip_pemangku"]
HISTORY_COLUMNS = [c.name for c in RIWAYAT_COLUMNS if c.name != "nip"]
SANCTION_COLUMNS = [c.name for c in HUKUMAN_COLUMNS if c.name != "nip"]


def person_defaults(day: dt.date) -> dict[str, str]:
    """An unremarkable pegawai at ``day``: 45 years old, 20 years of service,
    III/d for 4 years, a Pelaksana for 5 years, S1 Administrasi Publik, SKP Baik
    in the two years before ``day``'s year, no JPM, competency, training or
    sanction on record."""
    return {
        "nama": "Pegawai Contoh",
        "jenis_kelamin": "L",
        "tanggal_lahir": shift_years(day, -45).isoformat(),
        "tmt_cpns": shift_years(day, -20).isoformat(),
        "golongan": "III/d",
        "tmt_golongan": shift_years(day, -4).isoformat(),
        "pendidikan": "S1",
        "jurusan": "Administrasi Publik",
        "jenis_jabatan": "Pelaksana",
        "nama_jabatan": "Pelaksana Contoh",
        "unit": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "tmt_jabatan": shift_years(day, -5).isoformat(),
        "jpm": "",
        "kompetensi": "",
        "pelatihan": "",
        "hukuman_tingkat": "",
        "hukuman_tmt": "",
        "hukuman_selesai": "",
    }


POST_DEFAULTS = {
    "jabatan_id": "CONTOH",
    "nama_jabatan": "Jabatan Contoh",
    "unit": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "atasan_id": "",
    "bidang": "Administrasi Publik",
    "kecamatan": "Sangir",
    "kritis": "tidak",
}
# A post given only its jenis jabatan gets this eselon, and the other way round.
ESELON_OF = {"JPT Pratama": "II.b", "Administrator": "III.b", "Pengawas": "IV.a"}


class Case(Strict):
    """One rule test case, as policy staff write it."""

    name: str = Field(description="a whole sentence saying what the case shows")
    date: dt.date = Field(description="the date the rules are applied at")
    person: dict[str, Scalar] = Field(default_factory=dict, description="pegawai columns")
    history: list[dict[str, Scalar]] = Field(
        default_factory=list, description="riwayat_jabatan rows (without nip)"
    )
    sanctions: list[dict[str, Scalar]] = Field(
        default_factory=list, description="hukuman_disiplin rows (without nip)"
    )
    post: dict[str, Scalar] = Field(default_factory=dict, description="jabatan columns")
    rules: list[str] | None = Field(
        default=None, description="rule files or folders, relative to the case file"
    )
    round: Literal["regular", "open_selection"] = Field(
        default="regular",
        description="the kind of round, as a scenario's `round: {kind: ...}`",
    )
    talent_box: str | bool = Field(
        default=True,
        description="true: the bundled rules/kotak-talenta.yaml; false: none; or a file",
    )
    expect: dict[str, Verdict] = Field(default_factory=dict, description="rule id -> verdict")
    eligible: bool | None = Field(default=None, description="whether every hard rule passes")
    obligations: dict[str, str] | None = Field(
        default=None,
        description="what the person placed in the post on the case's date must still do: "
        "rule id -> the obligation in Indonesian ('wajib PKA paling lambat 2027-07-01'); "
        "{}: nothing",
    )
    known_wrong: str | None = Field(
        default=None,
        description="the issue that will fix a verdict the engine gets wrong today; the case "
        "is expected to fail until then (and fails the run once it passes)",
    )

    @field_validator("name")
    @classmethod
    def _sentence(cls, value: str) -> str:
        text = value.strip()
        if len(text.split()) < 4 or not text[0].isupper() or text[-1] not in ".!?":
            raise ValueError(
                "the name is a whole sentence: a capital letter first, at least four words, "
                "and a full stop at the end"
            )
        return text


@dataclass(frozen=True)
class LoadedCase:
    case: Case
    file: Path
    line: int
    lines: LineMap
    index: int

    @property
    def where(self) -> str:
        return f"{_shown(self.file)}:{self.line}"

    def line_of(self, *path: Any) -> int:
        return self.lines.line_of((self.index, *path)) or self.line


class CaseFailure(AssertionError):
    """A case whose verdicts differ from what it expects (the message says how)."""


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def load_cases(path: Path) -> list[LoadedCase]:
    """Read a case file strictly; raise one :class:`InputError` listing every problem."""
    name = _shown(path)
    data, lines = load_yaml(path, name)
    if not isinstance(data, list):
        raise InputError(
            [
                Problem(
                    name,
                    f"a case file is a list of cases, found {type(data).__name__}",
                    line=1,
                    hint="start each case with '- name:'",
                )
            ]
        )
    problems: list[Problem] = []
    out: list[LoadedCase] = []
    seen: dict[str, int] = {}
    for k, item in enumerate(data):
        case, found = validate(Case, item, lines, name, prefix=(k,))
        problems += found + _check_columns(item, k, lines, name)
        if case is None:
            continue
        loaded = LoadedCase(case, path, lines.line_of((k,)) or 1, lines, k)
        if not case.expect and case.eligible is None and case.obligations is None:
            problems.append(
                Problem(
                    name,
                    "a case expects nothing",
                    line=loaded.line,
                    allowed="expect: {rule id: PASS, FAIL, UNKNOWN or N/A} and/or eligible: true/false",
                )
            )
        if case.name in seen:
            problems.append(
                Problem(
                    name,
                    f"case name used twice (first at line {seen[case.name]})",
                    line=loaded.line,
                    column="name",
                )
            )
        seen.setdefault(case.name, loaded.line)
        out.append(loaded)
    if problems:
        raise InputError(problems)
    return out


def _check_columns(item: Any, k: int, lines: LineMap, name: str) -> list[Problem]:
    """Unknown column names of the person, post and history of case ``k`` (as written)."""
    if not isinstance(item, dict):
        return []
    problems = []
    person, post, history = item.get("person"), item.get("post"), item.get("history")
    sanctions = item.get("sanctions")
    tables: list[tuple[str, list[Any], list[str], Any]] = [
        ("person", [person], PERSON_COLUMNS, lambda c: bool(_SKP.match(c))),
        ("post", [post], POST_COLUMNS, lambda c: False),
        ("history", history if isinstance(history, list) else [], HISTORY_COLUMNS, lambda c: False),
        (
            "sanctions",
            sanctions if isinstance(sanctions, list) else [],
            SANCTION_COLUMNS,
            lambda c: False,
        ),
    ]
    for key, rows, allowed, extra in tables:
        for r, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            for column in row:
                if column in allowed or extra(str(column)):
                    continue
                path = (k, key, column) if key in ("person", "post") else (k, key, r, column)
                hint = did_you_mean(str(column), allowed)
                if key == "post" and column == "nip_pemangku":
                    hint = "the post of a case is vacant"
                problems.append(
                    Problem(
                        name,
                        f"unknown {key} column '{column}'",
                        line=lines.line_of(path),
                        column=key,
                        allowed=allowed_list(allowed, 30)
                        + (", skp_YYYY" if key == "person" else ""),
                        hint=hint,
                    )
                )
    return problems


# -- running a case ----------------------------------------------------------
@functools.cache
def _taxonomy() -> Taxonomy:
    return load_taxonomy(RULES / "taksonomi.yaml")


@functools.cache
def _bup() -> BupTable:
    return load_bup(RULES / "bup.yaml")


@functools.cache
def bundled_rule_files(folder: Path = RULES) -> tuple[Path, ...]:
    """The rule files of a folder: its YAML files that are lists (settings files are mappings)."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        data, _ = load_yaml(path)
        if isinstance(data, list):
            out.append(path)
    return tuple(out)


@functools.cache
def _ruleset(paths: tuple[Path, ...]) -> RuleSet:
    return load_rules(list(paths), display=_shown, fields=_taxonomy().fields)


@functools.cache
def _talent(path: Path) -> TalentSettings:
    return load_talent_box(path, _shown(path))


def _cell(value: Scalar) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    header = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _nip(row: dict[str, str], seq: int = 1) -> str:
    sex = "2" if row.get("jenis_kelamin") == "P" else "1"
    return (
        row["tanggal_lahir"].replace("-", "")
        + row["tmt_cpns"].replace("-", "")[:6]
        + sex
        + f"{seq:03d}"
    )


def _rows(
    c: LoadedCase,
) -> tuple[dict[str, str], dict[str, str], list[dict[str, str]], list[dict[str, str]]]:
    case = c.case
    given = {k: _cell(v) for k, v in case.person.items()}
    person = person_defaults(case.date)
    if not any(_SKP.match(k) for k in given):
        for year in (case.date.year - 2, case.date.year - 1):
            person[f"skp_{year}"] = "Baik"
    person.update(given)
    if "nip" not in given and person["tanggal_lahir"] and person["tmt_cpns"]:
        person["nip"] = _nip(person)
    post = dict(POST_DEFAULTS)
    post.update({k: _cell(v) for k, v in case.post.items()})
    jenis, eselon = post.get("jenis_jabatan"), post.get("eselon")
    if not jenis and not eselon:
        post["jenis_jabatan"], post["eselon"] = "Administrator", "III.b"
    elif not eselon:
        post["eselon"] = ESELON_OF.get(str(jenis), "")
    elif not jenis:
        post["jenis_jabatan"] = scales.ESELON_JENIS.get(str(eselon), "")
    post["nip_pemangku"] = ""
    history = [
        {"nip": person.get("nip", ""), **{k: _cell(v) for k, v in row.items()}}
        for row in case.history
    ]
    sanctions = [
        {"nip": person.get("nip", ""), **{k: _cell(v) for k, v in row.items()}}
        for row in case.sanctions
    ]
    return person, post, history, sanctions


def _translate(c: LoadedCase, exc: InputError) -> InputError:
    """Problems of the generated tables, located at the case's lines."""
    problems = []
    for p in exc.problems:
        role = p.file  # person | post | history (the display names below)
        key = p.column or ""
        if role in ("history", "sanctions") and p.line is not None:
            path: tuple[Any, ...] = (role, p.line - 2, key)
        else:
            path = (role, key)
        problems.append(
            Problem(
                _shown(c.file),
                f"case '{c.case.name}': {role}.{key}: {p.message}" if key else p.message,
                line=c.line_of(*path),
                allowed=p.allowed,
                hint=p.hint,
            )
        )
    return InputError(problems)


@dataclass
class Outcome:
    """What the rules said for a case."""

    verdicts: dict[str, Any]  # rule id -> engine.eligibility.candidates.Verdict
    obligations: dict[str, str]  # rule id -> the obligation in Indonesian
    eligible: bool
    vector_eligible: bool
    ruleset: RuleSet


def evaluate_case(c: LoadedCase) -> Outcome:
    """Build the person and post through the real loaders and apply the rules."""
    case = c.case
    base = c.file.parent
    if case.rules is None:
        rule_paths = bundled_rule_files()
    else:
        paths: list[Path] = []
        for entry in case.rules:
            target = (base / entry).resolve()
            paths += bundled_rule_files(target) if target.is_dir() else (target,)
        rule_paths = tuple(paths)
    ruleset = dataclasses.replace(_ruleset(rule_paths), round_kind=case.round)
    taxonomy = _taxonomy()
    person, post, history, sanctions = _rows(c)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {
            "pegawai": _write(folder / "person.csv", [person]),
            "jabatan": _write(folder / "post.csv", [post]),
            "riwayat": _write(folder / "history.csv", history) if history else None,
            "hukuman": _write(folder / "sanctions.csv", sanctions) if sanctions else None,
        }
        try:
            tables = load_tables(
                files["pegawai"],
                files["jabatan"],
                files["riwayat"],
                hukuman=files["hukuman"],
                majors=list(taxonomy.field_of_major),
                fields=taxonomy.fields,
                display=lambda p: p.stem,
            )
        except InputError as exc:
            raise _translate(c, exc) from None
    people = derive_people(tables, case.date, taxonomy, _bup())
    posts = derive_posts(tables, {n: i for i, n in enumerate(people.nip)}, taxonomy)
    if case.talent_box is not False:
        path = RULES / "kotak-talenta.yaml" if case.talent_box is True else base / case.talent_box
        weights = load_weights(RULES / "bobot.yaml").at(case.date)
        box = talent_box(people, posts, taxonomy, _talent(path.resolve()).at(case.date), weights)
        people.talent_box, people.talent_regime = box.box, box.regime
    found = verdicts(people, posts, ruleset, taxonomy, case.date, 0, 0, lang="id")
    english = verdicts(people, posts, ruleset, taxonomy, case.date, 0, 0, lang="en")
    by_id = {v.rule_id: (v, e) for v, e in zip(found, english, strict=True)}
    eligible = all(v.verdict == "PASS" for v in found if v.hard)
    # The same question through the vectorised path a round uses.
    cands = find_candidates(
        people,
        posts,
        ruleset,
        taxonomy,
        case.date,
        pool=np.ones(people.n, dtype=bool),
        allowed=lambda ppl, level: np.ones(ppl.n, dtype=bool),
    )
    applicable = ruleset.applicable(case.date, posts)
    due = obligations_of(applicable, people, 0, 0, case.date, taxonomy)
    return Outcome(by_id, {rid: o.text("id") for rid, o in due}, eligible, len(cands) > 0, ruleset)


def _absent(rule_id: str, c: LoadedCase, outcome: Outcome) -> str:
    """Why a rule the case names gave no verdict."""
    rules = outcome.ruleset.by_id()
    if rule_id not in rules:
        hint = did_you_mean(rule_id, sorted(rules))
        return f"no rule '{rule_id}' in the rule files" + (f" ({hint})" if hint else "")
    r = rules[rule_id]
    eff = r.rule.effective
    if not eff.covers(c.case.date):
        until = f" until {eff.until}" if eff.until else ""
        return (
            f"not in force on {c.case.date} (in force from {eff.from_}{until}; {r.file}:{r.line})"
        )
    return f"does not apply to this post (applies_to at {r.file}:{r.line}, or replaced by an exception_of rule)"


def run_case(c: LoadedCase) -> Outcome:
    """Run a case; raise :class:`CaseFailure` naming the file, line and case when it fails."""
    outcome = evaluate_case(c)
    lines = []
    known = outcome.ruleset.by_id()
    for rule_id, expected in c.case.expect.items():
        if rule_id not in outcome.verdicts:
            if expected != "N/A" or rule_id not in known:
                lines.append(
                    f"  {rule_id}: expected {expected}, but {_absent(rule_id, c, outcome)}"
                )
            continue
        v, en = outcome.verdicts[rule_id]
        if expected == "N/A":
            r = known[rule_id]
            lines.append(
                f"  {rule_id}: expected N/A (no verdict), but it is in force and applies: "
                f"{v.verdict} ({v.explanation}; {r.file}:{r.line})"
            )
            continue
        if v.verdict != expected:
            lines += [
                f"  {rule_id}: expected {expected}, got {v.verdict}",
                f"    penjelasan: {v.explanation}",
                f"    explanation: {en.explanation}",
            ]
            if v.counterfactual is not None:
                lines.append(
                    f"    bila gagal / would change it: {v.counterfactual.id} / {en.counterfactual.en}"
                )
            lines.append(f"    rule: {v.file}:{v.line} ({v.source})")
    if c.case.eligible is not None and c.case.eligible != outcome.eligible:
        failing = [
            rid for rid, (v, _) in outcome.verdicts.items() if v.hard and v.verdict != "PASS"
        ]
        lines.append(
            f"  eligible: expected {str(c.case.eligible).lower()}, got {str(outcome.eligible).lower()}"
            + (f" (not PASS: {', '.join(failing)})" if failing else " (every hard rule passes)")
        )
        for rid in failing:
            v, _ = outcome.verdicts[rid]
            lines.append(f"    {rid} {v.verdict}: {v.explanation}")
    if c.case.obligations is not None and c.case.obligations != outcome.obligations:
        lines.append(
            f"  obligations: expected {c.case.obligations or 'none'}, got {outcome.obligations or 'none'}"
        )
    if outcome.eligible != outcome.vector_eligible:
        lines.append(
            f"  engine disagreement: per-pair verdicts say eligible={outcome.eligible}, "
            f"the vectorised eligibility says {outcome.vector_eligible}"
        )
    if lines:
        raise CaseFailure(f"{c.where}: case '{c.case.name}'\n" + "\n".join(lines))
    return outcome


# -- the pytest plugin ---------------------------------------------------------
class CaseFile(pytest.File):
    """A YAML file of rule test cases."""

    def collect(self):
        for c in load_cases(self.path):
            item = CaseItem.from_parent(self, name=c.case.name, loaded=c)
            if c.case.known_wrong:
                item.add_marker(pytest.mark.xfail(strict=True, reason=c.case.known_wrong))
            yield item

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, InputError):
            return f"case file cannot be read:\n{excinfo.value}"
        return super().repr_failure(excinfo, style)


class CaseItem(pytest.Item):
    """One case: passes when every expected verdict (and eligibility) holds."""

    def __init__(self, *, loaded: LoadedCase, **kwargs):
        super().__init__(**kwargs)
        self.loaded = loaded

    def runtest(self) -> None:
        run_case(self.loaded)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, (CaseFailure, InputError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.loaded.line - 1, f"{self.loaded.where}: {self.loaded.case.name}"


def collect_file(file_path: Path, parent: pytest.Collector, folder: Path) -> CaseFile | None:
    """Collect ``*.yaml`` files directly in ``folder`` (not its subfolders) as case files."""
    if file_path.suffix in {".yaml", ".yml"} and file_path.parent == folder:
        return CaseFile.from_parent(parent, path=file_path)
    return None
