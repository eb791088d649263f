"""The official layout of tables 二, 三 and 四 as grids of cells with their merges.

The page, the workbook and the Word document all draw these grids, so they cannot disagree.
"""

from dataclasses import dataclass
from typing import Any

from applications.choices import OUTCOME_GROUPS

from ..figures.definitions import (
    APPLICANT_COLUMNS,
    APPLICANTS_HEADER,
    CARRIED_IN,
    CARRIED_OUT,
    LAWSUIT_HEADER,
    NEW,
    ORGANIZATIONS_HEADER,
    RESULTS_LABEL,
    TABLE_FOUR_GROUPS,
    TABLE_FOUR_RESULT_COLUMNS,
    TABLE_FOUR_TITLE,
    TABLE_THREE_CAPTION,
    TABLE_THREE_COLUMNS,
    TABLE_THREE_ROWS,
    TABLE_THREE_TITLE,
    TABLE_TWO_BLOCKS,
    TABLE_TWO_CONTENT_LABEL,
    TABLE_TWO_TITLE,
    TOTAL,
    format_wan,
)
from ..figures.report import AnnualReport, TableFour, TableThree, TableTwo

# --- Layout ------------------------------------------------------------------------------
# The official layout of each table as a grid of cells with their merges. The page and the
# workbook both draw these grids, so the two cannot disagree.


@dataclass
class Cell:
    text: str = ""
    value: Any = None
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # "head", "label", "number" or "money"
    row: int = 0
    col: int = 0

    @property
    def header(self) -> bool:
        return self.kind == "head"

    @property
    def display(self) -> str:
        if self.kind == "money":
            return format_wan(self.value)
        if self.kind == "number":
            return str(self.value)
        return self.text


@dataclass
class Grid:
    title: str
    width: int
    rows: list[list[Cell]]
    head_rows: int

    @property
    def head(self):
        return self.rows[: self.head_rows]

    @property
    def body(self):
        return self.rows[self.head_rows :]

    def cells(self):
        return [cell for row in self.rows for cell in row]

    @property
    def column_numbers(self):
        return range(1, self.width + 1)


def _place(title, width, rows, head_rows):
    """Give every cell its (row, col), skipping positions covered by merges from above."""
    covered = set()
    for row_index, cells in enumerate(rows):
        col = 0
        for cell in cells:
            while (row_index, col) in covered:
                col += 1
            cell.row, cell.col = row_index, col
            covered.update(
                (row_index + down, col + across)
                for down in range(cell.rowspan)
                for across in range(cell.colspan)
            )
            col += cell.colspan
    return Grid(title, width, rows, head_rows)


def table_two_grid(table: TableTwo) -> "Grid":
    width = 4
    rows = []
    for block in TABLE_TWO_BLOCKS:
        span = 3 // len(block.columns)
        rows.append([Cell(block.header, colspan=width, kind="head")])
        rows.append(
            [Cell(TABLE_TWO_CONTENT_LABEL, kind="head")]
            + [Cell(c.label, colspan=span, kind="head") for c in block.columns]
        )
        for row in block.rows:
            rows.append(
                [Cell(row.label)]
                + [
                    Cell(
                        value=table.values[row.code][c.code],
                        colspan=span,
                        kind="money" if block.money else "number",
                    )
                    for c in block.columns
                ]
            )
    return _place(TABLE_TWO_TITLE, width, rows, head_rows=0)


def table_three_grid(table: TableThree) -> "Grid":
    width = 3 + len(TABLE_THREE_COLUMNS)

    def numbers(code):
        return [Cell(value=table.values[code][c.code], kind="number") for c in TABLE_THREE_COLUMNS]

    rows = [
        [
            Cell(TABLE_THREE_CAPTION, rowspan=3, colspan=3, kind="head"),
            Cell(APPLICANTS_HEADER, colspan=len(TABLE_THREE_COLUMNS), kind="head"),
        ],
        [
            Cell(APPLICANT_COLUMNS[0].label, rowspan=2, kind="head"),
            Cell(ORGANIZATIONS_HEADER, colspan=len(APPLICANT_COLUMNS) - 1, kind="head"),
            Cell(TABLE_THREE_COLUMNS[-1].label, rowspan=2, kind="head"),
        ],
        [Cell(c.label, kind="head") for c in APPLICANT_COLUMNS[1:]],
    ]
    labels = {row.code: row.label for row in TABLE_THREE_ROWS}
    rows.append([Cell(labels[NEW], colspan=3)] + numbers(NEW))
    rows.append([Cell(labels[CARRIED_IN], colspan=3)] + numbers(CARRIED_IN))
    result_rows = sum(len(group.outcomes) for group in OUTCOME_GROUPS) + 1
    first = True
    for group in OUTCOME_GROUPS:
        for index, outcome in enumerate(group.outcomes):
            cells = [Cell(RESULTS_LABEL, rowspan=result_rows)] if first else []
            first = False
            if not group.has_items:
                cells.append(Cell(labels[outcome.value], colspan=2))
            else:
                if index == 0:
                    cells.append(Cell(group.label, rowspan=len(group.outcomes)))
                cells.append(Cell(labels[outcome.value]))
            rows.append(cells + numbers(outcome.value))
    rows.append([Cell(labels[TOTAL], colspan=2)] + numbers(TOTAL))
    rows.append([Cell(labels[CARRIED_OUT], colspan=3)] + numbers(CARRIED_OUT))
    return _place(TABLE_THREE_TITLE, width, rows, head_rows=3)


def table_four_grid(table: TableFour) -> "Grid":
    group_width = len(TABLE_FOUR_RESULT_COLUMNS)
    review, direct, after = TABLE_FOUR_GROUPS
    # As the sample prints it: 行政复议 over its five names, each merged down over rows 2-3;
    # 行政诉讼 over 未经复议直接起诉 and 复议后起诉, each over its five names on row 3.
    rows = [
        [
            Cell(review.label, colspan=group_width, kind="head"),
            Cell(LAWSUIT_HEADER, colspan=2 * group_width, kind="head"),
        ],
        [
            *(Cell(c.label, rowspan=2, kind="head") for c in TABLE_FOUR_RESULT_COLUMNS),
            Cell(direct.label, colspan=group_width, kind="head"),
            Cell(after.label, colspan=group_width, kind="head"),
        ],
        [Cell(c.label, kind="head") for _ in (direct, after) for c in TABLE_FOUR_RESULT_COLUMNS],
        [
            Cell(value=table.values[g.code][c.code], kind="number")
            for g in TABLE_FOUR_GROUPS
            for c in TABLE_FOUR_RESULT_COLUMNS
        ],
    ]
    return _place(TABLE_FOUR_TITLE, group_width * len(TABLE_FOUR_GROUPS), rows, head_rows=3)


def report_grids(report: AnnualReport) -> list["Grid"]:
    """The three tables of a report, in the official order, ready to draw."""
    return [
        table_two_grid(report.table_two),
        table_three_grid(report.table_three),
        table_four_grid(report.table_four),
    ]
