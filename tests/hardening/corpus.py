"""The bad-input corpus: one spoiled file per case, and what the error must say.

Each case copies the valid project of :mod:`hardening.project`, spoils one
file (or one cell, key or path) and states the substrings its error must
contain: the file, where in it (``:line``, ``row N`` or the column or key),
what was found and what is allowed. A case is run in-process through the
scenario (:func:`engine.plan.pipeline.load_context`) and through ``talenta check``
(:func:`engine.check.check_paths`), as its ``via`` says; a subset also
through the real CLI (``cli``). Cases with ``accepted`` are inputs that must
load, with a note when a value was read as another (golongan "III-d").

All people are synthetic; the NIPs are built from invented rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from hardening.project import Project

__all__ = ["CASES", "Case"]

PEGAWAI = "data/pegawai.csv"
JABATAN = "data/jabatan.csv"
PEGAWAI_X = "data/pegawai.xlsx"
JABATAN_X = "data/jabatan.xlsx"
SCENARIO = "scenarios/round.yaml"


@dataclass(frozen=True)
class Case:
    """One bad input and the error it must produce."""

    name: str
    kind: str  # what kind of file is spoiled (for the corpus census)
    file: str  # the spoiled file, relative to the project
    spoil: Callable[[Project], None]
    expect: tuple[str, ...]  # substrings of the rendered error
    via: tuple[str, ...] = ("plan", "check")
    cli: str | None = None  # "plan" or "check": also run through the real CLI
    located: bool = True  # the error names a line, row or key (not just the file)
    accepted: str | None = None  # the input loads; this substring is in Tables.notes
    targets: tuple[str, ...] = ()  # what `check` is given, when not the default

    @property
    def check_targets(self) -> list[str]:
        """What ``talenta check`` is given: the file, with what it is checked against."""
        if self.targets:
            return list(self.targets)
        if self.kind.startswith(("pegawai", "jabatan")):
            return ["data", "rules/taksonomi.yaml"]
        if self.kind == "rules":
            return [self.file, "rules/taksonomi.yaml"]
        return [self.file]


CASES: list[Case] = []


def case(
    name: str,
    kind: str,
    file: str,
    *expect: str,
    via: tuple[str, ...] = ("plan", "check"),
    cli: str | None = None,
    located: bool = True,
    accepted: str | None = None,
    targets: tuple[str, ...] = (),
) -> Callable[[Callable[[Project], None]], Callable[[Project], None]]:
    def register(spoil: Callable[[Project], None]) -> Callable[[Project], None]:
        assert name not in {c.name for c in CASES}, name
        CASES.append(Case(name, kind, file, spoil, expect, via, cli, located, accepted, targets))
        return spoil

    return register


def _header(p: Project, role: str) -> list[str]:
    return p.table_rows(role)[0]


def _rows(p: Project, role: str) -> list[list[str]]:
    return p.table_rows(role)[1]


# --------------------------------------------------------------------------
# pegawai.csv
# --------------------------------------------------------------------------


@case(
    "pegawai-empty-file",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv: file is empty",
    located=False,
)
def _(p: Project) -> None:
    p.write(PEGAWAI, b"")


@case(
    "pegawai-bom-and-blank-lines-only",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv: file is empty",
    located=False,
)
def _(p: Project) -> None:
    p.write(PEGAWAI, b"\xef\xbb\xbf\n\n  \n")


@case(
    "pegawai-only-delimiters",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv: file has no values",
    located=False,
)
def _(p: Project) -> None:
    p.write(PEGAWAI, ',,,\n , ,\n""\n')


@case(
    "pegawai-header-without-rows",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:1: has a header but no data rows",
    "allowed: one row per person",
)
def _(p: Project) -> None:
    p.csv("pegawai", rows=[])


@case(
    "pegawai-latin-1",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:3: byte 0xe9 is not UTF-8",
    "allowed: UTF-8 text",
    "save the file as UTF-8",
    cli="check",
)
def _(p: Project) -> None:
    rows = _rows(p, "pegawai")
    rows[1][_header(p, "pegawai").index("nama")] = "Contoh Pégawai Dua"
    p.csv("pegawai", rows=rows, encoding="latin-1")


@case(
    "pegawai-utf-16",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv: file is UTF-16 text",
    "allowed: UTF-8 text",
    "CSV UTF-8",
    located=False,
)
def _(p: Project) -> None:
    p.csv("pegawai", encoding="utf-16")


@case("pegawai-utf-8-bom-semicolons", "pegawai-csv", PEGAWAI, accepted="")
def _(p: Project) -> None:
    p.csv("pegawai", delimiter=";", encoding="utf-8-sig")


@case(
    "pegawai-tab-delimited",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:1: cells of the header are separated by tab",
    "allowed: ',' or ';'",
)
def _(p: Project) -> None:
    p.csv("pegawai", delimiter="\t")


@case(
    "pegawai-pipe-delimited",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:1: cells of the header are separated by '|'",
    "allowed: ',' or ';'",
)
def _(p: Project) -> None:
    p.csv("pegawai", delimiter="|")


@case(
    "pegawai-row-with-an-extra-cell",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:4: has 22 cells, the header has 21",
    "quote cells that contain it",
)
def _(p: Project) -> None:
    rows = _rows(p, "pegawai")
    rows[2][1] = "Contoh, Pegawai"
    text = "\n".join(",".join(r) for r in [_header(p, "pegawai"), *rows]) + "\n"
    p.csv("pegawai", text=text)


@case(
    "pegawai-missing-column",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:1: required column 'tmt_jabatan' is missing",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("pegawai")
    k = header.index("tmt_jabatan")
    p.csv("pegawai", header[:k] + header[k + 1 :], [r[:k] + r[k + 1 :] for r in rows])


@case(
    "pegawai-extra-column",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:1: unknown column 'alamat'",
    "allowed: nip, nama",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("pegawai")
    p.csv("pegawai", [*header, "alamat"], [[*r, "Jalan Contoh 1"] for r in rows])


@case(
    "pegawai-misspelt-column",
    "pegawai-csv",
    PEGAWAI,
    "unknown column 'golngan'",
    "did you mean 'golongan'?",
    "required column 'golongan' is missing",
)
def _(p: Project) -> None:
    header = _header(p, "pegawai")
    header[header.index("golongan")] = "golngan"
    p.csv("pegawai", header)


@case(
    "pegawai-duplicated-column",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:1: column 'nama' appears twice",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("pegawai")
    p.csv("pegawai", [*header, "nama"], [[*r, "Nama Lain"] for r in rows])


@case(
    "pegawai-unnamed-column-with-data",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:2: column 22 (V) has values but no name in the header",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("pegawai")
    p.csv("pegawai", [*header, ""], [[*r, "catatan"] for r in rows])


@case("pegawai-trailing-empty-columns", "pegawai-csv", PEGAWAI, accepted="")
def _(p: Project) -> None:
    header, rows = p.table_rows("pegawai")
    p.csv("pegawai", [*header, "", ""], [[*r, "", ""] for r in rows])


@case(
    "pegawai-impossible-date",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:3: 'tmt_golongan': '2023-02-30' is not a date",
    "allowed: YYYY-MM-DD",
    cli="plan",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 1, tmt_golongan="2023-02-30")


@case(
    "pegawai-month-13",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:5: 'tmt_jabatan': '2019-13-01' is not a date",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 3, tmt_jabatan="2019-13-01")


@case(
    "pegawai-excel-serial-date-in-csv",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:2: 'tmt_jabatan': '44200' is not a date",
    "looks like an Excel date number (2021-01-04)",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 0, tmt_jabatan="44200")


@case(
    "pegawai-day-month-year",
    "pegawai-csv",
    PEGAWAI,
    "'tmt_golongan': '01/04/2020' is not a date",
    "if this is day/month/year, write 2020-04-01",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 2, tmt_golongan="01/04/2020")


@case(
    "pegawai-date-out-of-range",
    "pegawai-csv",
    PEGAWAI,
    "'tmt_golongan': date 2999-04-01 is out of range",
    "allowed: a date from 1900-01-01",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 2, tmt_golongan="2999-04-01")


@case(
    "pegawai-golongan-arabic",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:3: 'golongan': '3d' is not allowed",
    "allowed: I/a, I/b",
    "did you mean 'III/d'? write golongan in Roman numerals",
    cli="check",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 1, golongan="3d")


@case(
    "pegawai-golongan-bkn-code",
    "pegawai-csv",
    PEGAWAI,
    "'golongan': '34' is not allowed",
    "if this is the BKN code 34, write 'III/d'",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 3, golongan="34")


@case(
    "pegawai-golongan-no-such-ruang",
    "pegawai-csv",
    PEGAWAI,
    "'golongan': 'III/e' is not allowed",
    "did you mean 'III/d'?",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 3, golongan="III/e")


@case(
    "pegawai-golongan-dash-normalised",
    "pegawai-csv",
    PEGAWAI,
    accepted="'golongan': 'III-b' read as 'III/b' (1 row, first at line 5)",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 3, golongan="III-b")


@case(
    "pegawai-golongan-lower-case-normalised",
    "pegawai-csv",
    PEGAWAI,
    accepted="'golongan': 'iv/a' read as 'IV/a' (2 rows, first at line 3)",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("pegawai")
    for r in rows[1:3]:
        r[header.index("golongan")] = "iv/a"
    p.csv("pegawai", header, rows)


@case(
    "pegawai-nip-17-digits",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:4: 'nip': NIP '19750510200003200' is not 18 digits",
    "allowed: 18 digits",
    "it has 17 digits",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 2, nip="19750510200003200")


@case(
    "pegawai-nip-with-letters",
    "pegawai-csv",
    PEGAWAI,
    "'nip': NIP '1988110220120110O4' is not 18 digits",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 3, nip="1988110220120110O4")


@case(
    "pegawai-nip-with-spaces",
    "pegawai-csv",
    PEGAWAI,
    "NIP '19881102 201201 1 004' is not 18 digits",
    "write it without spaces or separators: 198811022012011004",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 3, nip="19881102 201201 1 004")


@case(
    "pegawai-duplicate-nip",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:5: 'nip': NIP",
    "appears twice (first at line 4)",
    "allowed: one row per NIP",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("pegawai")
    k = header.index("nip")
    rows[3] = list(rows[2])
    rows[3][header.index("nama")] = "Contoh Kembaran"
    rows[3][k] = rows[2][k]
    p.csv("pegawai", header, rows)


@case(
    "pegawai-nip-contradicts-birth-date",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:2: 'nip':",
    "encodes birth date 1970-03-15 but tanggal_lahir is 1970-03-16",
    "allowed: NIP digits 1-8",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 0, tanggal_lahir="1970-03-16")


@case(
    "pegawai-error-after-blank-line",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:6: 'jenis_kelamin': 'X' is not allowed",
    "allowed: L, P",
)
def _(p: Project) -> None:
    rows = _rows(p, "pegawai")
    rows[3][_header(p, "pegawai").index("jenis_kelamin")] = "X"
    lines = [",".join(r) for r in [_header(p, "pegawai"), *rows]]
    lines.insert(3, "")  # a blank line before the 3rd data row: it now sits on line 5
    p.csv("pegawai", text="\n".join(lines) + "\n")


@case(
    "pegawai-bad-skp",
    "pegawai-csv",
    PEGAWAI,
    "'skp_2025': 'Bagus' is not an SKP predikat",
    "allowed: Sangat Baik, Baik",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 1, skp_2025="Bagus")


@case(
    "pegawai-no-skp-column",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:1: no SKP column",
    "allowed: one or more columns skp_YYYY",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("pegawai")
    keep = [k for k, h in enumerate(header) if not h.startswith("skp_")]
    p.csv("pegawai", [header[k] for k in keep], [[r[k] for k in keep] for r in rows])


@case(
    "pegawai-jpm-out-of-range",
    "pegawai-csv",
    PEGAWAI,
    "'jpm': 150 is out of range",
    "allowed: a number from 0 to 100",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 0, jpm="150")


@case(
    "pegawai-kompetensi-not-whole",
    "pegawai-csv",
    PEGAWAI,
    "'kompetensi': 3.5 is out of range",
    "allowed: a whole number from 1 to 5",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 0, kompetensi="3.5")


@case(
    "pegawai-pelatihan-format",
    "pegawai-csv",
    PEGAWAI,
    "'pelatihan': 'PKP-2015' is not NAME:YEAR",
    "allowed: e.g. PKP:2016|PKA:2021",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 2, pelatihan="PKP-2015")


@case(
    "pegawai-sanction-without-dates",
    "pegawai-csv",
    PEGAWAI,
    "'hukuman_tmt': is empty but hukuman_tingkat is set",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 3, hukuman_tingkat="ringan")


@case(
    "pegawai-unknown-jurusan",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:4: 'jurusan': jurusan 'Teknik Sipill' is not in the field taxonomy",
    "did you mean 'Teknik Sipil'?",
)
def _(p: Project) -> None:
    p.edit_row("pegawai", 2, jurusan="Teknik Sipill")


@case(
    "pegawai-sparse-huge-file",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv: file is 1,100,000,000 bytes",
    "allowed: at most 268,435,456 bytes",
    located=False,
)
def _(p: Project) -> None:
    p.sparse(PEGAWAI, 1_100_000_000)


@case(
    "pegawai-zip-named-csv",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv: file is a zip archive (an Excel workbook?)",
    "must be named .xlsx",
    located=False,
)
def _(p: Project) -> None:
    p.xlsx("pegawai")
    (p.root / PEGAWAI_X).rename(p.root / PEGAWAI)
    p.replace_in(SCENARIO, "../data/pegawai.xlsx", "../data/pegawai.csv")


@case(
    "pegawai-unclosed-quote",
    "pegawai-csv",
    PEGAWAI,
    "pegawai.csv:3: has 11 cells, the header has 21",
    'a quoted cell runs over 4 lines: is a closing quote (") missing?',
)
def _(p: Project) -> None:
    rows = _rows(p, "pegawai")
    rows[1][_header(p, "pegawai").index("nama_jabatan")] = '"Kepala Bidang'
    text = "\n".join(",".join(r) for r in [_header(p, "pegawai"), *rows]) + "\n"
    p.csv("pegawai", text=text)


# --------------------------------------------------------------------------
# jabatan.csv
# --------------------------------------------------------------------------


@case("jabatan-empty-file", "jabatan-csv", JABATAN, "jabatan.csv: file is empty", located=False)
def _(p: Project) -> None:
    p.write(JABATAN, b"")


@case("jabatan-latin-1", "jabatan-csv", JABATAN, "jabatan.csv:4: byte 0xe9 is not UTF-8")
def _(p: Project) -> None:
    rows = _rows(p, "jabatan")
    rows[2][_header(p, "jabatan").index("nama_jabatan")] = "Kepala Seksi Jalan Desa Pétir"
    p.csv("jabatan", rows=rows, encoding="latin-1")


@case(
    "jabatan-own-parent",
    "jabatan-csv",
    JABATAN,
    "jabatan.csv:4: 'atasan_id': post 'K3' is its own parent",
    "allowed: another jabatan_id",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 2, atasan_id="K3")


@case(
    "jabatan-cycle-of-parents",
    "jabatan-csv",
    JABATAN,
    "'atasan_id': parents form a cycle: K1 -> K4 -> K2 -> K1",
    "allowed: a tree of posts",
    cli="plan",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("jabatan")
    rows[0][header.index("atasan_id")] = "K4"
    p.csv("jabatan", header, rows)


@case(
    "jabatan-unknown-parent",
    "jabatan-csv",
    JABATAN,
    "jabatan.csv:3: 'atasan_id': 'K9' is not a jabatan_id in this table",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 1, atasan_id="K9")


@case(
    "jabatan-duplicate-id",
    "jabatan-csv",
    JABATAN,
    "jabatan.csv:5: 'jabatan_id': 'K3' appears twice",
    "allowed: one row per post",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 3, jabatan_id="K3")


@case(
    "jabatan-one-person-two-posts",
    "jabatan-csv",
    JABATAN,
    "jabatan.csv:4: 'nip_pemangku': NIP",
    "is already incumbent of 'K2'",
    "allowed: one post per person",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("jabatan")
    k = header.index("nip_pemangku")
    rows[2][k] = rows[1][k]
    p.csv("jabatan", header, rows)


@case(
    "jabatan-incumbent-not-in-pegawai",
    "jabatan-csv",
    JABATAN,
    "jabatan.csv:4: 'nip_pemangku': incumbent NIP 199001012015011009 is not in the pegawai table",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 2, nip_pemangku="199001012015011009")


@case(
    "jabatan-eselon-contradicts-jenis",
    "jabatan-csv",
    JABATAN,
    "'jenis_jabatan': 'Administrator' does not match eselon IV.a",
    "allowed: Pengawas",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 2, jenis_jabatan="Administrator")


@case(
    "jabatan-unknown-eselon",
    "jabatan-csv",
    JABATAN,
    "'eselon': 'V.a' is not allowed",
    "allowed: IV.b, IV.a",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 2, eselon="V.a")


@case(
    "jabatan-eselon-dash-normalised",
    "jabatan-csv",
    JABATAN,
    accepted="'eselon': 'IV-a' read as 'IV.a' (1 row, first at line 4)",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 2, eselon="IV-a")


@case(
    "jabatan-kritis-not-yes-no",
    "jabatan-csv",
    JABATAN,
    "'kritis': 'mungkin' is not yes/no",
    "allowed: ya, tidak",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 1, kritis="mungkin")


@case(
    "jabatan-unknown-bidang",
    "jabatan-csv",
    JABATAN,
    "jabatan.csv:3: 'bidang': bidang 'Teknik Sipl' is not a field of the taxonomy",
    "did you mean 'Teknik Sipil'?",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 1, bidang="Teknik Sipl")


@case(
    "jabatan-incumbent-level-mismatch",
    "jabatan-csv",
    PEGAWAI,  # the contradiction is reported on the incumbent's row
    "pegawai.csv:4: 'jenis_jabatan': NIP",
    "holds post 'K4' (Administrator)",
)
def _(p: Project) -> None:
    p.edit_row("jabatan", 3, eselon="III.b", jenis_jabatan="Administrator")


@case(
    "jabatan-missing-column",
    "jabatan-csv",
    JABATAN,
    "jabatan.csv:1: required column 'bidang' is missing",
)
def _(p: Project) -> None:
    header, rows = p.table_rows("jabatan")
    k = header.index("bidang")
    p.csv("jabatan", header[:k] + header[k + 1 :], [r[:k] + r[k + 1 :] for r in rows])


# --------------------------------------------------------------------------
# pegawai.xlsx / jabatan.xlsx
# --------------------------------------------------------------------------


def _typed_rows(p: Project, role: str) -> tuple[list[str], list[list[object]]]:
    header, rows = p.table_rows(role)
    return header, [list(r) for r in rows]


@case(
    "pegawai-xlsx-excel-serial-date",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: row 3, 'tmt_golongan': '43922' is not a date",
    "looks like an Excel date number (2020-04-01)",
    cli="plan",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "pegawai")
    rows[1][header.index("tmt_golongan")] = 43922  # a number in a cell not formatted as a date
    p.xlsx("pegawai", header, rows)


@case(
    "pegawai-xlsx-impossible-date",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: row 4, 'tmt_cpns': '2000-02-30' is not a date",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "pegawai")
    rows[2][header.index("tmt_cpns")] = "2000-02-30"
    p.xlsx("pegawai", header, rows)


@case(
    "pegawai-xlsx-time-in-date-cell",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: row 2, 'tmt_jabatan': '08:30:00' is not a date",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "pegawai")
    rows[0][header.index("tmt_jabatan")] = dt.time(8, 30)
    p.xlsx("pegawai", header, rows)


@case("pegawai-xlsx-real-date-cells", "pegawai-xlsx", PEGAWAI_X, accepted="")
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "pegawai")
    for r in rows:
        for col in ("tanggal_lahir", "tmt_cpns", "tmt_golongan", "tmt_jabatan"):
            r[header.index(col)] = dt.datetime.fromisoformat(str(r[header.index(col)]))
        r[header.index("jpm")] = float(r[header.index("jpm")])
    p.xlsx("pegawai", header, rows)


@case(
    "pegawai-xlsx-nip-as-number",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: row 2, 'nip': NIP '1.970031519950310e+17' is not 18 digits",
    "Excel stored the NIP as a number and lost digits",
    cli="check",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "pegawai")
    rows[0][0] = float(rows[0][0])  # what Excel keeps of an 18-digit number: 15 digits
    p.xlsx("pegawai", header, rows)


@case(
    "pegawai-xlsx-golongan-arabic",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: row 4, 'golongan': '4a' is not allowed",
    "did you mean 'IV/a'?",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "pegawai")
    rows[2][header.index("golongan")] = "4a"
    p.xlsx("pegawai", header, rows)


@case(
    "pegawai-xlsx-golongan-roman-normalised",
    "pegawai-xlsx",
    PEGAWAI_X,
    accepted="'golongan': 'iii/b' read as 'III/b' (1 row, first at row 5)",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "pegawai")
    rows[3][header.index("golongan")] = "iii/b"
    p.xlsx("pegawai", header, rows)


@case(
    "pegawai-xlsx-cell-beyond-header",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: row 3: cell W3 holds 'lihat catatan' beyond the last named column (U)",
    "name the column in row 1",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "pegawai")
    rows[1] = [*rows[1], None, "lihat catatan"]
    p.xlsx("pegawai", header, rows)


@case(
    "pegawai-xlsx-empty-sheet",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: row 1: workbook's first sheet is empty",
    "allowed: a header row",
)
def _(p: Project) -> None:
    p.xlsx("pegawai", [], [])


@case(
    "pegawai-xlsx-not-a-workbook",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: not a readable XLSX workbook",
    "save it again as .xlsx",
    located=False,
)
def _(p: Project) -> None:
    path = p.root / PEGAWAI_X
    path.write_text("nip,nama\n", encoding="utf-8")
    p.use_file("pegawai", path)


@case(
    "pegawai-xlsx-truncated",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: not a readable XLSX workbook",
    located=False,
)
def _(p: Project) -> None:
    path = p.xlsx("pegawai")
    path.write_bytes(path.read_bytes()[:900])


@case(
    "pegawai-xlsx-sparse-huge-file",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: file is 1,100,000,000 bytes",
    located=False,
)
def _(p: Project) -> None:
    p.xlsx("pegawai")
    p.sparse(PEGAWAI_X, 1_100_000_000)


@case(
    "pegawai-xlsx-duplicate-nip",
    "pegawai-xlsx",
    PEGAWAI_X,
    "pegawai.xlsx: row 3, 'nip': NIP",
    "appears twice (first at row 2)",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "pegawai")
    rows[1][0] = rows[0][0]
    p.xlsx("pegawai", header, rows)


@case(
    "jabatan-xlsx-own-parent",
    "jabatan-xlsx",
    JABATAN_X,
    "jabatan.xlsx: row 3, 'atasan_id': post 'K2' is its own parent",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "jabatan")
    rows[1][header.index("atasan_id")] = "K2"
    p.xlsx("jabatan", header, rows)


@case(
    "jabatan-xlsx-duplicated-column",
    "jabatan-xlsx",
    JABATAN_X,
    "jabatan.xlsx: row 1: column 'unit' appears twice",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "jabatan")
    p.xlsx("jabatan", [*header, "unit"], [[*r, "Unit Lain"] for r in rows])


@case(
    "jabatan-xlsx-unnamed-column-with-data",
    "jabatan-xlsx",
    JABATAN_X,
    "jabatan.xlsx: row 2: column 3 (C) has values but no name in the header",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "jabatan")
    p.xlsx("jabatan", [*header[:2], None, *header[2:]], [[*r[:2], "x", *r[2:]] for r in rows])


@case(
    "jabatan-xlsx-number-as-kritis",
    "jabatan-xlsx",
    JABATAN_X,
    "jabatan.xlsx: row 5, 'kritis': '2' is not yes/no",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "jabatan")
    rows[3][header.index("kritis")] = 2
    p.xlsx("jabatan", header, rows)


@case(
    "jabatan-xlsx-cycle",
    "jabatan-xlsx",
    JABATAN_X,
    "jabatan.xlsx: row 3, 'atasan_id': parents form a cycle: K2 -> K4 -> K2",
)
def _(p: Project) -> None:
    header, rows = _typed_rows(p, "jabatan")
    rows[1][header.index("atasan_id")] = "K4"
    p.xlsx("jabatan", header, rows)


# --------------------------------------------------------------------------
# rule files
# --------------------------------------------------------------------------

RULES = "rules/unit.yaml"
GOLONGAN_RULES = "rules/golongan.yaml"


@case(
    "rules-unknown-kind",
    "rules",
    GOLONGAN_RULES,
    "golongan.yaml:",
    "golonggan",
    "did you mean 'golongan'?",
)
def _(p: Project) -> None:
    p.replace_in(GOLONGAN_RULES, "require: {golongan:", "require: {golonggan:")


@case("rules-empty-file", "rules", RULES, "unit.yaml:1:", "a list of rules")
def _(p: Project) -> None:
    p.write(RULES, "")


@case(
    "rules-tab-indentation",
    "rules",
    RULES,
    "unit.yaml:3: YAML syntax error",
    "indent with spaces, not tabs",
    cli="check",
)
def _(p: Project) -> None:
    p.replace_in(RULES, "  title:", "\ttitle:")


@case(
    "rules-duplicate-key",
    "rules",
    RULES,
    "unit.yaml:10: '[0].source': duplicate key 'source' (first at line 8)",
)
def _(p: Project) -> None:
    p.append(RULES, "  source: lagi\n")


@case(
    "rules-alias-bomb",
    "rules",
    RULES,
    "unit.yaml:",
    "YAML expands to too many values",
    "allowed: at most 200,000 values",
    via=("check",),  # the same loader either way; expanding 200,000 values takes a second
)
def _(p: Project) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, 10):
        refs = ", ".join([f"*a{k - 1}"] * 9)
        lines.append(f"a{k}: &a{k} [{refs}]")
    p.write(RULES, "\n".join(lines) + "\n")


@case("rules-deep-nesting", "rules", RULES, "unit.yaml", "nested too deeply", "allowed: depth 64")
def _(p: Project) -> None:
    p.write(RULES, "- " + "[" * 100 + "]" * 100 + "\n")


@case("rules-very-deep-nesting", "rules", RULES, "unit.yaml", "nested too deeply", located=False)
def _(p: Project) -> None:
    p.write(RULES, "[" * 50_000 + "]" * 50_000 + "\n")


@case(
    "rules-python-tag",
    "rules",
    RULES,
    "unit.yaml:2: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    cli="plan",
)
def _(p: Project) -> None:
    p.write(RULES, "- id: x\n  title: !!python/object/apply:os.system ['touch PWNED']\n")


@case("rules-python-tag-on-key", "rules", RULES, "unit.yaml:1: YAML tag", "is not allowed")
def _(p: Project) -> None:
    p.write(RULES, "- !!python/name:os.system : x\n")


@case(
    "rules-binary-bytes",
    "rules",
    RULES,
    "unit.yaml:4: character U+0007 is not allowed in YAML",
    "allowed: printable text",
)
def _(p: Project) -> None:
    p.write(RULES, p.read(RULES).replace("applies_to", "appl\x07ies_to", 1))


@case("rules-nul-bytes", "rules", RULES, "unit.yaml:2: file contains NUL bytes")
def _(p: Project) -> None:
    p.write(RULES, b"# x\n- id: a\x00b\n")


@case("rules-merge-key", "rules", RULES, "unit.yaml:3: YAML merge keys ('<<') are not allowed")
def _(p: Project) -> None:
    p.write(RULES, "- &base {id: a}\n- id: b\n  <<: *base\n")


@case(
    "rules-sparse-huge-file",
    "rules",
    RULES,
    "unit.yaml: file is 21,000,000 bytes",
    "allowed: at most 20,971,520 bytes",
    located=False,
)
def _(p: Project) -> None:
    p.sparse(RULES, 21_000_000)


@case("rules-impossible-effective-date", "rules", RULES, "unit.yaml:9:", "2024-02-30")
def _(p: Project) -> None:
    p.replace_in(RULES, "{from: 2024-01-01}", "{from: 2024-02-30}")


@case(
    "rules-unknown-unit",
    "rules",
    RULES,
    "unit.yaml:2: 'pupr.keilmuan.applies_to.unit': unit 'Dinas PUPR' is not in the jabatan table",
    "allowed: Dinas Pekerjaan Umum dan Penataan Ruang",
    via=("plan",),
    cli="plan",
)
def _(p: Project) -> None:
    p.replace_in(RULES, "unit: Dinas Pekerjaan Umum dan Penataan Ruang", "unit: Dinas PUPR")


@case(
    "rules-unit-misspelt",
    "rules",
    RULES,
    "unit 'Dinas Pekerjaan Umum dan Penataan Ruangan' is not in the jabatan table",
    "did you mean 'Dinas Pekerjaan Umum dan Penataan Ruang'?",
    via=("plan",),
)
def _(p: Project) -> None:
    p.replace_in(RULES, "Penataan Ruang", "Penataan Ruangan")


@case(
    "rules-unknown-post",
    "rules",
    RULES,
    "'pupr.keilmuan.applies_to.jabatan_id': post 'K33' is not in the jabatan table",
    "did you mean 'K3'?",
    via=("plan",),
)
def _(p: Project) -> None:
    p.replace_in(RULES, "    jenis_jabatan:", "    jabatan_id: [K3, K33]\n    jenis_jabatan:")


@case(
    "rules-unknown-bidang",
    "rules",
    RULES,
    "bidang 'Teknik Sipl' is not a field of the taxonomy",
    "did you mean 'Teknik Sipil'?",
)
def _(p: Project) -> None:
    p.replace_in(RULES, "    jenis_jabatan:", "    bidang: Teknik Sipl\n    jenis_jabatan:")


@case(
    "rules-unknown-key",
    "rules",
    RULES,
    "unit.yaml:",
    "unknown key 'sumber'",
    "allowed: id, title, applies_to",
)
def _(p: Project) -> None:
    p.replace_in(RULES, "  source:", "  sumber:")


@case(
    "rules-duplicate-id-across-files",
    "rules",
    RULES,
    "rule id 'eselon-2a.golongan' is used twice",
    targets=(GOLONGAN_RULES, RULES),
)
def _(p: Project) -> None:
    p.replace_in(RULES, "id: pupr.keilmuan", "id: eselon-2a.golongan")


@case(
    "rules-multiple-documents",
    "rules",
    RULES,
    "unit.yaml:",
    "YAML syntax error",
    "but found another document",
)
def _(p: Project) -> None:
    p.append(RULES, "---\n- id: other\n")


# --------------------------------------------------------------------------
# settings: taxonomy, weights, BUP, talent box
# --------------------------------------------------------------------------

TAXONOMY = "rules/taksonomi.yaml"
WEIGHTS = "rules/bobot.yaml"
BUP = "rules/bup.yaml"
TALENT = "rules/kotak-talenta.yaml"


@case(
    "taxonomy-major-in-two-fields",
    "taxonomy",
    TAXONOMY,
    "taksonomi.yaml:",
    "major 'Ilmu Hukum' is in two fields",
)
def _(p: Project) -> None:
    p.replace_in(
        TAXONOMY,
        "[Akuntansi, Akuntansi Sektor Publik]",
        "[Akuntansi, Akuntansi Sektor Publik, Ilmu Hukum]",
    )


@case(
    "taxonomy-unknown-related-field",
    "taxonomy",
    TAXONOMY,
    "related field 'Teknik Roket' is not a field of the taxonomy",
)
def _(p: Project) -> None:
    p.append(TAXONOMY, "  - [Teknik Roket, Teknik Sipil]\n")


@case(
    "taxonomy-a-list",
    "taxonomy",
    TAXONOMY,
    "taksonomi.yaml:1:",
    "should be a mapping",
    via=("plan",),
)
def _(p: Project) -> None:
    p.write(TAXONOMY, "- kind: taxonomy\n")


@case(
    "taxonomy-missing-source",
    "taxonomy",
    TAXONOMY,
    "taksonomi.yaml:",
    "required key 'source' is missing",
)
def _(p: Project) -> None:
    p.replace_in(TAXONOMY, "source:", "sumber:")


@case("weights-sum-110", "weights", WEIGHTS, "bobot.yaml:", "sum to 110")
def _(p: Project) -> None:
    p.replace_in(WEIGHTS, "keilmuan: 15", "keilmuan: 25")


@case("weights-nan", "weights", WEIGHTS, "bobot.yaml:35:", "finite number")
def _(p: Project) -> None:
    p.replace_in(WEIGHTS, "family: 60", "family: .nan")


@case(
    "weights-overlapping-versions",
    "weights",
    WEIGHTS,
    "bobot.yaml:",
    "versions 2 and 3 are both in force on 2026-01-01",
)
def _(p: Project) -> None:
    p.replace_in(WEIGHTS, "until: 2025-12-31", "until: 2026-06-30")


@case(
    "weights-none-in-force",
    "weights",
    WEIGHTS,
    "bobot.yaml",
    "no weights version is in force on the scenario date 2026-07-01",
    via=("plan",),
    located=False,
)
def _(p: Project) -> None:
    p.replace_in(
        WEIGHTS, "effective: {from: 2026-01-01}", "effective: {from: 2026-01-01, until: 2026-03-31}"
    )


@case("bup-age-as-word", "bup", BUP, "bup.yaml:24: 'versions[0].ages.JPT Pratama': found 'sixty'")
def _(p: Project) -> None:
    p.replace_in(BUP, "JPT Pratama: 60", "JPT Pratama: sixty")


@case(
    "bup-age-huge",
    "bup",
    BUP,
    "bup.yaml:24: 'versions[0].ages.JPT Pratama':",
    "should be at most 80",
)
def _(p: Project) -> None:
    p.replace_in(BUP, "JPT Pratama: 60", "JPT Pratama: 1000000000000000000000000000000")


@case("bup-unknown-level", "bup", BUP, "bup.yaml:", "unknown jenis jabatan ['Kepala Desa']")
def _(p: Project) -> None:
    p.append(BUP, "      Kepala Desa: 60\n")


@case(
    "bup-duplicate-level",
    "bup",
    BUP,
    "bup.yaml:46: 'versions[1].ages.Pelaksana': duplicate key 'Pelaksana' (first at line 32)",
)
def _(p: Project) -> None:
    p.append(BUP, "      Pelaksana: 56\n")


def _with_talent_box(p: Project) -> None:
    p.append(SCENARIO, "talent_box: ../rules/kotak-talenta.yaml\n")


@case(
    "talent-box-unknown-key",
    "talent-box",
    TALENT,
    "kotak-talenta.yaml:",
    "unknown key 'pol'",
    "did you mean 'pool'?",
)
def _(p: Project) -> None:
    _with_talent_box(p)
    p.replace_in(TALENT, "    pool:", "    pol:")


@case(
    "talent-box-box-twice",
    "talent-box",
    TALENT,
    "kotak-talenta.yaml:28: 'versions[0].boxes': boxes must number 1 to 9 once each",
)
def _(p: Project) -> None:
    _with_talent_box(p)
    p.replace_in(TALENT, "low: [1, 2, 4]", "low: [1, 2, 9]")


@case(
    "talent-box-overlapping-regimes",
    "talent-box",
    TALENT,
    "kotak-talenta.yaml:",
    "are both in force on 2026-01-01",
)
def _(p: Project) -> None:
    _with_talent_box(p)
    p.replace_in(TALENT, "until: 2025-12-31", "until: 2026-12-31")


@case("talent-box-tabs", "talent-box", TALENT, "kotak-talenta.yaml:", "YAML syntax error")
def _(p: Project) -> None:
    _with_talent_box(p)
    p.replace_in(TALENT, "    pool:", "\tpool:")


# --------------------------------------------------------------------------
# scenarios
# --------------------------------------------------------------------------


@case("scenario-impossible-date", "scenario", SCENARIO, "round.yaml:3:", "'2026-02-30'")
def _(p: Project) -> None:
    p.replace_in(SCENARIO, "date: 2026-07-01", "date: 2026-02-30")


@case(
    "scenario-unknown-key",
    "scenario",
    SCENARIO,
    "round.yaml:13: unknown key 'tanggal_rapat'",
    "allowed: kind, name",
)
def _(p: Project) -> None:
    p.append(SCENARIO, "tanggal_rapat: 2026-07-01\n")


@case(
    "scenario-path-escapes-project",
    "scenario",
    SCENARIO,
    "round.yaml:5: 'data.pegawai': '../../../../../../etc/passwd' is outside the project folder",
    "allowed: paths inside",
    "allow_outside_paths: true",
    cli="plan",
)
def _(p: Project) -> None:
    p.replace_in(SCENARIO, "../data/pegawai.csv", "../../../../../../etc/passwd")


@case(
    "scenario-absolute-path-outside",
    "scenario",
    SCENARIO,
    "round.yaml:8: 'taxonomy': '/etc/hostname' is outside the project folder",
    cli="check",
)
def _(p: Project) -> None:
    p.replace_in(SCENARIO, "../rules/taksonomi.yaml", "/etc/hostname")


@case(
    "scenario-extends-outside",
    "scenario",
    SCENARIO,
    "round.yaml:1: 'extends': extends '/etc/talenta-base.yaml' is outside the project folder",
)
def _(p: Project) -> None:
    p.write(SCENARIO, "extends: /etc/talenta-base.yaml\n" + p.read(SCENARIO))


@case(
    "scenario-nul-in-path",
    "scenario",
    SCENARIO,
    "round.yaml:5: 'data.pegawai':",
    # Caught as a control character while the YAML is read (issue 19), before
    # the path is resolved.
    "character U+0000 (a control character) is not allowed",
)
def _(p: Project) -> None:
    p.replace_in(SCENARIO, "../data/pegawai.csv", '"../data/pega\\0wai.csv"')


@case(
    "scenario-missing-file",
    "scenario",
    SCENARIO,
    "round.yaml:6: 'data.jabatan': '../data/posts.csv' not found",
)
def _(p: Project) -> None:
    p.replace_in(SCENARIO, "../data/jabatan.csv", "../data/posts.csv")


@case("scenario-extends-itself", "scenario", SCENARIO, "round.yaml:1:", "makes a cycle")
def _(p: Project) -> None:
    p.write(SCENARIO, "extends: round.yaml\n" + p.read(SCENARIO))


@case(
    "scenario-shortlist-zero",
    "scenario",
    SCENARIO,
    "round.yaml:13:",
    "'shortlist'",
    "should be at least 1",
)
def _(p: Project) -> None:
    p.append(SCENARIO, "shortlist: 0\n")


@case(
    "scenario-a-list",
    "scenario",
    SCENARIO,
    "round.yaml:1: a scenario is a mapping of keys",
    via=("plan",),
)
def _(p: Project) -> None:
    p.write(SCENARIO, "- kind: scenario\n")


@case(
    "scenario-pin-unknown-nip",
    "scenario",
    SCENARIO,
    "round.yaml:14: 'pins[0].nip': NIP 199912312020121001 is not in the pegawai table",
    via=("plan",),
)
def _(p: Project) -> None:
    p.append(SCENARIO, "pins:\n  - {nip: '199912312020121001', jabatan_id: K3}\n")


@case(
    "scenario-open-unknown-post",
    "scenario",
    SCENARIO,
    "round.yaml:13: 'open.posts[0]': jabatan_id 'K7' is not in the jabatan table",
    via=("plan",),
)
def _(p: Project) -> None:
    p.replace_in(SCENARIO, "open:\n  vacant: true\n", "open:\n  vacant: true\n  posts: [K7]\n")


@case("scenario-time-limit-infinite", "scenario", SCENARIO, "round.yaml:13:", "'time_limit'")
def _(p: Project) -> None:
    p.append(SCENARIO, "time_limit: .inf\n")


# Issue 19's hostile and outsized inputs register themselves here.
import hardening.corpus_hostile  # noqa: E402, F401
