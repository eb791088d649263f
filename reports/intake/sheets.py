"""The cells of an uploaded workbook, read once, read-only and bounded, indexed by label.

The workbook goes through the one upload guard (lib.workbooks.SafeWorkbook with
lib.uploads.INTAKE_LIMITS): its zip, every XML part streamed and checked once, then read.
A report's tables fit in the first few hundred rows and a few dozen columns of a sheet;
nothing beyond MAX_ROWS × MAX_COLS of each sheet is read, whatever extent the sheet has.
"""

import re
from dataclasses import dataclass
from io import BytesIO

from openpyxl.utils import get_column_letter

from lib.labels import label_key
from lib.uploads import INTAKE_LIMITS, UploadRejected
from lib.workbooks import SafeWorkbook

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


def read_cells(book, titles, formulas=False):
    """{Place: value} of the non-empty cells within the bounds of the sheets named."""
    cells = {}
    for title in titles:
        for row_number, values in book.rows(title, MAX_ROWS, MAX_COLS, formulas=formulas):
            for col_number, value in enumerate(values, 1):
                if value is not None and not (isinstance(value, str) and not value.strip()):
                    cells[Place(title, row_number, col_number)] = value
    return cells


class Workbook:
    """The label cells of every sheet, and the values around them.

    Workbook(data, filename) raises UploadRejected, with the guard's Chinese message, when
    the file is refused; close() it when done (read_workbook does)."""

    def __init__(self, data, filename=None):
        self._book = SafeWorkbook(BytesIO(data), INTAKE_LIMITS, filename)
        self._formulas = {}  # sheet title -> {Place: formula or value}
        try:
            self.cells = read_cells(self._book, self._book.sheetnames)
        except UploadRejected:
            self.close()
            raise
        self.labels = {}  # label_key(text) -> [Place]
        for place, value in self.cells.items():
            if isinstance(value, str):
                self.labels.setdefault(label_key(value), []).append(place)

    def close(self):
        self._book.close()

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
        """Whether a cell holds a formula (read again only when a blank figure is found)."""
        if place.sheet not in self._formulas:
            try:
                self._formulas[place.sheet] = read_cells(self._book, [place.sheet], True)
            except UploadRejected:
                self._formulas[place.sheet] = {}
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

    def label_cells(self, sheet=None, rows=None, cols=None):
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
