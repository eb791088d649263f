"""The annual report as an Excel workbook in the official layout, for submission to the district.

It draws only what reports.figures.tables and reports.figures.checks give it: the grids of tables 二, 三
and 四 (labels, order and merges from the single definition), the checks and the
narrative. Every text that a user typed goes through applications.xlsx.write_text.

Implements docs/report-format.md §Sections to §Table 四 (the layout).
"""

import math
from functools import lru_cache
from io import BytesIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.styles import Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from applications.xlsx import write_text

from ..figures.tables import SECTION_TITLES
from ..figures.trends import SERIES
from ..models import overview
from .canvas import CanvasBook, alignment, font
from .grid import report_grids

TITLE_ROW = 1
GRID_FIRST_ROW = 3  # row 1: the report's title, row 2: the table's title, then the table
SHEET_NAMES = ("表二", "表三", "表四")
CHECKS_SHEET = "校验"
NARRATIVE_SHEET = "文字部分"
CHARTS_SHEET = "图表"
SUMMARY_SHEET = "汇总"
STATUS_SHEET = "报送情况"
INVALID_SHEET_CHARACTERS = "[]:*?/\\"

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_HEIGHT = 15
MAX_COLUMN_WIDTH = 36
MAX_HEADER_WIDTH = 10
MIN_COLUMN_WIDTH = 8


@lru_cache(maxsize=8192)  # a rollup prints the same labels on a thousand sheets
def text_width(text):
    """Width in Excel character units: a Chinese character takes two."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in str(text))


@lru_cache(maxsize=8192)
def lines_needed(text, width):
    """Lines a wrapped text takes in a column; a little pessimistic, since spreadsheet
    programs break lines between characters and pad the cell."""
    usable = max(width * 0.9 - 1, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(text).split("\n"))


def report_title(organization_name, year):
    return f"{organization_name}{year}年政府信息公开工作年度报告"


def _a4(sheet, landscape=False, title_rows=None):
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows


def grid_widths(grid):
    """Column widths for a grid, from the cells that occupy one column (and one row, unless
    a header merged down, like table 四's 结果维持): label columns up to MAX_COLUMN_WIDTH,
    figure columns as wide as a four-character header; longer text wraps."""
    widths = [MIN_COLUMN_WIDTH] * grid.width
    for cell in grid.cells():
        if cell.colspan == 1 and (cell.rowspan == 1 or cell.header):
            cap = MAX_HEADER_WIDTH if cell.header else MAX_COLUMN_WIDTH
            widths[cell.col] = max(widths[cell.col], min(text_width(cell.display) + 2, cap))
    return widths


def _set_widths(sheet, widths):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def write_grid_at(sheet, grid, top, widths):
    """Draw a grid with its top-left cell at (top, A): values, borders, merges and row
    heights for the given column widths. Returns the first row below the grid."""
    heights = {}
    for cell in grid.cells():
        row, col = top + cell.row, 1 + cell.col
        target = sheet.cell(row, col)
        if cell.kind in ("number", "money"):
            target.value = cell.value
            target.number_format = "0.0000" if cell.kind == "money" else "0"
            target.alignment = alignment("center", "center")
        else:
            write_text(target, cell.text)
            target.alignment = alignment("center" if cell.header else "left", "center", wrap=True)
        target.font = font(11, bold=cell.header)
        target.border = BORDER
        if cell.rowspan > 1 or cell.colspan > 1:
            for down in range(cell.rowspan):  # every cell under a merge draws its border
                for across in range(cell.colspan):
                    sheet.cell(row + down, col + across).border = BORDER
            sheet.merge_cells(
                start_row=row,
                start_column=col,
                end_row=row + cell.rowspan - 1,
                end_column=col + cell.colspan - 1,
            )
        span_width = sum(widths[cell.col : cell.col + cell.colspan])
        needed = lines_needed(cell.display, span_width) * LINE_HEIGHT / cell.rowspan
        heights[row] = max(heights.get(row, LINE_HEIGHT), needed)
    for row, height in heights.items():
        sheet.row_dimensions[row].height = max(height, 18)
    return top + len(grid.rows)


def _write_heading(sheet, row, text, width, size):
    write_text(sheet.cell(row, 1), text).font = font(size, bold=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _write_grid(sheet, grid, organization_name, year, landscape):
    top = GRID_FIRST_ROW
    _write_heading(sheet, TITLE_ROW, report_title(organization_name, year), grid.width, 14)
    _write_heading(sheet, TITLE_ROW + 1, grid.title, grid.width, 12)
    widths = grid_widths(grid)
    _set_widths(sheet, widths)
    write_grid_at(sheet, grid, top, widths)
    _a4(
        sheet,
        landscape=landscape,
        title_rows=f"{top}:{top + grid.head_rows - 1}" if grid.head_rows else None,
    )


def write_report_sheet(sheet, title, report, note=""):
    """Tables 二, 三 and 四 of one report stacked on one sheet, in the official layout: the
    sheets of a district's rollup workbook. Returns the first row of each table's grid."""
    grids = report_grids(report)
    width = max(grid.width for grid in grids)
    widths = [
        max(column)
        for column in zip(
            *(grid_widths(grid) + [MIN_COLUMN_WIDTH] * (width - grid.width) for grid in grids),
            strict=False,
        )
    ]
    _set_widths(sheet, widths)
    _write_heading(sheet, TITLE_ROW, title, width, 14)
    row = TITLE_ROW + 1
    if note:
        write_text(sheet.cell(row, 1), note).alignment = alignment(vertical="top", wrap=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.row_dimensions[row].height = max(lines_needed(note, sum(widths)) * LINE_HEIGHT, 18)
        row += 1
    tops = []
    for grid in grids:
        row += 1
        _write_heading(sheet, row, grid.title, grid.width, 12)
        tops.append(row + 1)
        row = write_grid_at(sheet, grid, row + 1, widths) + 1
    _a4(sheet, landscape=True)
    return tops


def write_table_sheet(sheet, title, headers, rows, note="", widths=None):
    """A plain bordered table with a title and an optional note (e.g. the status board)."""
    count = len(headers)
    _write_heading(sheet, 1, title, count, 14)
    first = 2
    widths = widths or [
        max(MIN_COLUMN_WIDTH, min(text_width(header) + 4, MAX_COLUMN_WIDTH)) for header in headers
    ]
    if note:
        write_text(sheet.cell(2, 1), note).alignment = alignment(vertical="top", wrap=True)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=count)
        sheet.row_dimensions[2].height = max(lines_needed(note, sum(widths)) * LINE_HEIGHT, 18)
        first = 3
    for col, (header, width) in enumerate(zip(headers, widths, strict=False), start=1):
        cell = write_text(sheet.cell(first, col), header)
        cell.font = font(bold=True)
        cell.border = BORDER
        cell.alignment = alignment("center", "center", wrap=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    for row_index, values in enumerate(rows, start=first + 1):
        lines = 1
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row_index, col)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
                cell.alignment = alignment("center", "top")
            else:
                write_text(cell, value)
                cell.alignment = alignment(vertical="top", wrap=True)
                lines = max(lines, lines_needed(value, widths[col - 1]))
            cell.border = BORDER
            cell.font = font()
        sheet.row_dimensions[row_index].height = max(lines * LINE_HEIGHT, 18)
    sheet.freeze_panes = f"A{first + 1}"
    _a4(sheet, landscape=True, title_rows=f"{first}:{first}")


def write_charts_sheet(sheet, title, charts):
    """The charts of reports.trends as native Excel bar charts, each with its figures in
    a table beside it (the text equivalent: the same numbers, readable and printable)."""
    sheet.column_dimensions["A"].width = 16
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 10
    _write_heading(sheet, 1, title, 14, 14)
    row = 3
    blocks = [
        (
            charts.monthly_title,
            ["月份", "收到"],
            [
                [label, value]
                for label, value in zip(charts.month_labels(), charts.monthly, strict=False)
            ],
            "col",
        ),
        (
            charts.mix_title,
            ["办理结果", "件数"],
            [[label, value] for label, value in charts.mix],
            "bar",
        ),
        (
            charts.years_title,
            ["年度", *(label for _, label in SERIES)],
            [
                [f"{year}年", new, answered, carried_out]
                for year, new, answered, carried_out in charts.years
            ],
            "col",
        ),
    ]
    if charts.notes:
        write_text(sheet.cell(2, 1), "；".join(charts.notes))
    for chart_title, headers, rows, direction in blocks:
        write_text(sheet.cell(row, 1), chart_title).font = font(bold=True)
        head = row + 1
        for col, header in enumerate(headers, start=1):
            cell = write_text(sheet.cell(head, col), header)
            cell.font = font(bold=True)
            cell.border = BORDER
        for offset, values in enumerate(rows, start=1):
            for col, value in enumerate(values, start=1):
                cell = sheet.cell(head + offset, col)
                if isinstance(value, int):
                    cell.value = value
                else:
                    write_text(cell, value)
                cell.border = BORDER
        chart = BarChart()
        chart.type = direction
        chart.title = chart_title
        chart.style = 10
        chart.legend.position = "b"
        chart.y_axis.majorGridlines = ChartLines()
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.numFmt = "0"
        last = head + len(rows)
        chart.add_data(
            Reference(sheet, min_col=2, max_col=len(headers), min_row=head, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=head + 1, max_row=last))
        chart.height, chart.width = 7.5, 16
        sheet.add_chart(chart, f"F{row}")
        row = max(last + 2, row + 17)
    _a4(sheet, landscape=True)


def _write_checks(sheet, organization_name, year, checks, note):
    write_text(sheet.cell(1, 1), report_title(organization_name, year) + " · 校验结果").font = font(
        14, bold=True
    )
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    write_text(sheet.cell(2, 1), note)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    headers = ("序号", "检查项", "结果", "说明", "不一致的数字或涉及的记录")
    widths = (6, 36, 8, 60, 60)
    for col, (header, width) in enumerate(zip(headers, widths, strict=False), start=1):
        cell = write_text(sheet.cell(3, col), header)
        cell.font = font(bold=True)
        cell.border = BORDER
        cell.alignment = alignment("center", "center")
        sheet.column_dimensions[get_column_letter(col)].width = width
    row = 4
    for number, check in enumerate(checks, start=1):
        details = check.details or [""]
        for index, detail in enumerate(details):
            values = (
                (number, check.title, check.status_label, check.explanation)
                if index == 0
                else (None, "", "", "")
            )
            for col, value in enumerate((*values, detail), start=1):
                cell = sheet.cell(row, col)
                if isinstance(value, int):
                    cell.value = value
                    cell.alignment = alignment("center", "top")
                else:
                    write_text(cell, value)
                    cell.alignment = alignment(vertical="top", wrap=True)
                cell.border = BORDER
                cell.font = font(bold=(col == 3 and check.status != "pass" and index == 0))
            text_lines = max(
                lines_needed(values[1], widths[1]),
                lines_needed(values[3], widths[3]),
                lines_needed(detail, widths[4]),
            )
            sheet.row_dimensions[row].height = max(text_lines * LINE_HEIGHT, 18)
            row += 1
    sheet.freeze_panes = "A4"
    _a4(sheet, landscape=True, title_rows="3:3")


def _write_narrative(sheet, organization_name, year, narrative, fees_sentence, note):
    width = 80  # fits A4 portrait without scaling
    sheet.column_dimensions["A"].width = width
    lines = [
        (report_title(organization_name, year), "title"),
        (note, "note"),
        (SECTION_TITLES["one"], "section"),
    ]
    opening, parts = overview(narrative)
    if opening:
        lines.append((opening, "text"))
    for lead_in, text in parts:
        lines.append((lead_in, "part"))
        lines.append((text or "无", "text"))
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
        "title": font(14, bold=True),
        "section": font(12, bold=True),
        "part": font(11, bold=True),
        "note": font(10, italic=True),
        "text": font(11),
    }
    for row, (text, style) in enumerate(lines, start=1):
        cell = write_text(sheet.cell(row, 1), text)
        cell.font = fonts[style]
        cell.alignment = alignment(vertical="top", wrap=True)
        sheet.row_dimensions[row].height = max(lines_needed(text, width) * LINE_HEIGHT, 18)
    _a4(sheet)


def _save(book, title):
    book.finish()
    workbook = book.workbook
    workbook.properties.title = title
    workbook.properties.creator = "gongkai 政府信息公开工作平台"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_workbook(organization_name, report, checks, narrative, note, charts=None):
    """The workbook's bytes: 表二, 表三, 表四, 校验, 文字部分, and 图表 when `charts` (a
    reports.figures.trends.ReportCharts) is given, in that order.

    `narrative` is a dict as ReportNarrative.as_json() gives (possibly empty); `note` says
    what the workbook is (generated from the ledger on a date, or signed-off version N).
    """
    book = CanvasBook(Workbook(write_only=True))
    for name, grid in zip(SHEET_NAMES, report_grids(report), strict=False):
        _write_grid(
            book.sheet(name), grid, organization_name, report.year, landscape=(name == "表四")
        )
    _write_checks(book.sheet(CHECKS_SHEET), organization_name, report.year, checks, note)
    _write_narrative(
        book.sheet(NARRATIVE_SHEET),
        organization_name,
        report.year,
        narrative,
        report.fees.sentence,
        note,
    )
    if charts is not None:
        write_charts_sheet(
            book.sheet(CHARTS_SHEET),
            report_title(organization_name, report.year) + " · 图表",
            charts,
        )
    return _save(book, report_title(organization_name, report.year))


def sheet_title(name, taken):
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\) for an office."""
    clean = (
        "".join("_" if char in INVALID_SHEET_CHARACTERS else char for char in name).strip("'")
        or "机关"
    )
    candidate, number = clean[:31], 2
    while candidate in taken:
        suffix = f"({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate)
    return candidate


def build_rollup_workbook(
    title,
    summary,
    offices,
    status_headers,
    status_rows,
    status_note,
    charts=None,
    status_widths=None,
    extra_sheets=(),
):
    """A district's rollup: 汇总 (the summed tables), one sheet per office in the same
    layout, then 报送情况 (the status board), any `extra_sheets` ((name, title, headers,
    rows, note, widths), e.g. 指标) and 图表.

    `summary` is (note, AnnualReport); `offices` is a list of (name, title, note, AnnualReport).
    """
    book = CanvasBook(Workbook(write_only=True))
    taken = {SUMMARY_SHEET, STATUS_SHEET, CHARTS_SHEET}
    note, report = summary
    write_report_sheet(book.sheet(SUMMARY_SHEET), title, report, note)
    for name, office_title, office_note, office_report in offices:
        write_report_sheet(
            book.sheet(sheet_title(name, taken)), office_title, office_report, office_note
        )
    write_table_sheet(
        book.sheet(STATUS_SHEET),
        f"{title} · 报送情况",
        status_headers,
        status_rows,
        status_note,
        status_widths,
    )
    for name, *table in extra_sheets:
        write_table_sheet(book.sheet(name), *table)
    if charts is not None:
        write_charts_sheet(book.sheet(CHARTS_SHEET), f"{title} · 图表", charts)
    return _save(book, title)
