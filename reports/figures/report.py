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


def _add_values(first, second):
    return {
        row: {column: first[row][column] + second[row][column] for column in columns}
        for row, columns in first.items()
    }


def empty_report(year: int) -> "AnnualReport":
    """A report of zeros: the sum of no offices."""
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
    return AnnualReport(year, TableTwo(two), TableThree(three), TableFour(four), FeeSummary())


def sum_reports(reports: Iterable["AnnualReport"], year: int | None = None) -> "AnnualReport":
    """The sum of several offices' reports for the same year (e.g. signed-off versions);
    zeros for no report at all (then `year` says which year)."""
    reports = list(reports)
    if not reports:
        if year is None:
            raise ValueError("sum_reports() of no reports needs the year")
        return empty_report(year)
    total = reports[0]
    for report in reports[1:]:
        total = AnnualReport(
            year=total.year,
            table_two=TableTwo(_add_values(total.table_two.values, report.table_two.values)),
            table_three=TableThree(
                _add_values(total.table_three.values, report.table_three.values)
            ),
            table_four=TableFour(_add_values(total.table_four.values, report.table_four.values)),
            fees=FeeSummary(
                total.fees.count + report.fees.count, total.fees.total_yuan + report.fees.total_yuan
            ),
        )
    return total
