"""Corpus cases of issue 19: hostile and outsized input, tried as an attacker would.

Registered into :data:`hardening.corpus.CASES` (imported at the end of
``corpus.py``), so each runs through ``load_context`` and ``talenta check``
like every other case. The outsized inputs are made small by construction
(a sparse file, a sheet that compresses well, one row numbered past the
limit); what they exercise is that the refusal comes before the parsing.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from hardening.corpus import JABATAN, PEGAWAI, PEGAWAI_X, SCENARIO, case
from hardening.project import Project

from engine.inputs.data import MAX_PROBLEMS, MAX_TABLE_ROWS

RULES = "rules/unit.yaml"
BUP = "rules/bup.yaml"


def _rewrite_sheet(path: Path, transform: Callable[[bytes], bytes], level: int = 6) -> None:
    """Rewrite the first sheet's XML of a workbook (openpyxl writes xl/worksheets/sheet1.xml)."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for info, data in parts:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = transform(data)
            target.writestr(info.filename, data)


def _without_dimension(xml: bytes) -> bytes:
    start = xml.index(b"<dimension")
    return xml[:start] + xml[xml.index(b"/>", start) + 2 :]


def _fifo(p: Project, rel: str) -> None:
    path = p.root / rel
    path.unlink(missing_ok=True)
    os.mkfifo(path)


# --------------------------------------------------------------------------
# 1. XLSX zip bomb
# --------------------------------------------------------------------------


@case(
    "pegawai-xlsx-zip-bomb",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: part xl/worksheets/sheet1.xml unpacks",
    "times its size",
    "a zip bomb?",
    "allowed: at most 1,073,741,824 bytes unpacked",
    "100 times the packed size",
    located=False,
    cli="plan",
)
def _(p: Project) -> None:
    """40 MB of junk rows in a 0.1 MB file, its <dimension> removed (issue 19: 385 MB
    from 1.5 MB ran 222 s and took 4.1 GB)."""
    path = p.xlsx("pegawai")
    junk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 800_000

    def bomb(xml: bytes) -> bytes:
        xml = _without_dimension(xml)
        return xml.replace(b"</sheetData>", junk + b"</sheetData>")

    _rewrite_sheet(path, bomb, level=9)


@case(
    "pegawai-xlsx-row-past-the-limit",
    "pegawai-xlsx",
    PEGAWAI_X,
    f"pegawai.xlsx: has more than {MAX_TABLE_ROWS:,} rows",
    f"allowed: at most {MAX_TABLE_ROWS:,} rows",
    located=False,
)
def _(p: Project) -> None:
    """One row numbered past the limit: openpyxl would yield every empty row before it."""
    path = p.xlsx("pegawai")
    far = f'<row r="{MAX_TABLE_ROWS + 5}"><c r="A{MAX_TABLE_ROWS + 5}" t="inlineStr">'
    far += "<is><t>x</t></is></c></row>"
    _rewrite_sheet(
        path,
        lambda xml: _without_dimension(xml).replace(
            b"</sheetData>", far.encode() + b"</sheetData>"
        ),
    )


@case(
    "pegawai-xlsx-cell-far-right",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: a row has more than 702 cells",
    "allowed: at most 702 columns",
    located=False,
)
def _(p: Project) -> None:
    """A cell in column XFD: every row would be padded to 16,384 cells."""
    path = p.xlsx("pegawai")
    cell = b'<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    _rewrite_sheet(path, lambda xml: xml.replace(b"</row>", cell, 2))


# --------------------------------------------------------------------------
# 2. Huge CSVs
# --------------------------------------------------------------------------


@case(
    "pegawai-csv-past-the-row-limit",
    "pegawai-csv",
    PEGAWAI,
    f"pegawai.csv: has more than {MAX_TABLE_ROWS:,} rows",
    f"allowed: at most {MAX_TABLE_ROWS:,} rows",
    located=False,
    cli="check",
)
def _(p: Project) -> None:
    """Junk rows past the limit (issue 19: a million took 186 s and 8.7 GB)."""
    header = ",".join(p.table_rows("pegawai")[0])
    p.write(PEGAWAI, header + "\n" + "x,y\n" * (MAX_TABLE_ROWS + 1))


@case(
    "pegawai-csv-many-bad-rows-are-capped",
    "pegawai-csv",
    PEGAWAI,
    "more problems in this file, not listed",
    f"(the first {MAX_PROBLEMS:,} are)",
    located=False,
)
def _(p: Project) -> None:
    """Rows of the wrong width, more than the problems kept: the rest are counted."""
    header = ",".join(p.table_rows("pegawai")[0])
    p.write(PEGAWAI, header + "\n" + "x,y\n" * (MAX_PROBLEMS + 500))


# --------------------------------------------------------------------------
# 3. Not a regular file
# --------------------------------------------------------------------------


@case(
    "pegawai-fifo",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv: is not a regular file (a FIFO)",
    "allowed: a regular file",
    located=False,
    cli="plan",
)
def _(p: Project) -> None:
    _fifo(p, PEGAWAI)


@case(
    "pegawai-xlsx-fifo",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: is not a regular file (a FIFO)",
    located=False,
)
def _(p: Project) -> None:
    p.xlsx("pegawai")
    _fifo(p, PEGAWAI_X)


@case(
    "jabatan-fifo",
    "jabatan-csv",
    JABATAN,
    "jabatan.csv: is not a regular file (a FIFO)",
    located=False,
)
def _(p: Project) -> None:
    _fifo(p, JABATAN)


@case("rules-fifo", "rules", RULES, "unit.yaml: is not a regular file (a FIFO)", located=False)
def _(p: Project) -> None:
    _fifo(p, RULES)


@case("bup-fifo", "bup", BUP, "bup.yaml: is not a regular file (a FIFO)", located=False)
def _(p: Project) -> None:
    _fifo(p, BUP)


@case(
    "scenario-fifo",
    "scenario",
    SCENARIO,
    "round.yaml: is not a regular file (a FIFO)",
    located=False,
)
def _(p: Project) -> None:
    _fifo(p, SCENARIO)


@case(
    "pegawai-dev-zero",
    "pegawai-csv",
    "/dev/zero",  # the scenario resolves the link: the message names its target
    "/dev/zero: is not a regular file (a device)",
    located=False,
    via=("plan",),
)
def _(p: Project) -> None:
    """A symlink to /dev/zero: read, it never ends."""
    (p.root / "data/zero.csv").symlink_to("/dev/zero")
    p.replace_in(SCENARIO, "../data/pegawai.csv", "../data/zero.csv")
    p.append(SCENARIO, "allow_outside_paths: true\n")


# --------------------------------------------------------------------------
# 4. Scenario dates
# --------------------------------------------------------------------------


@case(
    "scenario-date-9999",
    "scenario",
    SCENARIO,
    "round.yaml:3: 'date': found 9999-12-31",
    "allowed: 1990-01-01 to 2100-12-31",
    cli="plan",
)
def _(p: Project) -> None:
    """Ended in "internal error: ValueError: year 10001"."""
    p.replace_in(SCENARIO, "date: 2026-07-01", "date: 9999-12-31")


@case(
    "scenario-date-2101",
    "scenario",
    SCENARIO,
    "round.yaml:3: 'date': found 2101-01-01",
    "allowed: 1990-01-01 to 2100-12-31",
)
def _(p: Project) -> None:
    """Accepted silently before."""
    p.replace_in(SCENARIO, "date: 2026-07-01", "date: 2101-01-01")


@case(
    "scenario-date-before-1990",
    "scenario",
    SCENARIO,
    "round.yaml:3: 'date': found 1989-12-31",
    "allowed: 1990-01-01 to 2100-12-31",
)
def _(p: Project) -> None:
    p.replace_in(SCENARIO, "date: 2026-07-01", "date: 1989-12-31")


@case(
    "scenario-retiring-before-far",
    "scenario",
    SCENARIO,
    "round.yaml:13: 'open.retiring_before': found 3000-01-01",
    "allowed: 1990-01-01 to 2100-12-31",
)
def _(p: Project) -> None:
    p.replace_in(SCENARIO, "  vacant: true\n", "  vacant: true\n  retiring_before: 3000-01-01\n")


# --------------------------------------------------------------------------
# 9. Control characters in every string of every input
# --------------------------------------------------------------------------


@case(
    "rules-title-with-escape-sequence",
    "rules",
    RULES,
    "unit.yaml:3: '[0].title': character U+001B (a control character) is not allowed",
    cli="plan",
)
def _(p: Project) -> None:
    """ESC in a YAML string passed the reader and crashed the workbook (IllegalCharacterError)."""
    p.replace_in(RULES, "  title: Pimpinan", '  title: "\\e[2J\\e[31mPimpinan')
    p.replace_in(RULES, "jabatan.\n", 'jabatan."\n')


@case(
    "scenario-name-with-osc-8-link",
    "scenario",
    SCENARIO,
    "round.yaml:2: 'name': character U+001B (a control character) is not allowed",
)
def _(p: Project) -> None:
    p.replace_in(
        SCENARIO,
        "name: Putaran uji (data sintetis)",
        'name: "\\e]8;;https://example.invalid\\e\\\\klik\\e]8;;\\e\\\\"',
    )


@case(
    "scenario-key-with-c1-control",
    "scenario",
    SCENARIO,
    "round.yaml:13: character U+0085 (a control character) is not allowed",
)
def _(p: Project) -> None:
    p.append(SCENARIO, '"bad\\Nkey": 1\n')


@case(
    "pegawai-name-with-escape",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:3: character U+001B (a control character) is not allowed",
    cli="check",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 1, nama="Contoh \x1b[2JDua")


@case(
    "jabatan-name-with-bidi-override",
    "jabatan-csv",
    JABATAN,
    "jabatan.csv:4: character U+202E (a control character) is not allowed",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 2, nama_jabatan="Kepala \u202eSeksi")


@case(
    "pegawai-xlsx-name-with-c1-csi",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: row 3, 'B3': character U+009B (a control character) is not allowed",
)
def _(p: Project) -> None:
    """C1 CSI (U+009B) is legal in XML and in openpyxl, and starts a terminal sequence."""
    header, rows = p.table_rows("pegawai")
    rows[1][header.index("nama")] = "Contoh \u009b2JDua"
    p.xlsx("pegawai", header, rows)


# --------------------------------------------------------------------------
# 11. YAML 1.1 surprises
# --------------------------------------------------------------------------


@case(
    "scenario-sexagesimal-number",
    "scenario",
    SCENARIO,
    "round.yaml:13: 'stability_bonus': found '1:30'",
    "YAML 1.1 read it in base 60",
)
def _(p: Project) -> None:
    """YAML 1.1 (PyYAML) read 1:30 as 90."""
    p.append(SCENARIO, "stability_bonus: 1:30\n")


@case(
    "scenario-yes-as-a-number",
    "scenario",
    SCENARIO,
    "round.yaml:13: 'move_penalty': found 'yes'",
    "is text in YAML 1.2",
)
def _(p: Project) -> None:
    p.append(SCENARIO, "move_penalty: yes\n")


@case(
    "scenario-date-where-text-is-meant",
    "scenario",
    SCENARIO,
    "round.yaml:13: 'committee': found 2026-07-01: should be text",
    "put it in quotes to keep it as text",
)
def _(p: Project) -> None:
    p.append(SCENARIO, "committee: 2026-07-01\n")


@case(
    "scenario-octal-looking-committee",
    "scenario",
    SCENARIO,
    "round.yaml:13: 'committee': found 777",
    "put it in quotes to keep it as text",
)
def _(p: Project) -> None:
    """YAML 1.1 read 0777 as 511; YAML 1.2 reads 777, and a name must be quoted."""
    p.append(SCENARIO, "committee: 0777\n")
