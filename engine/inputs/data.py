"""Load the pegawai, jabatan, riwayat_jabatan and hukuman_disiplin tables into typed DataFrames.

Assumptions (the column contract is docs/data.md):

- CSV is UTF-8 (a BOM is fine), comma or semicolon delimited, as Indonesian
  Excel writes it; XLSX is read from its first sheet.
- Every cell is read as text first and parsed column by column, so a bad
  cell is reported with its row and column instead of silently becoming NaN.
- Ordered scales become ordered categoricals (:mod:`engine.inputs.scales`), dates
  become ``datetime64``, and the SKP columns of older numeric scales are read
  through the PP 46/2011 bands of ``rules/kesetaraan.yaml``
  (:mod:`engine.inputs.equivalence`).
- All problems of all the tables are collected and raised together as one
  :class:`~engine.errors.InputError`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from engine.errors import InputError, Message, Problem, allowed_list, did_you_mean, message
from engine.inputs import scales
from engine.inputs.equivalence import Equivalences, bundled_equivalences
from engine.inputs.yamlio import (
    CONTROL_CHARACTERS,
    control_problem,
    read_bytes,
    read_text,
    regular_file,
)

__all__ = [
    "HUKUMAN_COLUMNS",
    "JABATAN_COLUMNS",
    "PEGAWAI_COLUMNS",
    "RIWAYAT_COLUMNS",
    "Tables",
    "file_sha256",
    "load_tables",
    "read_table",
    "skp_years",
]

_SKP_COLUMN = re.compile(r"^skp_(\d{4})$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TRAINING = re.compile(r"^\s*([A-Za-z][A-Za-z .]*?)\s*:\s*(\d{4})\s*$")
_BOOL_TRUE = {"ya", "y", "true", "1", "benar"}
_BOOL_FALSE = {"tidak", "t", "false", "0", "salah", ""}
# Limits of a table (docs/data.md, "Limits"), checked before parsing. A
# national pegawai table (300,000 people, 21 columns) is ~100 MB as CSV and
# ~250 MB as sheet XML; the limits leave room above it and bound what a
# hostile file can cost (issue 19: a zip bomb took 222 s and 4.1 GB, a
# million junk rows 186 s and 8.7 GB). YAML stays at engine.inputs.yamlio's.
MAX_TABLE_BYTES = 256 * 1024 * 1024
MAX_TABLE_ROWS = 300_000
MAX_TABLE_COLUMNS = 702  # A..ZZ: 21 columns and the SKP years fit many times over
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024
MAX_XLSX_PART = 512 * 1024 * 1024
MAX_XLSX_RATIO = 100  # Apache POI's default minimum inflate ratio is 1/100
# Problems kept per file; the rest are counted ("and 12,345 more").
MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Column:
    """One column of the contract: its name, whether required, and its parser."""

    name: str
    required: bool
    kind: str  # text | date | category | number | integer | bool | nip | skp | pelatihan
    levels: tuple[str, ...] = ()
    lower: float | None = None
    upper: float | None = None


PEGAWAI_COLUMNS: tuple[Column, ...] = (
    Column("nip", True, "nip"),
    Column("nama", True, "text"),
    Column("jenis_kelamin", True, "category", scales.JENIS_KELAMIN),
    Column("tanggal_lahir", True, "date"),
    Column("tmt_cpns", True, "date"),
    Column("golongan", True, "category", scales.GOLONGAN),
    Column("tmt_golongan", True, "date"),
    Column("pendidikan", True, "category", scales.PENDIDIKAN),
    Column("jurusan", True, "text"),
    Column("jenis_jabatan", True, "category", scales.JENIS_JABATAN),
    Column("nama_jabatan", True, "text"),
    Column("unit", True, "text"),
    Column("tmt_jabatan", True, "date"),
    Column("jpm", False, "number", lower=0, upper=100),
    Column("kompetensi", False, "integer", lower=1, upper=5),
    Column("pelatihan", False, "pelatihan"),
    Column("hukuman_tingkat", False, "category", scales.HUKUMAN_TINGKAT),
    Column("hukuman_tmt", False, "date"),
    Column("hukuman_selesai", False, "date"),
)

JABATAN_COLUMNS: tuple[Column, ...] = (
    Column("jabatan_id", True, "text"),
    Column("nama_jabatan", True, "text"),
    Column("unit", True, "text"),
    Column("eselon", True, "category", scales.ESELON),
    Column("jenis_jabatan", True, "category", scales.JENIS_JABATAN),
    Column("atasan_id", False, "text"),
    Column("bidang", True, "text"),
    Column("kecamatan", True, "text"),
    Column("nip_pemangku", False, "text"),
    Column("kritis", False, "bool"),
)

RIWAYAT_COLUMNS: tuple[Column, ...] = (
    Column("nip", True, "text"),
    Column("jenis_jabatan", True, "category", scales.JENIS_JABATAN),
    Column("nama_jabatan", False, "text"),
    Column("unit", False, "text"),
    Column("tmt_mulai", True, "date"),
    Column("tmt_selesai", False, "date"),
    # The field of the post held (a field of the taxonomy), or the jabatan_id of a
    # post of the jabatan table whose bidang it is; neither: the field is unknown.
    Column("jabatan_id", False, "text"),
    Column("bidang", False, "text"),
)

# The sanction history (hukuman_disiplin): one row per sanction imposed, PP 94/2021.
# An empty hukuman_selesai is a sanction with no end on record (still running);
# dibatalkan: annulled (by the PPK, an appeal or a court), never counted.
HUKUMAN_COLUMNS: tuple[Column, ...] = (
    Column("nip", True, "text"),
    Column("hukuman_tingkat", True, "category", scales.HUKUMAN_TINGKAT),
    Column("hukuman_tmt", True, "date"),
    Column("hukuman_selesai", False, "date"),
    Column("dibatalkan", False, "bool"),
    Column("keterangan", False, "text"),
)


class _Lines(list):
    """Where each row stood in its file. pandas deep-copies ``attrs`` on every
    column access; this list copies itself shallowly (it is never mutated)."""

    def __deepcopy__(self, memo: dict) -> _Lines:
        return self


@dataclass
class Tables:
    """The typed input tables and where they came from."""

    pegawai: pd.DataFrame
    jabatan: pd.DataFrame
    riwayat: pd.DataFrame | None = None
    hukuman: pd.DataFrame | None = None  # the sanction history, when the round has one
    sources: dict[str, str] = field(default_factory=dict)  # role -> sha256
    notes: list[str] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a table file's bytes (a regular file within the size limit)."""
    return hashlib.sha256(read_bytes(path, max_bytes=MAX_TABLE_BYTES)).hexdigest()


def skp_years(frame: pd.DataFrame) -> list[int]:
    """Years that have an ``skp_YYYY`` column, ascending."""
    return sorted(int(m.group(1)) for c in frame.columns if (m := _SKP_COLUMN.match(str(c))))


def read_table(path: Path, display: str | None = None) -> tuple[pd.DataFrame, int]:
    """Read a CSV or XLSX file as all-text cells.

    Returns the frame and the line offset: the file line of data row 1 (2 for
    a CSV with one header line), or 0 for XLSX where rows are reported as
    rows, not lines. Blank rows are skipped, so the file line (CSV) or sheet
    row (XLSX) of every data row is kept in ``frame.attrs["source_lines"]``:
    a message about a row after a blank one, or a quoted cell spanning lines,
    still names the right line.

    Nothing is dropped silently: a cell beyond the header, or a column with
    data but no name, is an error; only trailing unnamed columns that are
    empty throughout (Excel's habit) are ignored.

    Size is bounded before anything is parsed: the file's bytes, then its
    rows and columns, counted in a streaming pass (``MAX_TABLE_*``;
    docs/data.md, "Limits").
    """
    name = display or str(path)
    regular_file(path, name, max_bytes=MAX_TABLE_BYTES)
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path, name), 0
    if suffix not in {".csv", ".txt"}:
        raise InputError(
            [
                Problem(
                    name,
                    message("table_format", suffix=suffix or message("no_suffix")),
                    allowed=".csv, .xlsx",
                )
            ]
        )
    return _read_csv(path, name), 2


def _read_csv(path: Path, name: str) -> pd.DataFrame:
    _count_csv_records(path, name)
    text = read_text(path, name, max_bytes=MAX_TABLE_BYTES)
    if not text.strip():
        raise InputError([Problem(name, message("file_empty"), allowed=message("header_and_rows"))])
    _refuse_control_characters(name, text)
    delimiter = _delimiter(name, text)
    rows, starts = _csv_records(name, text, delimiter)
    # Blank lines before the header are skipped; the header is the first line with text.
    top = next((k for k, row in enumerate(rows) if any(cell.strip() for cell in row)), None)
    if top is None:  # only delimiters, quotes and spaces
        raise InputError(
            [Problem(name, message("file_no_values"), allowed=message("header_and_rows"))]
        )
    header = [h.strip().lower() for h in rows[top]]
    problems = _Capped(name)
    body, lines = _csv_body(name, header, rows[top + 1 :], starts[top + 1 :], delimiter, problems)
    header, body = _drop_unnamed(name, header, body, lines, problems, csv_lines=True)
    if problems:
        raise InputError(problems.done())
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.attrs["source_lines"] = _Lines(lines)
    frame.attrs["header_line"] = starts[top]
    return frame


def _count_csv_records(path: Path, name: str) -> None:
    """Refuse a CSV of more than ``MAX_TABLE_ROWS`` records or ``MAX_TABLE_COLUMNS``
    cells in a record, streaming (constant memory): no row is kept.

    Undecodable bytes and CSV syntax errors are left to the full read, which
    names their line.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, encoding="utf-8-sig", errors="replace", newline="") as handle:
        records = 0
        try:
            for row in csv.reader(handle):
                if len(row) > MAX_TABLE_COLUMNS:
                    raise InputError([_too_wide(name, message("record_n", n=records + 1))])
                if row:
                    records += 1
                if records > MAX_TABLE_ROWS + 1:  # the header and the rows
                    raise InputError([_too_long(name)])
        except csv.Error:
            return


def _too_long(name: str) -> Problem:
    return Problem(
        name,
        message("too_many_rows", n=MAX_TABLE_ROWS),
        allowed=message("at_most_rows", n=MAX_TABLE_ROWS),
        hint=message("split_round"),
    )


def _too_wide(name: str, which: Message) -> Problem:
    return Problem(
        name,
        message("too_many_cells", which=which, n=MAX_TABLE_COLUMNS),
        allowed=message("at_most_columns", n=MAX_TABLE_COLUMNS),
    )


def _refuse_control_characters(name: str, text: str) -> None:
    """Every control character of a CSV, at its line (the first ``MAX_PROBLEMS``)."""
    problems = _Capped(name)
    line, pos = 1, 0
    for found in CONTROL_CHARACTERS.finditer(text):
        line += text.count("\n", pos, found.start())
        pos = found.start()
        if len(problems) >= MAX_PROBLEMS:
            problems.append(None)  # counted only
            continue
        problems.append(control_problem(name, found.group(), line=line))
    if problems:
        raise InputError(problems.done())


def _delimiter(name: str, text: str) -> str:
    """``;`` or ``,``, from the header line; a tab or a pipe there is an error."""
    first = next(line for line in text.splitlines() if line.strip())
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if delimiter not in first:
        other = max(("\t", "|"), key=first.count)
        if first.count(other) > 0:
            shown = message("tab") if other == "\t" else f"'{other}'"
            raise InputError(
                [
                    Problem(
                        name,
                        message("header_separated", shown=shown),
                        line=1,
                        allowed=message("comma_or_semicolon"),
                        hint=message("save_as_csv"),
                    )
                ]
            )
    return delimiter


def _csv_records(name: str, text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Every record of the CSV and the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    ended = 0
    try:
        for row in reader:
            # csv yields a record per line (an empty list for a blank one), so
            # a record starts on the line after the previous record ended.
            starts.append(ended + 1)
            rows.append(row)
            ended = reader.line_num
    except csv.Error as exc:
        raise InputError(
            [Problem(name, message("csv_unparsable", error=exc), line=ended + 1)]
        ) from None
    return rows, starts


def _csv_body(
    name: str,
    header: list[str],
    rows: list[list[str]],
    starts: list[int],
    delimiter: str,
    problems: _Capped,
) -> tuple[list[list[str]], list[int]]:
    """The data rows (stripped cells) and their lines; a row of another width is a problem."""
    body: list[list[str]] = []
    lines: list[int] = []
    for row, line in zip(rows, starts, strict=True):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            spans = max((len(_LINE_BREAK.findall(cell)) for cell in row), default=0)
            problems.append(
                Problem(
                    name,
                    message("cells_vs_header", n=len(row), header=len(header)),
                    line=line,
                    allowed=message("quote_delimiter", delimiter=delimiter),
                    hint=message("closing_quote", n=spans + 1) if spans else None,
                )
            )
            continue
        body.append([cell.strip() for cell in row])
        lines.append(line)
    return body, lines


class _Capped(list):
    """Problems of one file, kept up to ``MAX_PROBLEMS``; the rest only counted.

    A million bad rows must not become a million objects (issue 19: 8.7 GB):
    :meth:`done` returns the first ones and one problem saying how many more.
    """

    def __init__(self, name: str, cap: int | None = None):
        super().__init__()
        self.name = name
        self.cap = MAX_PROBLEMS if cap is None else cap
        self.more = 0

    def append(self, problem: Problem | None) -> None:  # type: ignore[override]
        if problem is None or len(self) >= self.cap:
            self.more += 1
        else:
            super().append(problem)

    def extend(self, problems) -> None:  # type: ignore[override]
        for p in problems:
            self.append(p)

    def __bool__(self) -> bool:
        return len(self) > 0 or self.more > 0

    def done(self) -> list[Problem]:
        if not self.more:
            return list(self)
        return [
            *self,
            Problem(
                self.name,
                message("more_in_file", more=self.more, shown=len(self)),
                hint=message("fix_listed_first"),
            ),
        ]


def _drop_unnamed(
    name: str,
    header: list[str],
    body: list[list[str]],
    where: list[int],
    problems: list[Problem],
    *,
    csv_lines: bool,
) -> tuple[list[str], list[list[str]]]:
    """Drop columns without a header that are empty throughout; report those with data."""
    keep = []
    for k, col in enumerate(header):
        if col:
            keep.append(k)
            continue
        filled = [w for w, row in zip(where, body, strict=True) if row[k]]
        if not filled:
            continue
        at = {"line": filled[0]} if csv_lines else {"row": filled[0]}
        problems.append(
            Problem(
                name,
                message("unnamed_column", k=k + 1, letter=_column_letter(k)),
                allowed=message("a_column_name"),
                hint=message("name_or_delete_column", n=len(filled)),
                **at,  # type: ignore[arg-type]
            )
        )
    if len(keep) == len(header):
        return header, body
    return [header[k] for k in keep], [[row[k] for k in keep] for row in body]


def _column_letter(k: int) -> str:
    """Spreadsheet column letter of 0-based column ``k`` (0 -> A, 26 -> AA)."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(65 + r) + out
    return out


def _read_xlsx(path: Path, name: str) -> pd.DataFrame:
    _check_xlsx_parts(path, name)
    _count_sheet_rows(path, name)
    rows = _xlsx_rows(path, name)
    top = next((k for k, r in enumerate(rows) if any(c for c in r)), None)
    if top is None:
        raise InputError(
            [Problem(name, message("sheet_empty"), row=1, allowed=message("a_header_row"))]
        )
    header = [h.lower() for h in rows[top]]
    while header and not header[-1]:
        header.pop()
    problems = _Capped(name)
    body, numbers = _xlsx_body(name, header, rows, top, problems)
    header, body = _drop_unnamed(name, header, body, numbers, problems, csv_lines=False)
    if problems:
        raise InputError(problems.done())
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.attrs["source_lines"] = _Lines(numbers)
    frame.attrs["header_line"] = top + 1
    return frame


def _check_xlsx_parts(path: Path, name: str) -> None:
    """Refuse a workbook whose parts unpack beyond the limits, before any is inflated.

    The sizes a zip declares bound what Python's zipfile inflates (it stops
    at the declared size), so they are checked first; a part that inflates
    more than ``MAX_XLSX_RATIO`` times its packed size is a zip bomb (Apache
    POI refuses the same ratio by default).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except Exception:  # BadZipFile, NotImplementedError (zip version), ...: a broken file
        return  # that openpyxl reports in _xlsx_rows (and _count_sheet_rows skips)
    total = sum(info.file_size for info in parts)
    problems: list[Message] = []
    if total > MAX_XLSX_UNPACKED:
        problems.append(message("xlsx_unpacks", n=total))
    for info in parts:
        if info.file_size > MAX_XLSX_PART:
            problems.append(message("xlsx_part_unpacks", part=info.filename, n=info.file_size))
        elif info.file_size > 1024 * 1024 and info.file_size > MAX_XLSX_RATIO * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            problems.append(
                message(
                    "xlsx_zip_bomb",
                    part=info.filename,
                    ratio=ratio,
                    packed=info.compress_size,
                    n=info.file_size,
                )
            )
    if problems:
        allowed = message(
            "xlsx_limits", total=MAX_XLSX_UNPACKED, part=MAX_XLSX_PART, ratio=MAX_XLSX_RATIO
        )
        raise InputError([Problem(name, problems[0], allowed=allowed)])


def _xlsx_rows(path: Path, name: str) -> list[list[str]]:
    """The first sheet's rows as text cells, within the row and column limits."""
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError(
            [
                Problem(
                    name,
                    message("xlsx_unreadable", error=type(exc).__name__),
                    hint=message("save_again_xlsx"),
                )
            ]
        ) from None
    try:
        if not book.worksheets:
            raise InputError([Problem(name, message("xlsx_no_sheet"))])
        return _sheet_cells(name, book.worksheets[0])
    except InputError:
        raise
    except Exception as exc:  # a broken sheet inside a valid zip
        raise InputError(
            [Problem(name, message("xlsx_sheet_unreadable", error=type(exc).__name__))]
        ) from None
    finally:
        book.close()


# Literal prefixes keep these scans at memchr speed; an element with a
# namespace prefix (<x:row>, legal and rare) is counted by the slower pattern.
_XML_ROW_NUMBER = re.compile(rb"<row\s[^>]*?r=\"(\d{1,9})\"")
_XML_PREFIXED_ROW = re.compile(rb"<\w{1,16}:row[\s>/]")
# A cell reference past column ZZ ("XFD12"): three or more letters, then digits.
_XML_FAR_COLUMN = re.compile(rb"r=\"[A-Z]{3,7}[0-9]")


def _count_sheet_rows(path: Path, name: str) -> None:
    """Stream every part of the workbook (4 MiB at a time, nothing kept) and
    refuse it as soon as it holds more than ``MAX_TABLE_ROWS`` rows or a cell beyond
    the last column.

    Before openpyxl opens the workbook: without a ``<dimension>``, opening it
    parses every sheet to its end (issue 19's bomb: 222 s). Every part is
    scanned, since which part is a sheet is for the workbook to say; a part
    that cannot be inflated is left for openpyxl to report.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                with archive.open(info) as stream:
                    _count_rows(stream, name)
    except InputError:
        raise
    except Exception:  # a broken zip or part (BadZipFile, zlib.error, ...): openpyxl says so
        return


def _count_rows(stream: Any, name: str) -> None:
    rows = highest = 0
    carry = b""
    while chunk := stream.read(4 * 1024 * 1024):
        data = carry + chunk
        cut = data.rfind(b">") + 1
        data, carry = data[:cut], data[cut:]
        # One pass: "<row" also counts the odd <rowBreaks> or <rowItems>, which only
        # makes the count an upper bound.
        rows += data.count(b"<row")
        if b":row" in data:
            rows += len(_XML_PREFIXED_ROW.findall(data))
        numbers = _XML_ROW_NUMBER.findall(data)
        if numbers:
            highest = max(highest, max(int(n) for n in numbers))
        if max(rows, highest) > MAX_TABLE_ROWS + 1:
            raise InputError([_too_long(name)])
        if _XML_FAR_COLUMN.search(data):
            raise InputError([_too_wide(name, message("a_row"))])


def _sheet_cells(name: str, sheet: Any) -> list[list[str]]:
    """Every row of ``sheet`` as text cells; control characters are problems."""
    problems = _Capped(name)
    rows = []
    limit = MAX_TABLE_COLUMNS + 1
    for n, row in enumerate(sheet.iter_rows(max_col=limit, values_only=True), start=1):
        if n > MAX_TABLE_ROWS + 1:
            raise InputError([_too_long(name)])
        if len(row) == limit and row[-1] is not None:
            raise InputError([_too_wide(name, message("row_n", n=n))])
        cells = [_xlsx_cell(c) for c in row]
        if CONTROL_CHARACTERS.search("".join(cells)):
            for k, cell in enumerate(cells):
                if CONTROL_CHARACTERS.search(cell):
                    problems.append(
                        control_problem(name, cell, row=n, column=_column_letter(k) + str(n))
                    )
        rows.append(cells)
    if problems:
        raise InputError(problems.done())
    return rows


def _xlsx_body(
    name: str, header: list[str], rows: list[list[str]], top: int, problems: _Capped
) -> tuple[list[list[str]], list[int]]:
    """Data rows cut to the header's width, and their sheet rows; a value beyond the
    last named column is a problem."""
    body: list[list[str]] = []
    numbers: list[int] = []
    for n, cells in enumerate(rows[top + 1 :], start=top + 2):
        if not any(cells):
            continue
        beyond = [k for k in range(len(header), len(cells)) if cells[k]]
        if beyond:
            k = beyond[0]
            problems.append(
                Problem(
                    name,
                    message(
                        "cell_beyond_header",
                        cell=f"{_column_letter(k)}{n}",
                        value=_clip(cells[k]),
                        last=_column_letter(len(header) - 1),
                    ),
                    row=n,
                    allowed=message("values_under_named"),
                    hint=message("name_column_row1"),
                )
            )
            continue
        cells = cells[: len(header)]
        cells += [""] * (len(header) - len(cells))
        body.append(cells)
        numbers.append(n)
    return body, numbers


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _xlsx_cell(value: object) -> str:
    """One XLSX cell as the text a CSV would hold.

    A date or datetime cell becomes ``YYYY-MM-DD``; a time of day or a
    duration stays as text (and fails as a date, instead of becoming
    1900-01-01). A whole number beyond 15 digits cannot be stored exactly in
    Excel (an 18-digit NIP typed as a number loses its last digits), so it
    stays in scientific notation and fails as a NIP instead of passing with
    wrong digits.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer():
            if abs(value) >= 1e15:
                return f"{value:.15e}"
            return str(int(value))
        return repr(value)
    return str(value).strip()


class _TableParser:
    """Parses one all-text frame against a column contract, collecting problems."""

    def __init__(self, name: str, frame: pd.DataFrame, offset: int, columns: Sequence[Column]):
        self.name = name
        self.frame = frame
        self.offset = offset
        self.columns = columns
        self.problems = _Capped(name)
        self.notes: list[str] = []
        source = frame.attrs.get("source_lines")
        self.source: list[int] | None = list(source) if source is not None else None

    def where(self, index: int) -> dict[str, int | None]:
        """Where data row ``index`` stood: its file line (CSV) or sheet row (XLSX)."""
        at = (
            self.source[index]
            if self.source is not None and index < len(self.source)
            else index + (self.offset or 2)
        )
        if self.offset:
            return {"line": at, "row": None}
        return {"line": None, "row": at}

    def where_text(self, index: int) -> Message:
        at = self.where(index)
        if at["line"] is not None:
            return message("at_line", n=at["line"])
        return message("at_row", n=at["row"])

    def note(self, column: str, found: str, meant: str, rows: list[int]) -> None:
        """Record a value read as another (unambiguous) one, once per distinct value."""
        self.notes.append(
            f"{self.name}: '{column}': '{found}' read as '{meant}' "
            f"({len(rows)} row{'s' if len(rows) != 1 else ''}, first at {self.where_text(rows[0])})"
        )

    def report(
        self,
        index: int,
        column: str,
        what: Message,
        allowed: str | Message | None = None,
        hint: str | Message | None = None,
    ) -> None:
        self.problems.append(
            Problem(self.name, what, column=column, allowed=allowed, hint=hint, **self.where(index))
        )

    def header_at(self) -> dict[str, int | None]:
        """Where the header stood: line 1 of a CSV, row 1 of a sheet."""
        at = int(self.frame.attrs.get("header_line", 1))
        return {"line": at, "row": None} if self.offset else {"line": None, "row": at}

    def check_rows(self, what: Message) -> bool:
        """A table of people or posts with a header and no row is a mistake, not a round."""
        if len(self.frame):
            return True
        self.problems.append(
            Problem(self.name, message("header_no_rows"), **self.header_at(), allowed=what)
        )
        return False

    def check_header(self, extra_ok: Callable[[str], bool] = lambda c: False) -> bool:
        header = list(self.frame.columns)
        known = [c.name for c in self.columns]
        seen: set[str] = set()
        for col in header:
            if col in seen:
                self.problems.append(
                    Problem(
                        self.name,
                        message("column_twice", column=col),
                        **self.header_at(),
                    )
                )
            seen.add(col)
        for col in header:
            if col not in known and not extra_ok(col):
                self.problems.append(
                    Problem(
                        self.name,
                        message("unknown_column", column=col),
                        **self.header_at(),
                        allowed=allowed_list(known, 30),
                        hint=did_you_mean(col, known),
                    )
                )
        for c in self.columns:
            if c.required and c.name not in seen:
                self.problems.append(
                    Problem(
                        self.name,
                        message("required_column_missing", column=c.name),
                        **self.header_at(),
                    )
                )
        return not self.problems

    def parse(self) -> pd.DataFrame:
        out = {}
        for c in self.columns:
            if c.name not in self.frame.columns:
                raw = pd.Series([""] * len(self.frame), dtype=object)
            else:
                raw = self.frame[c.name].astype(object).fillna("")
            out[c.name] = self.parse_column(c, raw)
        return pd.DataFrame(out, index=self.frame.index)

    def parse_column(self, c: Column, raw: pd.Series) -> pd.Series:
        """One column parsed by its kind; an empty required cell is a problem."""
        values = raw.to_numpy(dtype=object)
        empty = np.array([str(v).strip() == "" for v in values], dtype=bool)
        if c.required:
            for i in np.flatnonzero(empty):
                self.report(int(i), c.name, message("is_empty"), allowed=_kind_allowed(c))
        parse = {
            "text": self._text,
            "nip": self._text,
            "date": self._date,
            "category": self._category,
            "number": self._number,
            "integer": self._number,
            "bool": self._bool,
            "pelatihan": self._pelatihan,
        }.get(c.kind)
        if parse is None:  # pragma: no cover
            raise AssertionError(f"unknown column kind {c.kind}")
        return parse(c, values, empty)

    def _text(self, c: Column, values: np.ndarray, empty: np.ndarray) -> pd.Series:
        series = pd.Series(
            [None if e else str(v).strip() for v, e in zip(values, empty, strict=True)],
            dtype=object,
        )
        if c.kind == "nip":
            for i, v in enumerate(series):
                if v is not None and not _is_nip(v):
                    self.report(
                        i,
                        c.name,
                        message("nip_not_18", value=_clip(v)),
                        allowed=message("nip_shape"),
                        hint=_nip_hint(v),
                    )
        return series

    def _date(self, c: Column, values: np.ndarray, empty: np.ndarray) -> pd.Series:
        text = pd.Series(values, dtype=object).where(~empty)
        shaped = text.str.fullmatch(_ISO_DATE).fillna(False).to_numpy(dtype=bool)
        parsed = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna().to_numpy() & ~empty
        for i in np.flatnonzero(bad):
            self.report(
                int(i),
                c.name,
                message("not_a_date", value=_clip(str(values[i]))),
                allowed=message("date_shape"),
                hint=_date_hint(str(values[i])),
            )
        # Dates outside the working lives of civil servants are typing
        # errors (and years like 9999 overflow date arithmetic downstream).
        far = ~bad & ~empty & ((parsed < _EARLIEST) | (parsed > _LATEST)).to_numpy()
        for i in np.flatnonzero(far):
            self.report(
                int(i),
                c.name,
                message("date_out_of_range", value=values[i]),
                allowed=message("date_between", first=_EARLIEST.date(), last=_LATEST.date()),
            )
        return parsed.where(~far)

    def _category(self, c: Column, values: np.ndarray, empty: np.ndarray) -> pd.Series:
        levels = list(c.levels)
        cleaned: list[str | None] = [None] * len(values)
        rows_of: dict[str, list[int]] = {}
        for i in np.flatnonzero(~empty):
            rows_of.setdefault(str(values[i]).strip(), []).append(int(i))
        for v, rows in rows_of.items():
            meant = _canonical(c, v)
            if meant is None:
                for i in rows:
                    self.report(
                        i,
                        c.name,
                        message("value_not_allowed", value=_clip(v)),
                        allowed=allowed_list(levels, 16),
                        hint=_category_hint(c, v),
                    )
                continue
            if meant != v:
                self.note(c.name, v, meant, rows)
            for i in rows:
                cleaned[i] = meant
        return pd.Series(scales.categorical(cleaned, c.levels))

    def _number(self, c: Column, values: np.ndarray, empty: np.ndarray) -> pd.Series:
        numbers = pd.to_numeric(
            pd.Series(values)
            .where(~empty)
            .astype(str)
            .str.replace(",", ".", regex=False)
            .where(~empty),
            errors="coerce",
        )
        bad = numbers.isna().to_numpy() & ~empty
        for i in np.flatnonzero(bad):
            self.report(
                int(i),
                c.name,
                message("not_a_number", value=_clip(str(values[i]))),
                allowed=_kind_allowed(c),
            )
        ok = ~numbers.isna().to_numpy()
        out_of_range = ok & (
            ((numbers < c.lower).to_numpy() if c.lower is not None else False)
            | ((numbers > c.upper).to_numpy() if c.upper is not None else False)
        )
        if c.kind == "integer":
            out_of_range |= ok & (numbers.fillna(0) % 1 != 0).to_numpy()
        for i in np.flatnonzero(out_of_range):
            self.report(
                int(i),
                c.name,
                message("number_out_of_range", value=values[i]),
                allowed=_kind_allowed(c),
            )
        return numbers.astype(float)

    def _bool(self, c: Column, values: np.ndarray, empty: np.ndarray) -> pd.Series:
        result = []
        for i, v in enumerate(values):
            s = str(v).strip().lower()
            if s in _BOOL_TRUE:
                result.append(True)
            elif s in _BOOL_FALSE:
                result.append(False)
            else:
                self.report(
                    i,
                    c.name,
                    message("not_yes_no", value=_clip(str(v))),
                    allowed=message("yes_no"),
                )
                result.append(False)
        return pd.Series(result, dtype=bool)

    def _pelatihan(self, c: Column, values: np.ndarray, empty: np.ndarray) -> pd.Series:
        result = []
        for i, v in enumerate(values):
            entries: dict[str, int] = {}
            for part in str(v).split("|") if str(v).strip() else []:
                m = _TRAINING.match(part)
                if not m:
                    self.report(
                        i,
                        c.name,
                        message("not_name_year", value=_clip(part.strip())),
                        allowed=message("name_year_example"),
                    )
                    continue
                entries[m.group(1).strip()] = int(m.group(2))
            result.append(entries)
        return pd.Series(result, dtype=object)

    def parse_skp(self, column: str, equivalences: Equivalences) -> pd.Series:
        values = self.frame[column].astype(object).fillna("").to_numpy(dtype=object)
        out: list[str | None] = []
        for i, v in enumerate(values):
            s = str(v).strip()
            if not s:
                out.append(None)
            elif s in scales.SKP_PREDIKAT:
                out.append(s)
            else:
                try:
                    number = float(s.replace(",", "."))
                except ValueError:
                    number = None
                if number is None or not 0 <= number <= 100:
                    self.report(
                        i,
                        column,
                        message("not_skp_predikat", value=_clip(s)),
                        allowed=message(
                            "skp_or_number", predikat=allowed_list(scales.SKP_PREDIKAT[::-1])
                        ),
                        hint=did_you_mean(s, scales.SKP_PREDIKAT),
                    )
                    out.append(None)
                else:
                    out.append(equivalences.predikat(number))
        return pd.Series(scales.categorical(out, scales.SKP_PREDIKAT))


_ISO_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_EARLIEST = pd.Timestamp("1900-01-01")
_LATEST = pd.Timestamp("2100-12-31")
_ROMAN = r"(IV|III|II|I)"
# Golongan and eselon written with another separator or case ("III-d",
# "iii/d", "III d", "IIId"; "III-a", "IIIa") name one level unambiguously.
_GOLONGAN_LOOSE = re.compile(rf"^{_ROMAN}\s*[/\\\-.\s]?\s*([a-e])$", re.IGNORECASE)
_ESELON_LOOSE = re.compile(rf"^{_ROMAN}\s*[.\-/\s]?\s*([ab])$", re.IGNORECASE)
# Arabic numerals are not read: BKN's own code writes golongan III/d as 34,
# so "3d" or "34" is left to the user (with a suggestion).
_ARABIC = re.compile(r"^([1-4])\s*[/\\\-.\s]?\s*([a-e])$", re.IGNORECASE)
_ARABIC_CODE = re.compile(r"^([1-4])([1-5])$")
_ROMAN_OF = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _canonical(c: Column, value: str) -> str | None:
    """The level of ``c`` that ``value`` unambiguously names, or None.

    Exact values pass; otherwise golongan/eselon in another Roman-numeral
    spelling, or any level differing only in case and spacing ("sangat
    baik", "s1"), is read as that level. Everything else is an error.
    """
    if value in c.levels:
        return value
    if c.name == "golongan" and (m := _GOLONGAN_LOOSE.match(value)):
        meant = f"{m.group(1).upper()}/{m.group(2).lower()}"
        return meant if meant in c.levels else None
    if c.name == "eselon" and (m := _ESELON_LOOSE.match(value)):
        meant = f"{m.group(1).upper()}.{m.group(2).lower()}"
        return meant if meant in c.levels else None
    key = " ".join(value.split()).casefold()
    matches = [level for level in c.levels if " ".join(level.split()).casefold() == key]
    return matches[0] if len(matches) == 1 else None


def _category_hint(c: Column, value: str) -> Message | None:
    if c.name == "golongan":
        if m := _ARABIC.match(value):
            return message("golongan_roman", value=f"{_ROMAN_OF[m.group(1)]}/{m.group(2).lower()}")
        if m := _ARABIC_CODE.match(value):
            letter = "abcde"[int(m.group(2)) - 1]
            return message(
                "golongan_bkn_code", code=value, value=f"{_ROMAN_OF[m.group(1)]}/{letter}"
            )
    return did_you_mean(value, list(c.levels))


def _is_nip(value: str) -> bool:
    return len(value) == 18 and value.isascii() and value.isdigit()


def _nip_hint(value: str) -> Message | None:
    squeezed = re.sub(r"[\s.\-]", "", value)
    if squeezed != value and _is_nip(squeezed):
        return message("nip_squeeze", value=squeezed)
    if re.fullmatch(r"\d(\.\d+)?e\+?\d+", value, re.IGNORECASE):
        return message("nip_excel_number")
    if value.isdigit() and value.isascii():
        return message("nip_digit_count", n=len(value))
    return None


def _date_hint(value: str) -> Message | None:
    """Say what a common non-ISO date probably meant, without guessing it in."""
    text = value.strip()
    if re.fullmatch(r"\d{1,5}(\.0+)?", text) and 1 <= float(text) <= 80_000:
        serial = int(float(text))
        # Excel's 1900 date system counts days from 1899-12-30 (after its
        # fictitious 1900-02-29).
        day = dt.date(1899, 12, 30) + dt.timedelta(days=serial)
        return message("excel_date_number", date=day.isoformat())
    if m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text):
        d, mo, y = (int(g) for g in m.groups())
        try:
            return message("day_month_year", date=dt.date(y, mo, d).isoformat())
        except ValueError:
            return None
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}[ T].*", text):
        return message("date_without_time")
    return None


def _kind_allowed(c: Column) -> str | Message:
    if c.kind == "date":
        return "YYYY-MM-DD"
    if c.kind == "category":
        return allowed_list(list(c.levels), 16)
    if c.kind in {"number", "integer"}:
        what = "whole_number_range" if c.kind == "integer" else "number_range"
        return message(what, lower=c.lower, upper=c.upper)
    if c.kind == "nip":
        return message("eighteen_digits")
    return message("a_value")


def _parse_pegawai(
    name: str, frame: pd.DataFrame, offset: int, equivalences: Equivalences | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    parser = _TableParser(name, frame, offset, PEGAWAI_COLUMNS)
    if not parser.check_header(extra_ok=lambda c: bool(_SKP_COLUMN.match(c))):
        return None, parser.problems.done()
    if not parser.check_rows(message("one_row_per_person")):
        return None, parser.problems.done()
    skp_cols = [c for c in frame.columns if _SKP_COLUMN.match(c)]
    if not skp_cols:
        parser.problems.append(
            Problem(
                name,
                message("no_skp_column"),
                **parser.header_at(),
                allowed=message("skp_columns"),
            )
        )
    table = parser.parse()
    # A number is a PP 46/2011 score, read through the bands of rules/kesetaraan.yaml.
    bands = equivalences or bundled_equivalences()
    for col in sorted(skp_cols):
        table[col] = parser.parse_skp(col, bands)
    # Sanctions: a level needs its dates.
    has_level = table["hukuman_tingkat"].notna().to_numpy()
    for col in ("hukuman_tmt", "hukuman_selesai"):
        for i in np.flatnonzero(has_level & table[col].isna().to_numpy()):
            parser.report(int(i), col, message("empty_but_hukuman"), allowed="YYYY-MM-DD")
    # Duplicate NIPs and the parts a NIP encodes.
    nips = table["nip"]
    _report_duplicate_nips(parser, nips)
    _check_nip_parts(parser, table)
    table.attrs["lines"] = _Lines(parser.where(i) for i in range(len(table)))
    table.attrs["notes"] = tuple(parser.notes)
    return table, parser.problems.done()


def _check_nip_parts(parser: _TableParser, table: pd.DataFrame) -> None:
    """Report NIPs whose birth date, CPNS month or sex digit disagree with their row.

    The rows that may disagree are found column-wise first; only those are
    looked at one by one (a province's table has tens of thousands of rows).
    """
    nips = table["nip"]
    born_col, tmt_col, sex_col = table["tanggal_lahir"], table["tmt_cpns"], table["jenis_kelamin"]
    for i in _nip_rows_to_check(nips, born_col, tmt_col, sex_col).tolist():
        nip = nips.iloc[i]
        if nip is None or not _is_nip(nip):
            continue
        born = born_col.iloc[i]
        if pd.notna(born) and nip[:8] != born.strftime("%Y%m%d"):
            parser.report(
                i,
                "nip",
                message("nip_birth", nip=nip, coded=_iso(nip[:8]), born=born.date()),
                allowed=message("nip_birth_allowed"),
            )
        tmt = tmt_col.iloc[i]
        if pd.notna(tmt) and nip[8:14] != tmt.strftime("%Y%m"):
            parser.report(
                i,
                "nip",
                message("nip_tmt", nip=nip, coded=f"{nip[8:12]}-{nip[12:14]}", tmt=tmt.date()),
                allowed=message("nip_tmt_allowed"),
            )
        sex = sex_col.iloc[i]
        code = {"1": "L", "2": "P"}.get(nip[14])
        if code is None:
            parser.report(
                i,
                "nip",
                message("nip_sex_digit", nip=nip, digit=nip[14]),
                allowed=message("nip_sex_digit_allowed"),
            )
        elif pd.notna(sex) and code != sex:
            parser.report(
                i,
                "nip",
                message("nip_sex", nip=nip, code=code, sex=sex),
                allowed=message("nip_sex_allowed"),
            )


def _nip_rows_to_check(
    nips: pd.Series, born: pd.Series, tmt: pd.Series, sex: pd.Series
) -> np.ndarray:
    """Rows whose NIP may disagree with the birth date, CPNS month or sex (a superset).

    Every row where the comparison cannot be made column-wise (a date column
    that is not of dates) is kept; the row-by-row check decides.
    """
    if not (
        pd.api.types.is_datetime64_any_dtype(born) and pd.api.types.is_datetime64_any_dtype(tmt)
    ):
        return np.arange(len(nips))
    text = nips.astype("string")
    differs = (
        (text.str[:8] != born.dt.strftime("%Y%m%d"))
        | (text.str[8:14] != tmt.dt.strftime("%Y%m"))
        | (text.str[14].map({"1": "L", "2": "P"}).astype("string") != sex.astype("string"))
    )
    return np.flatnonzero(differs.fillna(True).to_numpy(dtype=bool))


def _report_duplicate_nips(parser: _TableParser, nips: pd.Series) -> None:
    """Report every row whose NIP an earlier row already has, naming that row."""
    dup = nips.duplicated(keep=False) & nips.notna()
    first_of: dict[str, int] = {}
    for i in np.flatnonzero(dup.to_numpy()):
        nip = nips.iloc[i]
        if nip in first_of:
            at = parser.where_text(first_of[nip])
            parser.report(
                int(i),
                "nip",
                message("nip_twice", nip=nip, at=at),
                allowed=message("one_row_per_nip"),
            )
        else:
            first_of[nip] = int(i)


def _iso(digits: str) -> str:
    """YYYYMMDD as YYYY-MM-DD."""
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"


def _parse_jabatan(
    name: str, frame: pd.DataFrame, offset: int
) -> tuple[pd.DataFrame | None, list[Problem]]:
    parser = _TableParser(name, frame, offset, JABATAN_COLUMNS)
    if not parser.check_header():
        return None, parser.problems.done()
    if not parser.check_rows(message("one_row_per_post")):
        return None, parser.problems.done()
    table = parser.parse()
    ids = table["jabatan_id"]
    for i in np.flatnonzero((ids.duplicated(keep="first") & ids.notna()).to_numpy()):
        parser.report(
            int(i),
            "jabatan_id",
            message("value_twice", value=ids.iloc[i]),
            allowed=message("one_row_per_post"),
        )
    _check_parents(parser, table)
    # jenis_jabatan must agree with eselon.
    for i, (eselon, jenis) in enumerate(zip(table["eselon"], table["jenis_jabatan"], strict=True)):
        if pd.notna(eselon) and pd.notna(jenis) and scales.ESELON_JENIS[eselon] != jenis:
            parser.report(
                i,
                "jenis_jabatan",
                message("jenis_vs_eselon", jenis=jenis, eselon=eselon),
                allowed=scales.ESELON_JENIS[eselon],
            )
    _check_incumbents(parser, table)
    table.attrs["lines"] = _Lines(parser.where(i) for i in range(len(table)))
    table.attrs["notes"] = tuple(parser.notes)
    return table, parser.problems.done()


def _check_parents(parser: _TableParser, table: pd.DataFrame) -> None:
    """Every atasan_id names another post of the table, and parents form a tree."""
    ids = table["jabatan_id"]
    known = set(ids.dropna())
    for i, (pid, parent) in enumerate(zip(ids, table["atasan_id"], strict=True)):
        if parent is None:
            continue
        if parent == pid:
            parser.report(
                i,
                "atasan_id",
                message("own_parent", post=pid),
                allowed=message("another_jabatan_id"),
            )
        elif parent not in known:
            parser.report(
                i,
                "atasan_id",
                message("not_a_jabatan_id", value=parent),
                hint=did_you_mean(parent, sorted(known)),
            )
    _check_cycles(parser, table)


def _check_cycles(parser: _TableParser, table: pd.DataFrame) -> None:
    """Cycles of parents (longer than one). Each post is walked once: a long chain
    of parents in a national table must not cost quadratic time."""
    ids = table["jabatan_id"]
    parent_of = {
        pid: parent
        for pid, parent in zip(ids, table["atasan_id"], strict=True)
        if pid is not None and parent is not None and parent != pid
    }
    row_of = {pid: i for i, pid in reversed(list(enumerate(ids))) if pid is not None}
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    for start in ids:
        if start is None or start in state:
            continue
        walk = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            walk.append(node)
            node = parent_of.get(node)
        if node is not None and state[node] == 1:
            cycle = walk[walk.index(node) :]
            parser.report(
                row_of[cycle[0]],
                "atasan_id",
                message("parent_cycle", cycle=" -> ".join([*cycle, cycle[0]])),
                allowed=message("a_tree_of_posts"),
            )
        for visited in walk:
            state[visited] = 2


def _check_incumbents(parser: _TableParser, table: pd.DataFrame) -> None:
    """One person holds at most one post."""
    ids, holders = table["jabatan_id"], table["nip_pemangku"]
    first_post: dict[str, int] = {}
    for i, nip in enumerate(holders):
        if nip is None:
            continue
        if nip in first_post:
            parser.report(
                i,
                "nip_pemangku",
                message("already_incumbent", nip=nip, post=ids.iloc[first_post[nip]]),
                allowed=message("one_post_per_person"),
            )
        else:
            first_post[nip] = i


def _parse_riwayat(
    name: str, frame: pd.DataFrame, offset: int
) -> tuple[pd.DataFrame | None, list[Problem]]:
    parser = _TableParser(name, frame, offset, RIWAYAT_COLUMNS)
    if not parser.check_header():
        return None, parser.problems.done()
    table = parser.parse()
    bad = (
        table["tmt_selesai"].notna()
        & table["tmt_mulai"].notna()
        & (table["tmt_selesai"] < table["tmt_mulai"])
    ).to_numpy()
    for i in np.flatnonzero(bad):
        parser.report(
            int(i),
            "tmt_selesai",
            message("ends_before", start="tmt_mulai"),
            allowed=message("date_on_or_after", start="tmt_mulai"),
        )
    table.attrs["lines"] = _Lines(parser.where(i) for i in range(len(table)))
    table.attrs["notes"] = tuple(parser.notes)
    return table, parser.problems.done()


def _parse_hukuman(
    name: str, frame: pd.DataFrame, offset: int
) -> tuple[pd.DataFrame | None, list[Problem]]:
    parser = _TableParser(name, frame, offset, HUKUMAN_COLUMNS)
    if not parser.check_header():
        return None, parser.problems.done()
    table = parser.parse()
    bad = (
        table["hukuman_selesai"].notna()
        & table["hukuman_tmt"].notna()
        & (table["hukuman_selesai"] < table["hukuman_tmt"])
    ).to_numpy()
    for i in np.flatnonzero(bad):
        parser.report(
            int(i),
            "hukuman_selesai",
            message("ends_before", start="hukuman_tmt"),
            allowed=message("date_on_or_after", start="hukuman_tmt"),
        )
    table.attrs["lines"] = _Lines(parser.where(i) for i in range(len(table)))
    table.attrs["notes"] = tuple(parser.notes)
    return table, parser.problems.done()


PARSERS = {
    "pegawai": _parse_pegawai,
    "jabatan": _parse_jabatan,
    "riwayat": _parse_riwayat,
    "hukuman": _parse_hukuman,
}


def _unknown_nips(name: str, table: pd.DataFrame, known: set[str]) -> list[Problem]:
    """Rows of a per-person table (riwayat, hukuman) whose NIP the pegawai table lacks."""
    unknown = _Capped(name)
    for i, nip in enumerate(table["nip"]):
        if nip is not None and nip not in known:
            unknown.append(
                Problem(
                    name,
                    message("nip_not_in_pegawai", nip=nip),
                    column="nip",
                    **table.attrs["lines"][i],
                )
            )  # type: ignore[arg-type]
    return unknown.done()


def load_tables(
    pegawai: Path,
    jabatan: Path,
    riwayat: Path | None = None,
    *,
    hukuman: Path | None = None,
    majors: Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    display: Callable[[Path], str] = str,
    equivalences: Equivalences | None = None,
) -> Tables:
    """Load, type and cross-check the input tables.

    Parameters
    ----------
    pegawai, jabatan, riwayat, hukuman:
        Table files (CSV or XLSX); ``riwayat`` (post history) and ``hukuman``
        (sanction history) are optional.
    majors, fields:
        When given, every ``jurusan`` must be one of ``majors`` and every
        post ``bidang`` one of ``fields`` (from the field taxonomy).
    display:
        How a path is shown in messages.
    equivalences:
        The SKP number bands (PP 46/2011) a numeric SKP cell is read
        through; default the bundled rules/kesetaraan.yaml.

    Raises
    ------
    InputError
        Listing every problem of every table.
    """
    problems: list[Problem] = []
    parsed: dict[str, pd.DataFrame | None] = {}
    files = {"pegawai": pegawai, "jabatan": jabatan}
    if riwayat is not None:
        files["riwayat"] = riwayat
    if hukuman is not None:
        files["hukuman"] = hukuman
    for role, path in files.items():
        try:
            frame, offset = read_table(path, display(path))
        except InputError as exc:
            problems.extend(exc.problems)
            parsed[role] = None
            continue
        if role == "pegawai":
            table, found = _parse_pegawai(display(path), frame, offset, equivalences)
        else:
            table, found = PARSERS[role](display(path), frame, offset)
        problems.extend(found)
        parsed[role] = table
    peg, jab, riw = parsed.get("pegawai"), parsed.get("jabatan"), parsed.get("riwayat")
    huk = parsed.get("hukuman")
    if peg is not None and jab is not None:
        problems.extend(_cross_check(display(pegawai), peg, display(jabatan), jab, majors, fields))
    if riw is not None and riwayat is not None and fields is not None:
        problems.extend(_unknown_fields(display(riwayat), riw, fields))
    if peg is not None:
        known = set(peg["nip"].dropna())
        for table, path in ((riw, riwayat), (huk, hukuman)):
            if table is not None and path is not None:
                problems.extend(_unknown_nips(display(path), table, known))
    if problems:
        raise InputError(problems)
    assert peg is not None and jab is not None
    sources = {role: file_sha256(path) for role, path in files.items()}
    notes = [n for t in (peg, jab, riw, huk) if t is not None for n in t.attrs.get("notes", ())]
    return Tables(pegawai=peg, jabatan=jab, riwayat=riw, hukuman=huk, sources=sources, notes=notes)


def _unknown_fields(name: str, table: pd.DataFrame, fields: Sequence[str]) -> list[Problem]:
    """Rows of a table (jabatan, post history) whose ``bidang`` is not a field of the taxonomy."""
    return _unknown_values(name, table, "bidang", fields, "bidang_not_in_taxonomy")


def _unknown_values(
    name: str,
    table: pd.DataFrame,
    column: str,
    known: Sequence[str],
    key: str,
    *,
    fallback_hint: str | None = None,
) -> list[Problem]:
    """Rows whose ``column`` holds a value not among ``known`` (message ``key``).

    Without ``fallback_hint`` the problem lists the allowed values; with it,
    the hint says what to do when no known value is near (a taxonomy to extend).
    """
    problems = _Capped(name)
    allowed = sorted(set(known))
    allowed_set = set(allowed)
    for i, value in enumerate(table[column]):
        if value is not None and value not in allowed_set:
            problems.append(
                Problem(
                    name,
                    message(key, value=value),
                    column=column,
                    allowed=None if fallback_hint else allowed_list(allowed, 10),
                    hint=did_you_mean(value, allowed) or fallback_hint,
                    **table.attrs["lines"][i],
                )
            )
    return problems.done()


def _cross_check(
    peg_name: str,
    peg: pd.DataFrame,
    jab_name: str,
    jab: pd.DataFrame,
    majors: Sequence[str] | None,
    fields: Sequence[str] | None,
) -> list[Problem]:
    problems = _Capped(peg_name)
    by_nip = {nip: i for i, nip in enumerate(peg["nip"]) if nip is not None}
    held_of = peg["jenis_jabatan"].to_numpy(dtype=object)  # one column read, not one a post
    for i, (nip, jenis) in enumerate(zip(jab["nip_pemangku"], jab["jenis_jabatan"], strict=True)):
        if nip is None:
            continue
        where = jab.attrs["lines"][i]
        if nip not in by_nip:
            problems.append(
                Problem(
                    jab_name,
                    message("incumbent_not_in_pegawai", nip=nip),
                    column="nip_pemangku",
                    **where,
                )
            )
            continue
        held = held_of[by_nip[nip]]
        if pd.notna(jenis) and pd.notna(held) and held != jenis:
            problems.append(
                Problem(
                    peg_name,
                    message(
                        "holds_post_but_jenis",
                        nip=nip,
                        post=jab["jabatan_id"].iloc[i],
                        jenis=jenis,
                        held=held,
                    ),
                    column="jenis_jabatan",
                    allowed=str(jenis),
                    **peg.attrs["lines"][by_nip[nip]],
                )
            )
    if majors is not None:
        problems.extend(
            _unknown_values(
                peg_name,
                peg,
                "jurusan",
                majors,
                "jurusan_not_in_taxonomy",
                fallback_hint=message("add_to_taxonomy"),
            )
        )
    if fields is not None:
        problems.extend(_unknown_fields(jab_name, jab, fields))
    return problems.done()
