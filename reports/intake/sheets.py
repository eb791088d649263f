"""The cells of an uploaded workbook, read once, read-only and bounded, indexed by label.

A report's tables fit in the first few hundred rows and a few dozen columns of a sheet;
nothing beyond MAX_ROWS × MAX_COLS of each sheet is parsed, whatever extent the sheet
claims, so that every intake takes a bounded time.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl.utils import get_column_letter

from lib.labels import label_key

from .guard import open_workbook, parse_error_message

MAX_ROWS = 400
MAX_COLS = 60


def quote_sheet(title):
    """A sheet name as Excel writes it in a reference: quoted if it is not a plain word."""
    if re.fullmatch(r"[\w\u4e00-\u9fff]+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class Place:
    sheet: str
    row: int
    col: int

    @property
    def cell(self):
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def ref(self):
        return f"{quote_sheet(self.sheet)}!{self.cell}"


def read_cells(data, formulas=False, only_sheet=None):
    """{Place: value} of the non-empty cells within the bounds of every worksheet (or one)."""
    book = open_workbook(data, formulas=formulas)
    cells = {}
    try:
        for sheet in book.worksheets:
            if only_sheet is not None and sheet.title != only_sheet:
                continue
            rows = sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS, values_only=True)
            for row_number, values in enumerate(rows, 1):
                for col_number, value in enumerate(values, 1):
                    if value is not None and not (isinstance(value, str) and not value.strip()):
                        cells[Place(sheet.title, row_number, col_number)] = value
    except Exception as error:  # parsing is lazy in read-only mode
        raise ValidationError(parse_error_message(error)) from None
    finally:
        book.close()
    return cells


class Workbook:
    """The label cells of every sheet, and the values around them."""

    def __init__(self, data):
        self._data = data
        self._formulas = {}  # sheet title -> {Place: formula or value}
        self.cells = read_cells(data)
        self.labels = {}  # label_key(text) -> [Place]
        for place, value in self.cells.items():
            if isinstance(value, str):
                self.labels.setdefault(label_key(value), []).append(place)

    def texts(self):
        """(text, place) of every text cell, in reading order."""
        places = sorted(
            (place for place, value in self.cells.items() if isinstance(value, str)),
            key=lambda place: (place.sheet, place.row, place.col),
        )
        return [(self.cells[place], place) for place in places]

    def value(self, place):
        return self.cells.get(place)

    def is_formula(self, place):
        if place.sheet not in self._formulas:
            self._formulas[place.sheet] = read_cells(self._data, True, place.sheet)
        value = self._formulas[place.sheet].get(place)
        return isinstance(value, str) and value.startswith("=")

    def find(self, forms, sheet=None, rows=None, cols=None, match=None):
        """Places of cells whose label is one of `forms` (or satisfies `match`), in reading order."""
        found = []
        for text, places in self.labels.items():
            if not (text in forms or (match is not None and match(text))):
                continue
            found.extend(place for place in places if _within(place, sheet, rows, cols))
        return sorted(found, key=lambda place: (place.row, place.col))

    def label_cells(self, sheet, rows, cols):
        """(label key, place) of the text cells in a block of a sheet, in reading order."""
        found = [
            (label_key(value), place)
            for place, value in self.cells.items()
            if isinstance(value, str) and _within(place, sheet, rows, cols)
        ]
        return sorted(found, key=lambda item: (item[1].row, item[1].col))


def _within(place, sheet, rows, cols):
    if sheet is not None and place.sheet != sheet:
        return False
    if rows is not None and not rows[0] <= place.row <= rows[1]:
        return False
    return cols is None or cols[0] <= place.col <= cols[1]
