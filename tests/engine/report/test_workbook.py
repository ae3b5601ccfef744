import io

import openpyxl

from engine.report.workbook import safe_cell, workbook_bytes


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
