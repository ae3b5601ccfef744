"""``talenta check``: recognise and check any mix of input files and folders.

Each file is recognised by its content, not its name: a YAML list is a rule
file; a YAML mapping says what it is with ``kind:`` (scenario, taxonomy,
weights, bup); a table (CSV, XLSX) is a pegawai, jabatan or riwayat table by
its columns. Rule files are checked together (duplicate ids and
contradictions cross files), and so are tables (incumbents must exist).
Every problem of every file is collected before anything is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputError, Problem
from engine.inputs.data import load_tables, read_table
from engine.inputs.scenario import load_scenario
from engine.inputs.settings import load_bup, load_taxonomy, load_weights
from engine.inputs.yamlio import load_yaml
from engine.rules.ruleset import load_rules
from engine.scoring.talent import load_talent_box
from engine.succession.progression import load_rank_progression

__all__ = ["CheckResult", "check_paths"]

YAML = {".yaml", ".yml"}
TABLES = {".csv", ".xlsx", ".xlsm"}
SETTING_KINDS = ("scenario", "taxonomy", "weights", "bup", "talent_box", "rank_progression")


@dataclass
class CheckResult:
    checked: list[tuple[str, str]]  # (file, what it was recognised as)
    problems: list[Problem]


def _expand(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in YAML | TABLES
                and not any(part.startswith(".") for part in p.parts)
            )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "not found"))
    return files, problems


def _table_role(path: Path) -> str | None:
    frame, _ = read_table(path)
    cols = set(frame.columns)
    if "jabatan_id" in cols or "nip_pemangku" in cols:
        return "jabatan"
    if "tmt_mulai" in cols:
        return "riwayat"
    if "nip" in cols:
        return "pegawai"
    return None


def check_paths(paths: list[Path]) -> CheckResult:
    """Check every file under ``paths``; never raises for bad input."""
    files, problems = _expand(paths)
    checked: list[tuple[str, str]] = []
    rule_files: list[Path] = []
    taxonomy = None
    tables: dict[str, list[Path]] = {"pegawai": [], "jabatan": [], "riwayat": []}
    settings = []
    for path in files:
        suffix = path.suffix.lower()
        try:
            if suffix in YAML:
                data, _ = load_yaml(path)
                if isinstance(data, list):
                    rule_files.append(path)
                elif isinstance(data, dict) and data.get("kind") in SETTING_KINDS:
                    settings.append((path, data["kind"]))
                else:
                    problems.append(
                        Problem(
                            str(path),
                            "not a talenta file",
                            line=1,
                            allowed="a list of rules, or a mapping with kind: scenario, taxonomy, weights, bup or talent_box",
                        )
                    )
            elif suffix in TABLES:
                role = _table_role(path)
                if role is None:
                    problems.append(
                        Problem(
                            str(path),
                            "not a pegawai, jabatan or riwayat table",
                            line=1,
                            hint="see docs/data.md for the columns",
                        )
                    )
                else:
                    tables[role].append(path)
            else:
                problems.append(
                    Problem(
                        str(path), f"unknown file type '{suffix}'", allowed=".yaml, .csv, .xlsx"
                    )
                )
        except InputError as exc:
            problems.extend(exc.problems)
    for path, kind in settings:
        try:
            if kind == "taxonomy":
                taxonomy = load_taxonomy(path)
            elif kind == "weights":
                load_weights(path)
            elif kind == "bup":
                load_bup(path)
            elif kind == "talent_box":
                load_talent_box(path)
            elif kind == "rank_progression":
                load_rank_progression(path)
            else:
                load_scenario(path)
            checked.append((str(path), kind))
        except InputError as exc:
            problems.extend(exc.problems)
    if rule_files:
        try:
            rs = load_rules(rule_files, fields=taxonomy.fields if taxonomy else None)
            checked.extend(
                (name, f"rules ({sum(1 for r in rs.rules if r.file == name)})") for name in rs.files
            )
        except InputError as exc:
            problems.extend(exc.problems)
    peg, jab, riw = tables["pegawai"], tables["jabatan"], tables["riwayat"]
    pairs = max(len(peg), len(jab))
    for k in range(pairs):
        p = peg[k] if k < len(peg) else None
        j = jab[k] if k < len(jab) else None
        r = riw[k] if k < len(riw) else None
        try:
            if p is not None and j is not None:
                load_tables(
                    p,
                    j,
                    r,
                    majors=list(taxonomy.field_of_major) if taxonomy else None,
                    fields=taxonomy.fields if taxonomy else None,
                )
                checked.extend(
                    (str(x), role)
                    for x, role in ((p, "pegawai"), (j, "jabatan"), (r, "riwayat"))
                    if x is not None
                )
            else:
                only = p or j
                assert only is not None
                _check_single(only)
                checked.append((str(only), "pegawai" if p else "jabatan"))
                if r is not None:
                    _check_single(r)
                    checked.append((str(r), "riwayat"))
        except InputError as exc:
            problems.extend(exc.problems)
    for r in riw[pairs:]:
        try:
            _check_single(r)
            checked.append((str(r), "riwayat"))
        except InputError as exc:
            problems.extend(exc.problems)
    return CheckResult(checked, sorted(problems, key=Problem.sort_key))


def _check_single(path: Path) -> None:
    """Check one table alone (its own columns and rows, no cross-references)."""
    from engine.inputs import data

    frame, offset = read_table(path)
    role = _table_role(path)
    parsers = {
        "pegawai": data._parse_pegawai,
        "jabatan": data._parse_jabatan,
        "riwayat": data._parse_riwayat,
    }
    parser = parsers[role or "pegawai"]
    _, problems = parser(str(path), frame, offset)
    if problems:
        raise InputError(problems)
