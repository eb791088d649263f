"""The canvas writes the same sheet XML as openpyxl's own cells would (reports/outputs/canvas.py)."""

import datetime
import gc
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Border, Side
from openpyxl.utils.exceptions import IllegalCharacterError

from reports.outputs.canvas import CanvasBook, alignment, font

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
VALUES = [
    "机关",
    "=SUM(A1)",
    "#N/A",
    7,
    2.5,
    Decimal("1.2500"),
    None,
    datetime.date(2021, 3, 1),
    True,
]


def draw(sheet):
    """The same drawing on a canvas or on a normal worksheet: every value type, the same
    style combinations used again, a text forced to text, a row height."""
    for row, value in enumerate(VALUES, start=1):
        for column in (1, 2):
            cell = sheet.cell(row, column)
            cell.value = value
            cell.font = font(11, bold=column == 1)
            cell.alignment = alignment("center", "center", wrap=True)
            cell.border = BORDER
    forced = sheet.cell(len(VALUES) + 1, 1)
    forced.value, forced.data_type, forced.quotePrefix = "=1+1", "s", True
    sheet.row_dimensions[2].height = 31.5


def saved(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_xml(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_canvas_writes_the_cells_openpyxl_would_write():
    book = CanvasBook(Workbook(write_only=True))
    draw(book.sheet("表"))
    book.finish()
    plain = Workbook()
    draw(plain.active)
    plain.active.title = "表"
    data = saved(book.workbook)
    canvas_xml, plain_xml = sheet_xml(data), sheet_xml(saved(plain))
    start = plain_xml.index("<sheetData>")
    assert canvas_xml[canvas_xml.index("<sheetData>") :].startswith(
        plain_xml[start : plain_xml.index("</sheetData>", start)]
    )
    sheet = load_workbook(io.BytesIO(data))["表"]
    assert [sheet.cell(row, 2).value for row in range(1, 4)] == ["机关", "=SUM(A1)", "#N/A"]
    assert sheet.cell(len(VALUES) + 1, 1).value == "=1+1"
    assert sheet.row_dimensions[2].height == 31.5


# The refused sheet is left half-written; openpyxl's writer complains when it is collected.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_canvas_refuses_a_control_character_as_openpyxl_does():
    book = CanvasBook(Workbook(write_only=True))
    sheet = book.sheet("表")
    for row in (1, 2):  # the second cell of a style takes the canvas's own path
        sheet.cell(row, 1).value = "正常"
    sheet.cell(3, 1).value = "坏\x01字符"
    with pytest.raises(IllegalCharacterError):
        book.finish()
    del book, sheet
    gc.collect()  # here, under the filter above, not at the end of the session
