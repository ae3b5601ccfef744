"""Excel workbooks written as their Office Open XML parts, directly.

A workbook is a zip of XML parts: the content types, the relationships, the
workbook (sheet names, each sheet's filter range), a style sheet with two
cell formats (plain, and bold for the header row), the default Office theme
(``templates/xlsx-theme.xml``), the document properties, and one part per
sheet. Each sheet is written as one string: a frozen header row, fitted column widths,
a filter over the header and the rows, and the cells: numbers as ``n``,
text inline (``inlineStr``, no shared-strings table to build), Excel's error
words as ``e``, empty cells left out. The parts are the ones openpyxl's
write-only workbook made for the same sheets, to the byte (the document
properties aside: who made the file, and when); openpyxl is only used to
read workbooks. A sheet of 25,000 rows is a tenth of a second here, a
second and a half through openpyxl's cell objects.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from importlib.resources import files
from typing import Any

from engine.errors import message

__all__ = ["FORMULA_START", "column_letter", "safe_cell", "sheet_xml", "xlsx_bytes"]

# A text beginning with one of these would be read by a spreadsheet as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32767  # Excel's longest cell text; longer text is cut there
MAX_WIDTH = 60
COMPRESSION = 1  # zlib's fastest: a third of the time of its default, a file a quarter larger
ERROR_WORDS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
# Characters XML 1.0 cannot carry (the inputs refuse them: engine.inputs.data).
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ABSOLUTE = re.compile(r"([A-Z]+)([0-9]+)")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "application/vnd.openxmlformats-officedocument"


def safe_cell(value: Any, yes_no: tuple[str, str] = ("ya", "tidak")) -> Any:
    """A cell value that Excel shows as written and never evaluates; a truth value in words."""
    if value is None:
        return None
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def column_letter(k: int) -> str:
    """The letters of the ``k``-th column (1: A, 27: AA)."""
    letters = ""
    while k > 0:
        k, rest = divmod(k - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str, ascii: bool = True) -> str:
    """Text as an XML character run: escaped, and (``ascii``: the worksheets, as
    openpyxl wrote them) every character past ASCII as a character reference."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    if ascii and not value.isascii():
        value = value.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return value


def _attribute(value: str) -> str:
    return (
        _text(value, ascii=False)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def _column(
    letter: str, values: Iterable[Any], yes_no: tuple[str, str], style: str = ""
) -> tuple[list[str], int]:
    """One column's cells as XML, from the second row down (the first with
    ``style``), and the length of its longest value as shown, at most ``MAX_WIDTH``."""
    cells: list[str] = []
    add = cells.append
    width = 0
    for r, value in enumerate(values, 2 if not style else 1):
        if value is None:
            add(f'<c r="{letter}{r}"{style} t="n"></c>' if style else "")
            continue
        if isinstance(value, bool):
            value = yes_no[0] if value else yes_no[1]
        elif isinstance(value, (int, float)):
            shown = len(str(value))
            width = shown if shown > width else width
            number = f"{value:.16g}" if value - value == 0 else ""  # NaN, inf: empty
            add(f'<c r="{letter}{r}"{style} t="n"><v>{number}</v></c>')
            continue
        else:
            value = str(value)
            if value.startswith(FORMULA_START):
                value = "'" + value
        shown = len(value)
        width = shown if shown > width else width
        if not value:
            add(f'<c r="{letter}{r}"{style} t="inlineStr"></c>')
            continue
        value = value[:MAX_TEXT]
        if value in ERROR_WORDS:
            add(f'<c r="{letter}{r}"{style} t="e"><v>{value}</v></c>')
        elif value[0].isspace() or value[-1].isspace():
            add(
                f'<c r="{letter}{r}"{style} t="inlineStr"><is>'
                f'<t xml:space="preserve">{_text(value)}</t></is></c>'
            )
        else:
            add(f'<c r="{letter}{r}"{style} t="inlineStr"><is><t>{_text(value)}</t></is></c>')
    return cells, min(width, MAX_WIDTH)


_SHEET_TOP = (
    f'<worksheet xmlns="{MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
    '<pageSetUpPr/></sheetPr><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
    '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
)
_SHEET_TAIL = (
    '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
    "</worksheet>"
)


def sheet_xml(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], yes_no: tuple[str, str]
) -> tuple[str, str | None]:
    """One worksheet part, and its filter's range (None without a header).

    Rows shorter than the header end with empty cells; a row longer than the
    header has cells no column is made for, and is refused.
    """
    rows = [tuple(row) for row in rows]
    n = len(header)
    if any(len(row) > n for row in rows):
        raise AssertionError(f"a row has more cells than the header's {n}")
    padded = [row if len(row) == n else row + (None,) * (n - len(row)) for row in rows]
    letters = [column_letter(k) for k in range(1, n + 1)]
    heads, _ = _column_header(letters, header)
    columns = []
    widths = []
    for k, values in enumerate(zip(*padded, strict=True) if padded else [()] * n):
        cells, width = _column(letters[k], values, yes_no)
        columns.append(cells)
        widths.append(max(8, max(len(str(header[k])), width) + 2))
    parts = [_SHEET_TOP]
    if n:
        parts.append("<cols>")
        parts += [
            f'<col width="{w}" customWidth="1" min="{k}" max="{k}"/>'
            for k, w in enumerate(widths, start=1)
        ]
        parts.append("</cols>")
    parts.append(f'<sheetData><row r="1">{"".join(heads)}</row>')
    parts += [
        f'<row r="{r}">{"".join(cells)}</row>'
        for r, cells in enumerate(zip(*columns, strict=True) if n else [()] * len(rows), start=2)
    ]
    parts.append("</sheetData>")
    ref = f"A1:{letters[-1]}{len(rows) + 1}" if n else None
    if ref:
        parts.append(f'<autoFilter ref="{ref}"/>')
    parts.append(_SHEET_TAIL)
    xml = "".join(parts)
    found = NOT_IN_XML.search(xml)
    if found:  # the inputs refuse these already (engine.inputs.data)
        raise ValueError(message("control_character", code=f"{ord(found.group()):04X}"))
    return xml, ref


def _column_header(letters: Sequence[str], header: Sequence[Any]) -> tuple[list[str], int]:
    """The header row's cells (bold: the second cell format)."""
    cells = []
    for letter, value in zip(letters, header, strict=True):
        cells += _column(letter, [safe_cell(value)], ("ya", "tidak"), ' s="1"')[0]
    return cells, 0


def _quoted(title: str) -> str:
    """A sheet's name in a range (``'Name'!$A$1:$B$2``)."""
    return "'" + title.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """A range with every row and column fixed (``A1:B2``: ``$A$1:$B$2``)."""
    return _ABSOLUTE.sub(r"$\1$\2", ref)


def _workbook_xml(titles: Sequence[str], refs: Sequence[str | None]) -> str:
    sheets = "".join(
        f'<sheet xmlns:r="{REL}" name="{_attribute(title)}" sheetId="{k}" state="visible" '
        f'r:id="rId{k}"/>'
        for k, title in enumerate(titles, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{k}" hidden="1">'
        f"{_text(_quoted(title), ascii=False)}!{_absolute(ref)}</definedName>"
        for k, (title, ref) in enumerate(zip(titles, refs, strict=True))
        if ref is not None
    )
    return (
        f'<workbook xmlns="{MAIN}"><workbookPr/><workbookProtection/><bookViews>'
        '<workbookView visibility="visible" minimized="0" showHorizontalScroll="1" '
        'showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" activeTab="0" '
        f'autoFilterDateGrouping="1"/></bookViews><sheets>{sheets}</sheets>'
        + (f"<definedNames>{names}</definedNames>" if names else "<definedNames/>")
        + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


# The legacy palette of 64 colours (Excel's default, as openpyxl writes it), RRGGBB.
_PALETTE = [
    "000000",
    "FFFFFF",
    "FF0000",
    "00FF00",
    "0000FF",
    "FFFF00",
    "FF00FF",
    "00FFFF",
    "000000",
    "FFFFFF",
    "FF0000",
    "00FF00",
    "0000FF",
    "FFFF00",
    "FF00FF",
    "00FFFF",
    "800000",
    "008000",
    "000080",
    "808000",
    "800080",
    "008080",
    "C0C0C0",
    "808080",
    "9999FF",
    "993366",
    "FFFFCC",
    "CCFFFF",
    "660066",
    "FF8080",
    "0066CC",
    "CCCCFF",
    "000080",
    "FF00FF",
    "FFFF00",
    "00FFFF",
    "800080",
    "800000",
    "008080",
    "0000FF",
    "00CCFF",
    "CCFFFF",
    "CCFFCC",
    "FFFF99",
    "99CCFF",
    "FF99CC",
    "CC99FF",
    "FFCC99",
    "3366FF",
    "33CCCC",
    "99CC00",
    "FFCC00",
    "FF9900",
    "FF6600",
    "666699",
    "969696",
    "003366",
    "339966",
    "003300",
    "333300",
    "993300",
    "993366",
    "333399",
    "333333",
]
_PLAIN_XF = '<xf numFmtId="0" fontId="{font}" fillId="0" borderId="0" pivotButton="0" quotePrefix="0" xfId="0"/>'


def _styles(bold: bool) -> str:
    """The style sheet: the plain cell format, and the bold one when a header uses it."""
    fonts = '<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/>'
    fonts += '<scheme val="minor"/></font>' + ('<font><b val="1"/></font>' if bold else "")
    xfs = _PLAIN_XF.format(font=0) + (_PLAIN_XF.format(font=1) if bold else "")
    n = 2 if bold else 1
    return (
        f'<styleSheet xmlns="{MAIN}"><numFmts count="0"/><fonts count="{n}">{fonts}</fonts>'
        '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
        '</border></borders><cellStyleXfs count="1">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{n}">{xfs}</cellXfs><cellStyles count="1">'
        '<cellStyle name="Normal" xfId="0" builtinId="0" hidden="0"/></cellStyles>'
        '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/><colors><indexedColors>'
        + "".join(f'<rgbColor rgb="00{c}"/>' for c in _PALETTE)
        + "</indexedColors></colors></styleSheet>"
    )


def _content_types(n_sheets: int) -> str:
    kinds = [
        ("/xl/styles.xml", f"{DOC}.spreadsheetml.styles+xml"),
        ("/xl/theme/theme1.xml", f"{DOC}.theme+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", f"{DOC}.extended-properties+xml"),
        *(
            (f"/xl/worksheets/sheet{k}.xml", f"{DOC}.spreadsheetml.worksheet+xml")
            for k in range(1, n_sheets + 1)
        ),
        ("/xl/workbook.xml", f"{DOC}.spreadsheetml.sheet.main+xml"),
    ]
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in kinds)
        + "</Types>"
    )


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    return (
        f'<Relationships xmlns="{PKG_REL}">'
        + "".join(
            f'<Relationship Type="{kind}" Target="{target}" Id="rId{k}"/>'
            for k, (kind, target) in enumerate(targets, start=1)
        )
        + "</Relationships>"
    )


def _package_relationships() -> str:
    return _relationships(
        [
            (f"{REL}/officeDocument", "xl/workbook.xml"),
            (f"{PKG_REL}/metadata/core-properties", "docProps/core.xml"),
            (f"{REL}/extended-properties", "docProps/app.xml"),
        ]
    )


def _workbook_relationships(n_sheets: int) -> str:
    return _relationships(
        [
            *((f"{REL}/worksheet", f"/xl/worksheets/sheet{k}.xml") for k in range(1, n_sheets + 1)),
            (f"{REL}/styles", "styles.xml"),
            (f"{REL}/theme", "theme/theme1.xml"),
        ]
    )


def _core_properties(made: datetime.datetime) -> str:
    when = made.strftime("%Y-%m-%dT%H:%M:%SZ")
    stamp = (
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="dcterms:W3CDTF"'
    )
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties"><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">talenta'
        f"</dc:creator><dcterms:created {stamp}>{when}</dcterms:created>"
        f"<dcterms:modified {stamp}>{when}</dcterms:modified></cp:coreProperties>"
    )


_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>talenta</Application></Properties>"
)


def xlsx_bytes(
    sheets: Sequence[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]],
    yes_no: tuple[str, str] = ("ya", "tidak"),
) -> bytes:
    """A workbook of (title, header, rows) sheets, as the bytes of its file.

    Titles are cut to Excel's 31 characters; truth values are written as
    ``yes_no``; a cell a spreadsheet would read as a formula keeps a leading
    apostrophe (:func:`safe_cell`).
    """
    titles = [title[:31] for title, _, _ in sheets]
    if len(set(titles)) != len(titles):
        raise AssertionError(f"two sheets share a title: {titles}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as book:
        refs = []
        for k, (_, header, rows) in enumerate(sheets, start=1):
            xml, ref = sheet_xml(header, rows, yes_no)
            book.writestr(f"xl/worksheets/sheet{k}.xml", xml.encode("ascii"))
            refs.append(ref)
        made = datetime.datetime.now(datetime.UTC)
        theme = files("engine.report").joinpath("templates/xlsx-theme.xml").read_bytes()
        for name, content in (
            ("[Content_Types].xml", _content_types(len(sheets))),
            ("_rels/.rels", _package_relationships()),
            ("docProps/app.xml", _APP),
            ("docProps/core.xml", _core_properties(made)),
            ("xl/workbook.xml", _workbook_xml(titles, refs)),
            ("xl/_rels/workbook.xml.rels", _workbook_relationships(len(sheets))),
            ("xl/styles.xml", _styles(any(header for _, header, _ in sheets))),
            ("xl/theme/theme1.xml", theme),
        ):
            book.writestr(name, content)
    return buffer.getvalue()
