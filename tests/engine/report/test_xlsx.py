"""The workbook writer (engine.report.xlsx) against openpyxl's write-only workbook.

``openpyxl_workbook`` below is the writer plan.xlsx had before, kept here as
the oracle: for the same sheets both must give the same parts to the byte
(the document properties aside: who made the file, and when), and openpyxl,
an independent reader, must read back the same sheets, cells, types,
formats, widths, frozen panes and filters from both.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pytest
from factories import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.report.workbook import workbook_bytes
from engine.report.xlsx import column_letter, safe_cell, xlsx_bytes


def openpyxl_workbook(sheets, yes_no=("ya", "tidak")) -> bytes:
    """plan.xlsx as openpyxl's write-only workbook wrote it (the writer before this one)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        ws = book.create_sheet(title=title[:31])
        body = [[safe_cell(v, yes_no) for v in row] for row in rows]
        widths = [len(str(h)) for h in header]
        for cells in body:
            for k, v in enumerate(cells):
                widths[k] = max(widths[k], min(len(str(v)) if v is not None else 0, 60))
        for k, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(k)].width = max(8, width + 2)
        ws.freeze_panes = "A2"
        if header:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
        head = []
        for h in header:
            cell = WriteOnlyCell(ws, value=safe_cell(h))
            cell.font = bold
            head.append(cell)
        ws.append(head)
        for cells in body:
            ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def assert_same_parts(new: bytes, old: bytes) -> None:
    got, want = parts(new), parts(old)
    assert sorted(got) == sorted(want)
    for name in want:
        if not name.startswith("docProps/"):
            assert got[name] == want[name], name


def read_back(data: bytes) -> list[dict]:
    """Everything openpyxl reads of each sheet (a full, not a read-only, load)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = []
    for ws in book.worksheets:
        cells = [
            (c.coordinate, c.value, c.data_type, c.number_format, bool(c.font.b))
            for row in ws.iter_rows()
            for c in row
        ]
        sheets.append(
            {
                "title": ws.title,
                "cells": cells,
                "widths": {k: d.width for k, d in ws.column_dimensions.items()},
                "freeze": ws.freeze_panes,
                "filter": ws.auto_filter.ref,
                "dimensions": ws.dimensions,
            }
        )
    return sheets


def same_cells(a: list[dict], b: list[dict]) -> None:
    """Equal read-backs (NaN, which openpyxl reads back as text or None, equal to itself)."""
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert {k: v for k, v in x.items() if k != "cells"} == {
            k: v for k, v in y.items() if k != "cells"
        }
        assert len(x["cells"]) == len(y["cells"])
        for p, q in zip(x["cells"], y["cells"], strict=True):
            if isinstance(p[1], float) and math.isnan(p[1]):
                assert isinstance(q[1], float) and math.isnan(q[1]) and p[2:] == q[2:]
            else:
                assert p == q


def _demo_round(tmp_path: Path, seed: int | None) -> Path:
    """The demo scenario; with a seed, on a regency generated from it."""
    if seed is None:
        return ROOT / "scenarios/demo.yaml"
    from engine.demo import synth

    synth.write(synth.make_regency(seed), tmp_path / "data")
    text = (ROOT / "scenarios/demo.yaml").read_text(encoding="utf-8")
    text = text.replace("../data/demo/", f"{tmp_path / 'data'}/").replace(
        "../rules/", f"{ROOT}/rules/"
    )
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(text, encoding="utf-8")
    return scenario


@pytest.mark.parametrize("seed", [None, 20261205], ids=["demo", "random regency"])
def test_plan_workbook_equals_openpyxls_cell_by_cell(tmp_path, monkeypatch, seed):
    """The plan's workbook in both languages: the same parts as openpyxl's, and the
    same sheets, cells, types, formats, widths, panes and filters read back."""
    from engine.plan.pipeline import build_plan
    from engine.report import render as rendering

    plan = build_plan(_demo_round(tmp_path, seed))
    for lang in ("id", "en"):
        new = rendering.render(plan, lang)["plan.xlsx"]
        monkeypatch.setattr(rendering, "workbook_bytes", openpyxl_workbook)
        old = rendering.render(plan, lang)["plan.xlsx"]
        monkeypatch.undo()
        assert_same_parts(new, old)
        same_cells(read_back(new), read_back(old))
        assert sum(len(s["cells"]) for s in read_back(new)) > 1000


CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cs",), exclude_characters="\ufffe\uffff"
        ).filter(lambda ch: not re.match(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", ch)),
        max_size=30,
    ),
    st.sampled_from(["#N/A", "#DIV/0!", "=SUM(A1)", "+1", "-x", "@a", " x", "x ", "\tx", ""]),
    st.sampled_from([np.int64(7), np.float64(2.5), np.bool_(True), np.float32(0.1)]),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="abcXYZ &'<>é", min_size=1, max_size=40),
            st.lists(CELL, max_size=6),
            st.lists(st.lists(CELL, max_size=6), max_size=8),
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda s: s[0][:31],
    ),
    st.sampled_from([("ya", "tidak"), ("yes", "no")]),
)
def test_any_sheets_equal_openpyxls(sheets, yes_no):
    """Random titles, headers and cells of every kind the tables hold, NaN and
    infinities, error words, formulas, spaces at either end, text past ASCII."""
    sheets = [
        (title, header, [row[: len(header)] for row in rows]) for title, header, rows in sheets
    ]
    new, old = xlsx_bytes(sheets, yes_no), openpyxl_workbook(sheets, yes_no)
    assert_same_parts(new, old)
    same_cells(read_back(new), read_back(old))


def test_long_text_is_cut_where_excel_stops_and_widths_stop_at_60():
    sheets = [("S", ["a", "b"], [("x" * 40_000, 12345.5)])]
    new = xlsx_bytes(sheets)
    assert_same_parts(new, openpyxl_workbook(sheets))
    ws = openpyxl.load_workbook(io.BytesIO(new))["S"]
    assert ws["A2"].value == "x" * 32_767
    assert ws.column_dimensions["A"].width == 62 and ws.column_dimensions["B"].width == 9


def test_a_control_character_is_refused_not_written():
    with pytest.raises(ValueError, match=r"U\+0007 \(a control character\)"):
        xlsx_bytes([("S", ["a"], [("bel\x07",)])])


def test_a_row_longer_than_its_header_is_refused():
    with pytest.raises(AssertionError, match="more cells than the header"):
        xlsx_bytes([("S", ["a"], [("x", "y")])])


def test_column_letters():
    assert [column_letter(k) for k in (1, 26, 27, 52, 53, 702, 703, 16384)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "XFD",
    ]


def test_the_parts_excel_needs_are_declared_and_related():
    """Every part has a content type; every relationship points at a part of the
    package with the type its relationship says; each sheet of the workbook
    resolves to a worksheet part; every part is well-formed XML."""
    data = workbook_bytes(
        [("Satu", ["a", "b"], [(1, "x"), (2, None)]), ("Dua", ["c"], []), ("Tiga", [], [])]
    )
    package = parts(data)
    ns = {
        "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
        "r": "http://schemas.openxmlformats.org/package/2006/relationships",
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    }
    trees = {name: ElementTree.fromstring(content) for name, content in package.items()}
    types = trees["[Content_Types].xml"]
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.findall("ct:Default", ns)}
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.findall("ct:Override", ns)}
    assert set(overrides) <= {"/" + name for name in package}
    for name in package:
        assert "/" + name in overrides or name.rsplit(".", 1)[-1] in defaults, name
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    assert overrides["/xl/workbook.xml"] == f"{main}.sheet.main+xml"

    def related(rels: str, base: str) -> dict[str, tuple[str, str]]:
        out = {}
        for rel in trees[rels].findall("r:Relationship", ns):
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else base + target
            assert path in package, (rels, target)
            out[rel.get("Id")] = (rel.get("Type").rsplit("/", 1)[-1], path)
        return out

    top = related("_rels/.rels", "")
    assert ("officeDocument", "xl/workbook.xml") in top.values()
    inner = related("xl/_rels/workbook.xml.rels", "xl/")
    kinds = {kind for kind, _ in inner.values()}
    assert {"worksheet", "styles", "theme"} <= kinds
    sheets = trees["xl/workbook.xml"].findall("m:sheets/m:sheet", ns)
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    assert [s.get("name") for s in sheets] == ["Satu", "Dua", "Tiga"]
    assert [s.get("sheetId") for s in sheets] == ["1", "2", "3"]
    for s in sheets:
        kind, path = inner[s.get(rid)]
        assert kind == "worksheet" and overrides["/" + path] == f"{main}.worksheet+xml"
    xfs = trees["xl/styles.xml"].find("m:cellXfs", ns)
    assert xfs.get("count") == str(len(xfs)) == "2"
    filters = trees["xl/workbook.xml"].findall("m:definedNames/m:definedName", ns)
    assert [(f.get("localSheetId"), f.text) for f in filters] == [
        ("0", "'Satu'!$A$1:$B$3"),
        ("1", "'Dua'!$A$1:$A$1"),
    ]


def test_a_workbook_is_written_without_openpyxl(tmp_path):
    """openpyxl only reads: writing a plan's workbook does not import it."""
    import subprocess
    import sys

    code = (
        "import sys; from engine.report.xlsx import xlsx_bytes; "
        "xlsx_bytes([('S', ['a'], [(1,)])]); print('openpyxl' in sys.modules)"
    )
    got = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert got.stdout.strip() == "False"
