import io

import openpyxl

from engine.report.workbook import workbook_bytes
from engine.report.xlsx import safe_cell


def test_formula_cells_are_neutralised():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for start in "+-@":
        assert safe_cell(start + "1+1").startswith("'")
    assert safe_cell("Budi") == "Budi"
    assert safe_cell(12.5) == 12.5
    assert safe_cell(None) is None


def test_sheets_have_frozen_bold_headers_filters_and_widths():
    data = workbook_bytes(
        [("Penempatan", ["nip", "nama"], [("1", "=cmd|' /C calc'!A0"), ("2", "Sari")])]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Penempatan"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws.auto_filter.ref == "A1:B3"
    assert ws["B2"].value == "'=cmd|' /C calc'!A0"
    assert ws["B2"].data_type == "s"
    assert ws.column_dimensions["B"].width >= len("=cmd|' /C calc'!A0")


def _demo_books():
    import csv

    from factories import ROOT

    from engine.plan.pipeline import build_plan
    from engine.report.render import render

    plan = build_plan(ROOT / "scenarios/demo.yaml")
    people = list(csv.DictReader((ROOT / "data/demo/pegawai.csv").open(encoding="utf-8")))
    books = {
        lang: openpyxl.load_workbook(io.BytesIO(render(plan, lang)["plan.xlsx"]))
        for lang in ("id", "en")
    }
    return plan, people, books


def test_plan_workbook_speaks_the_reports_language():
    """Issue 15 item 11: headers in the report's language, no blank headers, post names on the
    shortlist sheet, and a talent-box sheet with every person."""
    plan, people, books = _demo_books()
    internal = {"jabatan_id", "opened_by", "considered", "eligible", "length", "end", "steps"}
    for lang, book in books.items():
        for ws in book.worksheets:
            header = [c.value for c in ws[1]]
            assert all(h not in (None, "") for h in header), (lang, ws.title, header)
            assert not internal & set(header), (lang, ws.title, header)
    shortlist = books["en"]["Three names per open post"]
    rows = list(shortlist.iter_rows(values_only=True))
    assert rows[0][:2] == ("Post id", "Post")
    names = {p.to.jabatan_id: p.to.nama_jabatan for p in plan.record.placements}
    for pid, name, *_ in rows[1:]:
        if pid in names:
            assert name == names[pid]
    talent = list(books["id"]["Kotak talenta"].iter_rows(values_only=True))
    assert talent[0][:2] == ("NIP", "Pegawai") and len(talent) - 1 == len(people)
    assert {r[0] for r in talent[1:]} == {p["nip"] for p in people}
    placed = list(books["en"]["Placements"].iter_rows(values_only=True))
    kinds = {r[7] for r in placed[1:]}
    assert kinds <= {"promotion", "rotation", "from outside structural posts"}, kinds
