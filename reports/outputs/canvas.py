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

See docs/performance.md §How the pages stay near the floor.
"""

from decimal import Decimal
from functools import cache

from openpyxl.cell import Cell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

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
            f"{get_column_letter(start_column)}{start_row}:{get_column_letter(end_column)}{end_row}"
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
                # What the write-only writer takes from a RowDimension (write_row: its
                # attributes as text), without making one: 58,000 rows in a rollup.
                sheet.row_dimensions[row] = {"ht": f"{size.height:.16g}", "customHeight": "1"}
        # The write-only writer only reads each merge's text (write_merged_cells): a
        # MultiCellRange would parse and compare 41,000 of them in a rollup for nothing.
        sheet.merged_cells = tuple(self.merges)
        for chart, anchor in self.charts:
            sheet.add_chart(chart, anchor)
        rows = {}
        for (row, column), mark in self.marks.items():
            rows.setdefault(row, []).append((column, mark))
        # The rows are finished cells already: append() would try each as a value first
        # (an exception per cell) before taking it as a cell.
        sheet._values_to_row = _finished_cells
        for row in range(1, max(rows, default=0) + 1):
            sheet.append([self._cell(row, column, mark) for column, mark in rows.get(row, ())])
        self.marks.clear()

    def _cell(self, row, column, mark):
        interned = self.styles.get(mark.style_key())
        data_type = _PLAIN_TYPES.get(type(mark.value))
        if interned is None or data_type is None:
            return self._openpyxl_cell(row, column, mark)
        cell = _Written()
        cell.coordinate = f"{get_column_letter(column)}{row}"
        value = mark.value
        if data_type == "s":
            value, data_type = _checked_string(value)
        cell._value = value
        cell.data_type = mark.data_type or data_type
        cell.style_id, cell.has_style = interned
        return cell

    def _openpyxl_cell(self, row, column, mark):
        """A Cell made by openpyxl: for a value of another type (a date, a bool), and for
        the first cell of each combination of styles, which openpyxl then resolves."""
        cell = Cell(self.sheet, row, column, mark.value)
        if mark.data_type:
            cell.data_type = mark.data_type
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
        key = mark.style_key()
        if key not in self.styles:
            self.styles[key] = (cell.style_id, cell.has_style)
        return cell


# What openpyxl's Cell infers from a value of these types (cell.cell._bind_value).
_PLAIN_TYPES = {str: "s", int: "n", float: "n", Decimal: "n", type(None): "n"}


def _checked_string(value):
    """A text value and its type as openpyxl's Cell would store them (check_string)."""
    value = value[:32767]
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    if len(value) > 1 and value.startswith("="):
        return value, "f"
    return value, ("e" if value in ERROR_CODES else "s")


class _Written:
    """A finished cell as openpyxl's write-only writer reads it (worksheet._writer.write_row
    and cell._writer): its coordinate, value, type and style id, made without a Cell.
    openpyxl's Cell sets each through descriptors and hashes its style again to find the
    style id; a district's rollup workbook has 418,000 cells."""

    __slots__ = ("coordinate", "_value", "data_type", "style_id", "has_style")
    _comment = None
    hyperlink = None


def _finished_cells(cells, _row_index):
    """What a write-only sheet writes of a row: here, cells made by Canvas._cell."""
    return iter(cells)


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
