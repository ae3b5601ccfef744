"""Fuzz targets for every loader, and mutations of the valid bundled files.

A *target* takes the bytes of one file, writes them where its loader reads
and calls the loader. The oracle is the same everywhere: the loader returns,
or raises :class:`engine.errors.TalentaError` (a user's mistake, shown as a
message and exit code 2); any other exception is a crash. Both the pytest
fuzz tests (hypothesis, few examples) and the long run (``bench/fuzz.py``:
atheris when installed, hypothesis otherwise) use these targets.

Inputs are raw bytes and *structured mutations* of valid files: the bundled
rules and settings, the demo scenario and the corpus project's tables,
mutated as text (cut, insert, swap lines), as YAML trees (replace a value
with an odd one, drop or add a key) or as CSV cells (an odd value, a missing
or repeated column, another delimiter). Structured mutations get past the
parser to the checks behind it, where crashes hide.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import random
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from factories import ROOT
from hardening.project import build_baseline

from engine.errors import TalentaError

__all__ = [
    "TARGETS",
    "Target",
    "Workspace",
    "mutate",
    "outcome",
    "xlsx_bytes",
]

# Odd cell and scalar values: each has broken a parser somewhere.
ODD_TEXT: tuple[str, ...] = (
    "",
    " ",
    "0",
    "-1",
    "1e400",
    "-1e400",
    "nan",
    "NaN",
    "inf",
    "99999999999999999999999999",
    "1.5",
    "0,5",
    "2024-02-30",
    "2024-13-01",
    "1899-12-31",
    "0001-01-01",
    "9999-12-31",
    "2262-04-12",
    "1677-09-21",
    "45000",
    "31/12/2020",
    "2024-01-01 00:00:00",
    "III-d",
    "3d",
    "iii/d",
    "IV/e",
    "I/e",
    "ya",
    "tidak",
    "Baik",
    "sangat baik",
    "S1",
    "s1",
    "L",
    "p",
    "JPT Pratama",
    "IV.a",
    "K1",
    "K2",
    "K9",
    "197003151995031001",
    "19700315199503100",
    "1970031519950310011",
    "19700315199503300A",
    "PKP:2015|PKA:2021",
    "PKP:",
    ":2015",
    "PKP:99999",
    "ringan",
    "berat",
    "Teknik Sipil",
    "=1+1",
    "@SUM(A1)",
    "\t",
    "\u202e",
    "\U0001f600",
    "x" * 300,
    "~",
    "null",
    "[1, 2]",
    "{a: 1}",
    "&a",
    "*a",
    "!!python/object/apply:os.system",
    "<<",
    "- x",
    "? x",
    "'",
    '"',
    "#",
    "%YAML 1.1",
    "---",
    "...",
)
ODD_YAML: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    10**30,
    1.5,
    -0.5,
    float("nan"),
    float("inf"),
    "",
    "x",
    "2024-02-30",
    dt.date(2024, 2, 29),
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    [],
    {},
    [None],
    {"a": None},
    ["x", "y"],
    {"from": "2024-01-01"},
    {"min": "IV/e"},
    "III/d",
    "JPT Pratama",
    "Teknik Sipil",
    "../../../etc/passwd",
    "/etc/hostname",
    "a\x00b",
    "x" * 5000,
)


def outcome(call: Callable[[], object]) -> str:
    """``ok`` or ``error`` (a TalentaError); anything else propagates as a crash."""
    try:
        call()
    except TalentaError:
        return "error"
    return "ok"


# --------------------------------------------------------------------------
# mutations
# --------------------------------------------------------------------------


def mutate(rng: random.Random, seed: bytes, style: str) -> bytes:
    """A structured mutation of ``seed``: 1-3 ``text``, ``yaml`` or ``csv`` operations
    (mostly one, so that many inputs stay valid enough to reach the checks)."""
    if style == "round":  # a whole round: hardening.fuzz_round mutates its files
        from hardening.fuzz_round import mutate_round

        return mutate_round(rng, seed)
    data = seed
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        try:
            if style == "yaml" and rng.random() < 0.6:
                data = _mutate_yaml(rng, data)
            elif style == "csv" and rng.random() < 0.7:
                data = _mutate_csv(rng, data)
            else:
                data = _mutate_text(rng, data)
        except (ValueError, IndexError, KeyError, TypeError):
            # An operation that does not fit this input (an empty header, say):
            # the harness's limit, not the loader's; cut the text instead.
            data = _mutate_text(rng, data)
    return data


def _mutate_text(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    op = rng.randrange(8)
    at = rng.randrange(len(data) + 1)
    if op == 0:  # truncate
        return data[:at]
    if op == 1:  # delete a slice
        return data[:at] + data[at + rng.randint(1, 40) :]
    if op == 2:  # insert an odd token
        return data[:at] + rng.choice(ODD_TEXT).encode("utf-8") + data[at:]
    if op == 3:  # insert raw bytes
        noise = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        return data[:at] + noise + data[at:]
    if op == 4 and lines:  # duplicate a line
        k = rng.randrange(len(lines))
        lines.insert(k, lines[k])
    elif op == 5 and len(lines) > 1:  # swap two lines
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
    elif op == 6 and lines:  # replace a line
        lines[rng.randrange(len(lines))] = rng.choice(ODD_TEXT).encode("utf-8")
    elif op == 7 and lines:  # indent or dedent a line
        k = rng.randrange(len(lines))
        lines[k] = rng.choice([b" ", b"  ", b"\t", b""]) + lines[k].lstrip(b" ")
    return b"\n".join(lines)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _mutate_yaml(rng: random.Random, data: bytes) -> bytes:
    try:
        tree = yaml.safe_load(data.decode("utf-8"))
    except Exception:  # the harness's own parse of an already-mutated text
        return _mutate_text(rng, data)
    if tree is None:
        return _mutate_text(rng, data)
    tree = copy.deepcopy(tree)
    paths = _paths(tree)
    path = rng.choice(paths)
    op = rng.randrange(6)
    if not path:
        tree = rng.choice(ODD_YAML) if op == 0 else tree
    else:
        parent = tree
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        if op <= 1:  # an odd value
            parent[key] = copy.deepcopy(rng.choice(ODD_YAML))
        elif op == 2 and isinstance(parent, dict):  # drop a key
            del parent[key]
        elif op == 2 and isinstance(parent, list):
            parent.pop(key)
        elif op == 3 and isinstance(parent, dict):  # an unknown or odd key
            parent[rng.choice(["extra", "", "1", "kind", "id", "from", "unit"])] = rng.choice(
                ODD_YAML
            )
        elif op == 4 and isinstance(parent, list):  # repeat an item
            parent.append(copy.deepcopy(parent[key]))
        else:  # a value from elsewhere in the file
            other = rng.choice(paths)
            value: Any = tree
            for part in other:
                value = value[part]
            parent[key] = copy.deepcopy(value)
    try:
        return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8")
    except Exception:
        return data


def _mutate_csv(rng: random.Random, data: bytes) -> bytes:
    try:
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error):
        return _mutate_text(rng, data)
    if not rows:
        return _mutate_text(rng, data)
    width = max(len(r) for r in rows)
    op = rng.randrange(9)
    if op <= 2 and len(rows) > 1:  # an odd cell
        row = rng.randrange(1, len(rows))
        if rows[row]:
            rows[row][rng.randrange(len(rows[row]))] = rng.choice(ODD_TEXT)
    elif op == 3 and width:  # drop a column
        k = rng.randrange(width)
        rows = [r[:k] + r[k + 1 :] for r in rows]
    elif op == 4 and width:  # repeat a column
        k = rng.randrange(width)
        rows = [[*r, r[k]] if k < len(r) else r for r in rows]
    elif op == 5 and rows[0]:  # rename a header cell
        rows[0][rng.randrange(len(rows[0]))] = rng.choice(
            ["", "NIP", "nip", "nama", "skp_2025", "skp_99", "golongan", "x", "jabatan_id"]
        )
    elif op == 6 and len(rows) > 1:  # repeat or drop a row
        k = rng.randrange(1, len(rows))
        if rng.random() < 0.5:
            rows.insert(k, list(rows[k]))
        else:
            rows.pop(k)
    elif op == 7 and len(rows) > 1 and width:  # copy a cell into another row (duplicates)
        a, b = rng.randrange(1, len(rows)), rng.randrange(1, len(rows))
        k = rng.randrange(width)
        if k < len(rows[a]) and k < len(rows[b]):
            rows[b][k] = rows[a][k]
    out = io.StringIO()
    delimiter = ";" if op == 8 else ","
    csv.writer(out, delimiter=delimiter, lineterminator=rng.choice(["\n", "\r\n"])).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(csv_data: bytes) -> bytes:
    """A workbook holding the cells of ``csv_data``, typed as Excel would type them.

    Numbers become numbers (up to 15 digits: a NIP stays text, as in a column
    formatted as Text), ISO dates become dates, the rest text; bytes that are not UTF-8 or that a
    worksheet cannot hold are dropped. Used to fuzz the XLSX reader through
    the same mutations as CSV.
    """
    text = csv_data.decode("utf-8", "ignore").removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        rows = [line.split(delimiter) for line in text.splitlines()]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows[:200]:
        sheet.append([_typed(c) for c in row[:60]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


def _typed(cell: str) -> object:
    cell = cell.translate(_ILLEGAL)[:2000]
    if cell.lstrip("-").isdigit():
        # Longer digit strings (a NIP) stay text, as in a column formatted as Text.
        return int(cell) if len(cell) <= 15 else cell
    try:
        return dt.datetime.strptime(cell, "%Y-%m-%d")
    except ValueError:
        pass
    try:
        return float(cell) if cell.strip() else None
    except ValueError:
        return cell


# --------------------------------------------------------------------------
# targets
# --------------------------------------------------------------------------


class Workspace:
    """A valid project in a temporary folder that the targets write their inputs into."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="talenta-fuzz-"))
        self.project = build_baseline(self.folder / "project")
        self.inputs = self.project / "fuzz"
        self.inputs.mkdir()
        from engine.inputs.settings import load_taxonomy

        taxonomy = load_taxonomy(self.project / "rules/taksonomi.yaml")
        self.majors = list(taxonomy.field_of_major)
        self.fields = list(taxonomy.fields)

    def path(self, name: str) -> Path:
        return self.inputs / name

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class Target:
    """A loader under fuzz: its seeds, how to mutate them and how to call it."""

    name: str
    style: str  # text | yaml | csv | xlsx
    seeds: Callable[[Workspace], list[bytes]]
    run: Callable[[Workspace, bytes], str]


def _files(*names: str) -> Callable[[Workspace], list[bytes]]:
    return lambda ws: [(ROOT / n).read_bytes() for n in names]


def _yaml_target(name: str, loader: str, *seeds: str) -> Target:
    def run(ws: Workspace, data: bytes) -> str:
        import engine.inputs.settings
        import engine.inputs.yamlio
        import engine.rules.ruleset
        import engine.scoring.talent

        path = ws.path(f"{name}.yaml")
        path.write_bytes(data)
        fn = {
            "load_yaml": engine.inputs.yamlio.load_yaml,
            "load_rules": lambda p: engine.rules.ruleset.load_rules([p], fields=ws.fields),
            "load_taxonomy": engine.inputs.settings.load_taxonomy,
            "load_weights": engine.inputs.settings.load_weights,
            "load_bup": engine.inputs.settings.load_bup,
            "load_talent_box": engine.scoring.talent.load_talent_box,
        }[loader]
        return outcome(lambda: fn(path))

    return Target(name, "yaml", _files(*seeds), run)


def _rank_progression(ws: Workspace, data: bytes) -> str:
    from engine.inputs.progression import load_rank_progression

    path = ws.path("rank.yaml")
    path.write_bytes(data)
    return outcome(lambda: load_rank_progression(path))


def _scenario_seeds(ws: Workspace) -> list[bytes]:
    demo = (ROOT / "scenarios/demo.yaml").read_text(encoding="utf-8")
    demo = demo.replace("  riwayat: ../data/demo/riwayat_jabatan.csv\n", "")
    demo = demo.replace("../data/demo/", "../data/")
    demo = demo.replace("../rules/struktural.yaml, ", "").replace(", ../rules/keilmuan.yaml", "")
    # The open selection's rules name struktural.yaml's rules (exception_of).
    demo = demo.replace(", ../rules/seleksi-terbuka.yaml", "")
    return [(ws.project / "scenarios/round.yaml").read_bytes(), demo.encode("utf-8")]


def _scenario(ws: Workspace, data: bytes) -> str:
    """load_scenario, and when it passes the whole load_context (references, derive)."""
    from engine.inputs.scenario import load_scenario
    from engine.plan.pipeline import load_context

    path = ws.project / "scenarios/fuzz.yaml"
    path.write_bytes(data)
    result = outcome(lambda: load_scenario(path))
    if result == "ok":
        result = outcome(lambda: load_context(path))
    return result


def _table_seeds(role: str) -> Callable[[Workspace], list[bytes]]:
    """The corpus project's table (its partner table is the project's other one), also
    written with semicolons and a BOM as Indonesian Excel writes CSV."""

    def seeds(ws: Workspace) -> list[bytes]:
        plain = (ws.project / "data" / f"{role}.csv").read_bytes()
        rows = list(csv.reader(io.StringIO(plain.decode("utf-8"), newline="")))
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
        return [plain, out.getvalue().encode("utf-8-sig")]

    return seeds


def _tables(role: str, fmt: str) -> Callable[[Workspace, bytes], str]:
    def run(ws: Workspace, data: bytes) -> str:
        from engine.inputs.data import load_tables, read_table

        path = ws.path(f"{role}.{fmt}")
        path.write_bytes(xlsx_bytes(data) if fmt == "xlsx" else data)
        first = outcome(lambda: read_table(path))
        other = ws.project / "data" / ("jabatan.csv" if role == "pegawai" else "pegawai.csv")
        pair = (path, other) if role == "pegawai" else (other, path)
        second = outcome(lambda: load_tables(*pair, majors=ws.majors, fields=ws.fields))
        return second if first == "ok" else first

    return run


def _xlsx_raw(ws: Workspace, data: bytes) -> str:
    from engine.inputs.data import read_table

    path = ws.path("raw.xlsx")
    path.write_bytes(data)
    return outcome(lambda: read_table(path))


def _round_seeds(ws: Workspace) -> list[bytes]:
    from hardening.fuzz_round import round_seed

    return [round_seed(ws.project)]


def _whole_round(ws: Workspace, data: bytes) -> str:
    """``talenta plan`` over a whole mutated round, in a child under memory and time limits."""
    from hardening.fuzz_round import round_seed, run_round

    result = run_round(ws.folder / "round", data, round_seed(ws.project))
    if result.outcome == "crash":
        raise AssertionError(f"whole round crashed: {result.detail}")
    return result.outcome


SIASN_FIXTURES = ROOT / "tests/engine/inputs/siasn/fixtures/siasn"


def _siasn_seeds(name: str) -> Callable[[Workspace], list[bytes]]:
    return lambda ws: [(SIASN_FIXTURES / name).read_bytes()]


def _siasn(name: str) -> Callable[[Workspace, bytes], str]:
    """``talenta import siasn`` of the committed synthetic files, one of them mutated."""

    def run(ws: Workspace, data: bytes) -> str:
        import shutil

        from engine.inputs.siasn.run import Options, import_siasn

        folder = ws.path("siasn")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(SIASN_FIXTURES, folder)
        (folder / name).write_bytes(data)
        out = ws.path("siasn-out")
        shutil.rmtree(out, ignore_errors=True)
        return outcome(lambda: import_siasn([folder], out, Options()))

    return run


def _xlsx_seeds(ws: Workspace) -> list[bytes]:
    return [xlsx_bytes((ws.project / "data/pegawai.csv").read_bytes())]


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        _yaml_target("load_yaml", "load_yaml", "rules/bobot.yaml", "scenarios/demo.yaml"),
        _yaml_target("load_rules", "load_rules", "rules/golongan.yaml", "rules/keilmuan.yaml"),
        _yaml_target("load_taxonomy", "load_taxonomy", "rules/taksonomi.yaml"),
        _yaml_target("load_weights", "load_weights", "rules/bobot.yaml"),
        _yaml_target("load_bup", "load_bup", "rules/bup.yaml"),
        _yaml_target("load_talent_box", "load_talent_box", "rules/kotak-talenta.yaml"),
        Target(
            "load_rank_progression",
            "yaml",
            _files("rules/kenaikan-pangkat.yaml"),
            _rank_progression,
        ),
        Target("load_scenario", "yaml", _scenario_seeds, _scenario),
        Target("tables_pegawai_csv", "csv", _table_seeds("pegawai"), _tables("pegawai", "csv")),
        Target("tables_jabatan_csv", "csv", _table_seeds("jabatan"), _tables("jabatan", "csv")),
        Target("tables_pegawai_xlsx", "csv", _table_seeds("pegawai"), _tables("pegawai", "xlsx")),
        Target("tables_jabatan_xlsx", "csv", _table_seeds("jabatan"), _tables("jabatan", "xlsx")),
        Target("read_table_xlsx_bytes", "text", _xlsx_seeds, _xlsx_raw),
        Target("whole_round", "round", _round_seeds, _whole_round),
        Target(
            "siasn_data_utama", "text", _siasn_seeds("data-utama.json"), _siasn("data-utama.json")
        ),
        Target(
            "siasn_rw_jabatan", "text", _siasn_seeds("rw-jabatan.json"), _siasn("rw-jabatan.json")
        ),
        Target(
            "siasn_export_csv",
            "csv",
            _siasn_seeds("export-data-asn.csv"),
            _siasn("export-data-asn.csv"),
        ),
    )
}
