"""The annual report as an Excel workbook in the official layout, for submission to the district.

It draws only what reports.tables and reports.checks give it: the grids of tables 二, 三
and 四 (labels, order and merges from the single definition), the checks and the
narrative. Every text that a user typed goes through applications.xlsx.write_text.
"""

import math
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from applications.xlsx import write_text

from .models import OVERVIEW_PARTS
from .tables import SECTION_TITLES, report_grids

TITLE_ROW = 1
GRID_FIRST_ROW = 3  # row 1: the report's title, row 2: the table's title, then the table
SHEET_NAMES = ("表二", "表三", "表四")
CHECKS_SHEET = "校验"
NARRATIVE_SHEET = "文字部分"

FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_HEIGHT = 15
MAX_COLUMN_WIDTH = 36
MAX_HEADER_WIDTH = 10
MIN_COLUMN_WIDTH = 8


def text_width(text):
    """Width in Excel character units: a Chinese character takes two."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in str(text))


def lines_needed(text, width):
    """Lines a wrapped text takes in a column; a little pessimistic, since spreadsheet
    programs break lines between characters and pad the cell."""
    usable = max(width * 0.9 - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(text).split("\n"))


def report_title(organization_name, year):
    return f"{organization_name}{year}年政府信息公开工作年度报告"


def _a4(sheet, landscape=False, title_rows=None):
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows


def _write_grid(sheet, grid, organization_name, year, landscape):
    top = GRID_FIRST_ROW
    write_text(sheet.cell(TITLE_ROW, 1), report_title(organization_name, year)).font = Font(name=FONT_NAME, size=14, bold=True)
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=grid.width)
    write_text(sheet.cell(TITLE_ROW + 1, 1), grid.title).font = Font(name=FONT_NAME, size=12, bold=True)
    sheet.merge_cells(start_row=TITLE_ROW + 1, start_column=1, end_row=TITLE_ROW + 1, end_column=grid.width)

    # Widths from the cells that occupy one column and one row: label columns up to
    # MAX_COLUMN_WIDTH, figure columns as wide as a four-character header; longer text wraps.
    widths = [MIN_COLUMN_WIDTH] * grid.width
    for cell in grid.cells():
        if cell.colspan == 1 and cell.rowspan == 1:
            cap = MAX_HEADER_WIDTH if cell.header else MAX_COLUMN_WIDTH
            widths[cell.col] = max(widths[cell.col], min(text_width(cell.display) + 2, cap))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    heights = {}
    for cell in grid.cells():
        row, col = top + cell.row, 1 + cell.col
        target = sheet.cell(row, col)
        if cell.kind in ("number", "money"):
            target.value = cell.value
            target.number_format = "0.0000" if cell.kind == "money" else "0"
            target.alignment = Alignment(horizontal="center", vertical="center")
        else:
            write_text(target, cell.text)
            target.alignment = Alignment(
                horizontal="center" if cell.header else "left", vertical="center", wrap_text=True
            )
        target.font = Font(name=FONT_NAME, size=11, bold=cell.header)
        for down in range(cell.rowspan):
            for across in range(cell.colspan):
                sheet.cell(row + down, col + across).border = BORDER
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1)
        span_width = sum(widths[cell.col : cell.col + cell.colspan])
        needed = lines_needed(cell.display, span_width) * LINE_HEIGHT / cell.rowspan
        heights[row] = max(heights.get(row, LINE_HEIGHT), needed)
    for row, height in heights.items():
        sheet.row_dimensions[row].height = max(height, 18)
    _a4(sheet, landscape=landscape, title_rows=f"{top}:{top + grid.head_rows - 1}" if grid.head_rows else None)


def _write_checks(sheet, organization_name, year, checks, note):
    write_text(sheet.cell(1, 1), report_title(organization_name, year) + " · 校验结果").font = Font(name=FONT_NAME, size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    write_text(sheet.cell(2, 1), note)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    headers = ("序号", "检查项", "结果", "说明", "不一致的数字或涉及的记录")
    widths = (6, 36, 8, 60, 60)
    for col, (header, width) in enumerate(zip(headers, widths), start=1):
        cell = write_text(sheet.cell(3, col), header)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = width
    row = 4
    for number, check in enumerate(checks, start=1):
        details = check.details or [""]
        for index, detail in enumerate(details):
            values = (number, check.title, check.status_label, check.explanation) if index == 0 else (None, "", "", "")
            for col, value in enumerate((*values, detail), start=1):
                cell = sheet.cell(row, col)
                if isinstance(value, int):
                    cell.value = value
                    cell.alignment = Alignment(horizontal="center", vertical="top")
                else:
                    write_text(cell, value)
                    cell.alignment = Alignment(vertical="top", wrap_text=True)
                cell.border = BORDER
                cell.font = Font(name=FONT_NAME, bold=(col == 3 and check.status != "pass" and index == 0))
            text_lines = max(lines_needed(values[1], widths[1]), lines_needed(values[3], widths[3]), lines_needed(detail, widths[4]))
            sheet.row_dimensions[row].height = max(text_lines * LINE_HEIGHT, 18)
            row += 1
    sheet.freeze_panes = "A4"
    _a4(sheet, landscape=True, title_rows="3:3")


def _write_narrative(sheet, organization_name, year, narrative, fees_sentence, note):
    width = 80  # fits A4 portrait without scaling
    sheet.column_dimensions["A"].width = width
    lines = [(report_title(organization_name, year), "title"), (note, "note"), (SECTION_TITLES["one"], "section")]
    for name, label in OVERVIEW_PARTS:
        lines.append((label, "part"))
        lines.append((narrative.get(name) or "无", "text"))
    for key in ("two", "three", "four"):
        lines.append((SECTION_TITLES[key], "section"))
        lines.append((f"见“{SHEET_NAMES[('two', 'three', 'four').index(key)]}”工作表。", "text"))
    lines.append((SECTION_TITLES["five"], "section"))
    lines.append((narrative.get("problems") or "无", "text"))
    lines.append((SECTION_TITLES["six"], "section"))
    lines.append((fees_sentence, "text"))
    if narrative.get("other_matters"):
        lines.append((narrative["other_matters"], "text"))
    fonts = {
        "title": Font(name=FONT_NAME, size=14, bold=True),
        "section": Font(name=FONT_NAME, size=12, bold=True),
        "part": Font(name=FONT_NAME, size=11, bold=True),
        "note": Font(name=FONT_NAME, size=10, italic=True),
        "text": Font(name=FONT_NAME, size=11),
    }
    for row, (text, style) in enumerate(lines, start=1):
        cell = write_text(sheet.cell(row, 1), text)
        cell.font = fonts[style]
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.row_dimensions[row].height = max(lines_needed(text, width) * LINE_HEIGHT, 18)
    _a4(sheet)


def build_workbook(organization_name, report, checks, narrative, note):
    """The workbook's bytes: 表二, 表三, 表四, 校验, 文字部分, in that order.

    `narrative` is a dict as ReportNarrative.as_json() gives (possibly empty); `note` says
    what the workbook is (generated from the ledger on a date, or signed-off version N).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, grid in zip(SHEET_NAMES, report_grids(report)):
        _write_grid(workbook.create_sheet(name), grid, organization_name, report.year, landscape=(name == "表四"))
    _write_checks(workbook.create_sheet(CHECKS_SHEET), organization_name, report.year, checks, note)
    _write_narrative(workbook.create_sheet(NARRATIVE_SHEET), organization_name, report.year, narrative, report.fees.sentence, note)
    workbook.properties.title = report_title(organization_name, report.year)
    workbook.properties.creator = "gongkai 政府信息公开工作平台"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
