"""``talenta check``: recognise and check any mix of input files and folders.

Each file is recognised by its content, not its name: a YAML list is a rule
file; a YAML mapping says what it is with ``kind:`` (scenario, taxonomy,
weights, bup); a table (CSV, XLSX) is a pegawai, jabatan, riwayat or hukuman
(sanction history) table by its columns. Rule files are checked together (duplicate ids and
contradictions cross files), and so are tables (incumbents must exist). A
scenario is checked as its round reads it (:func:`engine.round.context.load_context`):
every file it names or inherits, rule selectors against its tables, pins and
bans against its people and posts, with the messages ``talenta plan`` gives.
Every problem of every file is collected before anything is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import InputError, Problem, message
from engine.inputs.data import load_tables, read_table
from engine.inputs.equivalence import load_equivalences
from engine.inputs.progression import load_rank_progression
from engine.inputs.scenario import load_scenario
from engine.inputs.settings import load_bup, load_taxonomy, load_weights
from engine.inputs.yamlio import load_yaml
from engine.rules.ruleset import load_rules
from engine.scoring.talent import load_talent_box

__all__ = ["CheckResult", "check_paths"]

YAML = {".yaml", ".yml"}
TABLES = {".csv", ".xlsx", ".xlsm"}
SETTING_KINDS = (
    "scenario",
    "taxonomy",
    "weights",
    "bup",
    "talent_box",
    "rank_progression",
    "equivalences",
)


@dataclass
class CheckResult:
    checked: list[tuple[str, str]]  # (file, what it was recognised as)
    problems: list[Problem]
    # Sources not (yet) verified against the regulation's text: "file: what: source".
    unverified: list[str] = field(default_factory=list)


def _expand(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files under ``paths``. Anything that is not a folder is kept, a FIFO or a
    device too: its reader refuses it by name instead of it being skipped unseen."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if not p.is_dir()
                and p.suffix.lower() in YAML | TABLES
                and not any(part.startswith(".") for part in p.parts)
            )
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            problems.append(Problem(str(path), message("path_not_found")))
    return files, problems


def _table_role(path: Path) -> str | None:
    frame, _ = read_table(path)
    cols = set(frame.columns)
    if "tmt_mulai" in cols:  # a post history may name its posts by jabatan_id
        return "riwayat"
    if "jabatan_id" in cols or "nip_pemangku" in cols:
        return "jabatan"
    if "hukuman_tingkat" in cols and "tanggal_lahir" not in cols and "nama" not in cols:
        return "hukuman"
    if "nip" in cols:
        return "pegawai"
    return None


def check_paths(paths: list[Path]) -> CheckResult:
    """Check every file under ``paths``; never raises for bad input."""
    files, problems = _expand(paths)
    found = _Found()
    for path in files:
        try:
            _recognise(path, found, problems)
        except InputError as exc:
            problems.extend(exc.problems)
    taxonomy = _check_settings(found, problems)
    _check_rules(found.rule_files, taxonomy, found, problems)
    _check_tables(found.tables, taxonomy, found.checked, problems)
    unique = list({(p.sort_key(), str(p)): p for p in problems}.values())
    return CheckResult(found.checked, sorted(unique, key=Problem.sort_key), found.unverified)


@dataclass
class _Found:
    """Files recognised so far, by what they are."""

    checked: list[tuple[str, str]] = field(default_factory=list)
    rule_files: list[Path] = field(default_factory=list)
    settings: list[tuple[Path, str]] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    tables: dict[str, list[Path]] = field(
        default_factory=lambda: {"pegawai": [], "jabatan": [], "riwayat": [], "hukuman": []}
    )


def _recognise(path: Path, found: _Found, problems: list[Problem]) -> None:
    """Sort one file into rules, settings or a table by its content."""
    suffix = path.suffix.lower()
    if suffix in YAML:
        data, _ = load_yaml(path)
        if isinstance(data, list):
            found.rule_files.append(path)
        elif isinstance(data, dict) and data.get("kind") in SETTING_KINDS:
            found.settings.append((path, data["kind"]))
        else:
            problems.append(
                Problem(
                    str(path),
                    message("not_talenta_file"),
                    line=1,
                    allowed=message("talenta_file_allowed"),
                )
            )
    elif suffix in TABLES:
        role = _table_role(path)
        if role is None:
            problems.append(
                Problem(
                    str(path),
                    message("not_a_known_table"),
                    line=1,
                    hint=message("see_data_columns"),
                )
            )
        else:
            found.tables[role].append(path)
    else:
        problems.append(
            Problem(
                str(path), message("unknown_file_type", suffix=suffix), allowed=".yaml, .csv, .xlsx"
            )
        )


_SETTING_LOADERS = {
    "taxonomy": load_taxonomy,
    "weights": load_weights,
    "bup": load_bup,
    "talent_box": load_talent_box,
    "rank_progression": load_rank_progression,
    "equivalences": load_equivalences,
    "scenario": load_scenario,
}


def _check_scenario(path: Path):
    """A scenario is checked as its round loads it: every file it names (those it
    inherits through ``extends:`` too), its rules against its tables, its pins and
    bans against its people and posts: the messages ``talenta plan`` would give."""
    from engine.round.context import load_context

    return load_context(path)


def _check_settings(found: _Found, problems: list[Problem]):
    """Load every settings file; return the taxonomy, if one loaded (rules and tables use it)."""
    taxonomy = None
    for path, kind in found.settings:
        try:
            loaded = (_check_scenario if kind == "scenario" else _SETTING_LOADERS[kind])(path)
            if kind == "taxonomy":
                taxonomy = loaded
            found.checked.append((str(path), kind))
            found.unverified.extend(_unverified_settings(str(path), kind, loaded))
        except InputError as exc:
            problems.extend(exc.problems)
    return taxonomy


def _unverified_settings(name: str, kind: str, loaded) -> list[str]:
    """The sources of a settings file (or of its versions) not verified against the text."""
    if kind == "scenario":
        return []
    versions = getattr(loaded, "versions", None) or (loaded,)
    return [
        f"{name}: {kind}{f' ({v.regime})' if getattr(v, 'regime', None) else ''}: {v.source}"
        for v in versions
        if not v.verified
    ]


def _check_rules(rule_files: list[Path], taxonomy, found: _Found, problems: list[Problem]) -> None:
    if not rule_files:
        return
    try:
        rs = load_rules(rule_files, fields=taxonomy.fields if taxonomy else None)
        found.checked.extend(
            (name, f"rules ({sum(1 for r in rs.rules if r.file == name)})") for name in rs.files
        )
        found.unverified.extend(
            f"{r.file}:{r.line}: {r.rule.id}: {r.rule.source}"
            for r in rs.rules
            if not r.rule.verified
        )
    except InputError as exc:
        problems.extend(exc.problems)


def _check_tables(
    tables: dict[str, list[Path]],
    taxonomy,
    checked: list[tuple[str, str]],
    problems: list[Problem],
) -> None:
    """Pegawai and jabatan tables in pairs (cross-checked, with the k-th riwayat and
    hukuman tables), the rest alone."""
    peg, jab = tables["pegawai"], tables["jabatan"]
    riw, huk = tables["riwayat"], tables["hukuman"]
    pairs = max(len(peg), len(jab))
    for k in range(pairs):
        p = peg[k] if k < len(peg) else None
        j = jab[k] if k < len(jab) else None
        r = riw[k] if k < len(riw) else None
        h = huk[k] if k < len(huk) else None
        try:
            if p is not None and j is not None:
                load_tables(
                    p,
                    j,
                    r,
                    hukuman=h,
                    majors=list(taxonomy.field_of_major) if taxonomy else None,
                    fields=taxonomy.fields if taxonomy else None,
                )
                checked.extend(
                    (str(x), role)
                    for x, role in ((p, "pegawai"), (j, "jabatan"), (r, "riwayat"), (h, "hukuman"))
                    if x is not None
                )
            else:
                only = p or j
                assert only is not None
                _check_single(only)
                checked.append((str(only), "pegawai" if p else "jabatan"))
                for x, role in ((r, "riwayat"), (h, "hukuman")):
                    if x is not None:
                        _check_single(x)
                        checked.append((str(x), role))
        except InputError as exc:
            problems.extend(exc.problems)
    for x, role in [*((r, "riwayat") for r in riw[pairs:]), *((h, "hukuman") for h in huk[pairs:])]:
        try:
            _check_single(x)
            checked.append((str(x), role))
        except InputError as exc:
            problems.extend(exc.problems)


def _check_single(path: Path) -> None:
    """Check one table alone (its own columns and rows, no cross-references)."""
    from engine.inputs import data

    frame, offset = read_table(path)
    role = _table_role(path)
    parser = data.PARSERS[role or "pegawai"]
    _, problems = parser(str(path), frame, offset)
    if problems:
        raise InputError(problems)
