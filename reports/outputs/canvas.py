"""Drawing a worksheet cell by cell, written out in one stream.

openpyxl's write-only workbooks take rows in order and never hold a sheet in memory, but
the report's layouts are drawn cell by cell (grids with merges, headings, notes). A Canvas
takes the drawing — cell(row, col) with value and style, merges, row heights, column
widths, charts, page set-up — and writes it into a write-only sheet row by row.

Styles are interned: each distinct combination of font, alignment, border, number format
and quote prefix is resolved in the workbook once, then copied to every cell that uses it
(openpyxl otherwise hashes every style object of every cell, most of a workbook's cost).
The fonts and alignments come from font() and alignment(), which return one shared object
per combination, so a combination is recognised by identity.
"""

from copy import copy
from functools import cache

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.cell_range import CellRange

FONT_NAME = "宋体"


@cache
def font(size: int | None = None, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


@cache
def alignment(horizontal=None, vertical=None, wrap: bool = False) -> Alignment:
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap or None)


class Mark:
    """One drawn cell: what a Cell of openpyxl is asked for by the drawing code."""

    __slots__ = (
        "value",
        "data_type",
        "quotePrefix",
        "font",
        "alignment",
        "border",
        "number_format",
    )

    def __init__(self):
        self.value = None
        self.data_type = None
        self.quotePrefix = False
        self.font = None
        self.alignment = None
        self.border = None
        self.number_format = None

    def style_key(self):
        return (
            id(self.font),
            id(self.alignment),
            id(self.border),
            self.number_format,
            self.quotePrefix,
        )


class _Size:
    __slots__ = ("height", "width")

    def __init__(self):
        self.height = None
        self.width = None


class _Sizes(dict):
    def __missing__(self, key):
        self[key] = size = _Size()
        return size


class Canvas:
    """A worksheet being drawn; flush() writes it into its write-only sheet."""

    # Page set-up and print settings go straight to the sheet: they are not cells.
    _SHEET_ATTRIBUTES = ("page_margins", "print_title_rows", "freeze_panes")

    def __init__(self, sheet, styles):
        object.__setattr__(self, "sheet", sheet)
        object.__setattr__(self, "styles", styles)
        object.__setattr__(self, "marks", {})
        object.__setattr__(self, "row_dimensions", _Sizes())
        object.__setattr__(self, "column_dimensions", _Sizes())
        object.__setattr__(self, "merges", [])
        object.__setattr__(self, "charts", [])

    PAPERSIZE_A4 = "9"

    def __getattr__(self, name):  # title, page_setup, print_options, sheet_properties …
        return getattr(self.sheet, name)

    def __setattr__(self, name, value):
        if name not in self._SHEET_ATTRIBUTES:
            raise AttributeError(f"Canvas has no attribute {name!r}")
        setattr(self.sheet, name, value)

    def cell(self, row: int, column: int) -> Mark:
        mark = self.marks.get((row, column))
        if mark is None:
            mark = self.marks[(row, column)] = Mark()
        return mark

    def merge_cells(self, start_row, start_column, end_row, end_column):
        self.merges.append(
            CellRange(min_col=start_column, min_row=start_row, max_col=end_column, max_row=end_row)
        )

    def add_chart(self, chart, anchor):
        self.charts.append((chart, anchor))

    def flush(self):
        """Write the drawing into the sheet, row by row; the canvas is spent afterwards."""
        sheet = self.sheet
        for letter, size in self.column_dimensions.items():
            if size.width is not None:
                sheet.column_dimensions[letter].width = size.width
        for row, size in self.row_dimensions.items():
            if size.height is not None:
                sheet.row_dimensions[row].height = size.height
        for cell_range in self.merges:
            sheet.merged_cells.add(cell_range)
        for chart, anchor in self.charts:
            sheet.add_chart(chart, anchor)
        rows = {}
        for (row, column), mark in self.marks.items():
            rows.setdefault(row, {})[column] = mark
        last = max(rows, default=0)
        for row in range(1, last + 1):
            marks = rows.get(row, {})
            width = max(marks, default=0)
            sheet.append([self._cell(marks.get(column)) for column in range(1, width + 1)])
        self.marks.clear()

    def _cell(self, mark):
        if mark is None:
            return None
        cell = WriteOnlyCell(self.sheet, mark.value)
        if mark.data_type:
            cell.data_type = mark.data_type
        key = mark.style_key()
        style = self.styles.get(key)
        if style is None:
            if mark.font is not None:
                cell.font = mark.font
            if mark.alignment is not None:
                cell.alignment = mark.alignment
            if mark.border is not None:
                cell.border = mark.border
            if mark.number_format is not None:
                cell.number_format = mark.number_format
            if mark.quotePrefix:
                cell.quotePrefix = True
            self.styles[key] = copy(cell._style)
        else:
            cell._style = copy(style)
        return cell


class CanvasBook:
    """A write-only workbook whose sheets are drawn on canvases (one style table for all)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.styles = {}
        self.pending = None

    def sheet(self, title):
        """A canvas for a new sheet; the previous sheet is written out first."""
        self.finish()
        self.pending = Canvas(self.workbook.create_sheet(title), self.styles)
        return self.pending

    def finish(self):
        if self.pending is not None:
            self.pending.flush()
            self.pending = None
