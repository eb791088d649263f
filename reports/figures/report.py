"""The figures of one year's report (tables 二, 三, 四 and the fees), for one office or the
sum of several: plain data, JSON in and out, sums."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .definitions import (
    TABLE_FOUR_GROUPS,
    TABLE_FOUR_RESULT_COLUMNS,
    TABLE_THREE_COLUMNS,
    TABLE_THREE_ROWS,
    TABLE_TWO_BLOCKS,
    YUAN_PLACES,
    format_wan,
)

# --- Data --------------------------------------------------------------------------------


@dataclass
class TableTwo:
    """values[row code][column code]: ints, and a Decimal in 万元 for the fees row."""

    values: dict[str, dict[str, Any]]

    def as_json(self) -> dict:
        return {
            row: {
                column: (format_wan(value) if isinstance(value, Decimal) else value)
                for column, value in columns.items()
            }
            for row, columns in self.values.items()
        }

    @classmethod
    def from_json(cls, data: dict):
        values = {}
        for block in TABLE_TWO_BLOCKS:
            for row in block.rows:
                values[row.code] = {
                    column.code: (
                        Decimal(data[row.code][column.code])
                        if block.money
                        else int(data[row.code][column.code])
                    )
                    for column in block.columns
                }
        return cls(values)


@dataclass
class TableThree:
    """values[row code][column code] -> int; row codes are 'new', 'carried_in', the outcome
    codes '1' … '6.3', 'total' and 'carried_out'; column codes the applicant types and 'total'."""

    values: dict

    def cell(self, row: str, column: str) -> int:
        return self.values[row][column]

    def as_json(self) -> dict:
        return {row: dict(columns) for row, columns in self.values.items()}

    @classmethod
    def from_json(cls, data: dict):
        return cls(
            {
                row.code: {
                    column.code: int(data[row.code][column.code]) for column in TABLE_THREE_COLUMNS
                }
                for row in TABLE_THREE_ROWS
            }
        )


@dataclass
class TableFour:
    """values[group code][column code] -> int; groups 'review', 'lawsuit_direct', 'lawsuit_after_review'."""

    values: dict[str, dict[str, Any]]

    def as_json(self) -> dict:
        return {group: dict(columns) for group, columns in self.values.items()}

    @classmethod
    def from_json(cls, data: dict):
        return cls(
            {
                group.code: {
                    column.code: int(data[group.code][column.code])
                    for column in TABLE_FOUR_RESULT_COLUMNS
                }
                for group in TABLE_FOUR_GROUPS
            }
        )


@dataclass
class FeeSummary:
    """Information-processing fees (信息处理费) for section 六: applications answered in the
    year with a fee recorded, and the total in 元."""

    count: int = 0
    total_yuan: Decimal = Decimal("0.00")

    def as_json(self) -> dict:
        return {"count": self.count, "total_yuan": f"{self.total_yuan.quantize(YUAN_PLACES)}"}

    @classmethod
    def from_json(cls, data: dict):
        return cls(int(data["count"]), Decimal(data["total_yuan"]))

    @property
    def sentence(self) -> str:
        if not self.count:
            return "本年度未收取信息处理费。"
        return f"本年度共对{self.count}件政府信息公开申请收取信息处理费，合计{self.total_yuan.quantize(YUAN_PLACES)}元。"


@dataclass
class AnnualReport:
    """The figures of one year's report, for one office or the sum of several."""

    year: int
    table_two: TableTwo
    table_three: TableThree
    table_four: TableFour
    fees: FeeSummary = field(default_factory=FeeSummary)

    def as_json(self) -> dict:
        """Plain data, with outcome codes as keys; money as strings so it is never a float."""
        return {
            "year": self.year,
            "table_two": self.table_two.as_json(),
            "table_three": self.table_three.as_json(),
            "table_four": self.table_four.as_json(),
            "fees": self.fees.as_json(),
        }

    @classmethod
    def from_json(cls, data: dict):
        return cls(
            year=int(data["year"]),
            table_two=TableTwo.from_json(data["table_two"]),
            table_three=TableThree.from_json(data["table_three"]),
            table_four=TableFour.from_json(data["table_four"]),
            fees=FeeSummary.from_json(data["fees"]),
        )


def _zeros() -> tuple[dict, dict, dict]:
    two = {
        row.code: {
            column.code: (Decimal("0.0000") if block.money else 0) for column in block.columns
        }
        for block in TABLE_TWO_BLOCKS
        for row in block.rows
    }
    three = {
        row.code: {column.code: 0 for column in TABLE_THREE_COLUMNS} for row in TABLE_THREE_ROWS
    }
    four = {
        group.code: {column.code: 0 for column in TABLE_FOUR_RESULT_COLUMNS}
        for group in TABLE_FOUR_GROUPS
    }
    return two, three, four


# Copied, never handed out: a rollup makes a few thousand empty reports.
_ZEROS = _zeros()


def _copied(values: dict) -> dict:
    return {row: dict(columns) for row, columns in values.items()}


def empty_table_three() -> TableThree:
    return TableThree(_copied(_ZEROS[1]))


def empty_table_four() -> TableFour:
    return TableFour(_copied(_ZEROS[2]))


def empty_report(year: int) -> "AnnualReport":
    """A report of zeros: the sum of no offices."""
    return AnnualReport(
        year, TableTwo(_copied(_ZEROS[0])), empty_table_three(), empty_table_four(), FeeSummary()
    )


def _add_into(total: dict, values: dict) -> None:
    for row, columns in total.items():
        other = values[row]
        for column in columns:
            columns[column] += other[column]


def sum_reports(reports: Iterable["AnnualReport"], year: int | None = None) -> "AnnualReport":
    """The sum of several offices' reports for the same year (e.g. signed-off versions);
    zeros for no report at all (then `year` says which year)."""
    reports = list(reports)
    if not reports:
        if year is None:
            raise ValueError("sum_reports() of no reports needs the year")
        return empty_report(year)
    if len(reports) == 1:
        return reports[0]
    first = reports[0]
    two, three, four = (
        _copied(first.table_two.values),
        _copied(first.table_three.values),
        _copied(first.table_four.values),
    )
    count, total_yuan = first.fees.count, first.fees.total_yuan
    for report in reports[1:]:
        _add_into(two, report.table_two.values)
        _add_into(three, report.table_three.values)
        _add_into(four, report.table_four.values)
        count, total_yuan = count + report.fees.count, total_yuan + report.fees.total_yuan
    return AnnualReport(
        first.year, TableTwo(two), TableThree(three), TableFour(four), FeeSummary(count, total_yuan)
    )
