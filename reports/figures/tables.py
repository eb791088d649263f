"""Tables 二, 三 and 四 of the annual report: their definitions, computation and layout.

Everything that prints a table (the page, the Excel workbook, the JSON export, sign-off)
uses the definitions in this module, so labels, order and codes exist exactly once. Labels
are verbatim from shared/annual-report-format.md; the outcome rows of table 三 come from
applications.choices.

Every computing function takes `organizations`, which may be one Organization, a queryset
of organizations, or an iterable of organizations or their ids: a district rollup passes
all its offices at once and gets their sum. Each table costs a fixed number of queries
whatever the size of the ledger.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeAlias

from django.db.models import Count, Q, QuerySet, Sum

from applications.choices import (
    OUTCOME_GROUPS,
    ApplicantType,
    CaseResult,
    Outcome,
    outcome_row_label,
)
from applications.models import AdministrativeReview, Application, Lawsuit, Organization
from lib.display import SECTION_FOUR, SECTION_THREE, SECTION_TITLES, SECTION_TWO  # noqa: F401 (SECTION_TITLES re-exported)

from ..models import AnnualFigures, DocumentKind, NormativeDocument, ReportNarrative
from . import counting
from .counting import year_bounds

# One office, its id, a queryset of offices, or an iterable of offices or their ids.
Offices: TypeAlias = Organization | int | QuerySet | Iterable[Organization | int]

FEE_PLACES = Decimal("0.0001")
YUAN_PLACES = Decimal("0.01")


# --- Definitions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    code: str
    label: str


@dataclass(frozen=True)
class Row:
    code: str
    label: str


@dataclass(frozen=True)
class TableTwoBlock:
    """One of the four blocks of table 二: its header, value columns and rows."""

    header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    money: bool = False


TABLE_TWO_TITLE = SECTION_TWO
FEE_AMOUNT_HEADER = "本年收费金额（单位：万元，保留4位小数）"
TABLE_TWO_CONTENT_LABEL = "信息内容"
TABLE_TWO_BLOCKS = (
    TableTwoBlock(
        "第二十条第（一）项",
        (
            Column("issued", "本年制发件数"),
            Column("abolished", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        tuple(Row(kind.value, kind.label) for kind in DocumentKind),
    ),
    TableTwoBlock(
        "第二十条第（五）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row("licensing", "行政许可"),),
    ),
    TableTwoBlock(
        "第二十条第（六）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
    ),
    TableTwoBlock(
        "第二十条第（八）项",
        (Column("amount_wan", FEE_AMOUNT_HEADER),),
        (Row("fees", "行政事业性收费"),),
        money=True,
    ),
)

TABLE_THREE_TITLE = SECTION_THREE
TABLE_THREE_CAPTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS_HEADER = "申请人情况"
ORGANIZATIONS_HEADER = "法人或其他组织"
TOTAL = "total"
APPLICANT_COLUMNS = tuple(Column(kind.value, kind.label) for kind in ApplicantType)
TABLE_THREE_COLUMNS = (*APPLICANT_COLUMNS, Column(TOTAL, "总计"))

NEW, CARRIED_IN, CARRIED_OUT = "new", "carried_in", "carried_out"
RESULTS_LABEL = "三、本年度办理结果"
TABLE_THREE_ROWS = (
    Row(NEW, "一、本年新收政府信息公开申请数量"),
    Row(CARRIED_IN, "二、上年结转政府信息公开申请数量"),
    *(
        Row(outcome.value, outcome_row_label(outcome))
        for group in OUTCOME_GROUPS
        for outcome in group.outcomes
    ),
    Row(TOTAL, "（七）总计"),
    Row(CARRIED_OUT, "四、结转下年度继续办理"),
)
OUTCOME_CODES = tuple(outcome.value for outcome in Outcome)

TABLE_FOUR_TITLE = SECTION_FOUR
LAWSUIT_HEADER = "行政诉讼"
PENDING = "pending"
TABLE_FOUR_RESULT_COLUMNS = (
    Column(CaseResult.UPHELD.value, "结果维持"),
    Column(CaseResult.CORRECTED.value, "结果纠正"),
    Column(CaseResult.OTHER.value, "其他结果"),
    Column(PENDING, "尚未审结"),
    Column(TOTAL, "总计"),
)
REVIEW, LAWSUIT_DIRECT, LAWSUIT_AFTER_REVIEW = "review", "lawsuit_direct", "lawsuit_after_review"
TABLE_FOUR_GROUPS = (
    Column(REVIEW, "行政复议"),
    Column(LAWSUIT_DIRECT, "未经复议直接起诉"),
    Column(LAWSUIT_AFTER_REVIEW, "复议后起诉"),
)


def paragraphs(text: str | None) -> list[str]:
    """Narrative text as paragraphs: every non-blank line is one (each is indented when printed)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


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


def format_wan(amount: Decimal | int | str) -> str:
    """万元 with exactly four decimals, as the format requires."""
    return f"{Decimal(amount).quantize(FEE_PLACES)}"


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


# --- Computation -------------------------------------------------------------------------


def organization_scope(organizations: Offices) -> list[int] | QuerySet:
    """What to pass to `organization__in`: one office, a queryset of offices, or ids."""
    if isinstance(organizations, Organization):
        return [organizations.pk]
    if isinstance(organizations, int):
        return [organizations]
    if isinstance(organizations, QuerySet):
        return organizations.values("pk")
    return [item.pk if isinstance(item, Organization) else int(item) for item in organizations]


def office_ids(organizations: Offices) -> list[int]:
    """The ids of one office or of several, as a list (a queryset costs one query)."""
    scope = organization_scope(organizations)
    return scope if isinstance(scope, list) else [row["pk"] for row in scope]


def _summed(tables, year):
    """Tables of one kind from several offices, summed into a report of zeros otherwise."""
    report = empty_report(year)
    for table in tables:
        if isinstance(table, TableTwo):
            report.table_two = TableTwo(_add_values(report.table_two.values, table.values))
        elif isinstance(table, TableThree):
            report.table_three = TableThree(_add_values(report.table_three.values, table.values))
        elif isinstance(table, TableFour):
            report.table_four = TableFour(_add_values(report.table_four.values, table.values))
        else:
            report.fees = FeeSummary(
                report.fees.count + table.count, report.fees.total_yuan + table.total_yuan
            )
    return report


def _document_rows(organizations, year, group):
    return (
        NormativeDocument.objects.filter(organization__in=organization_scope(organizations))
        .values(*group, "kind")
        .order_by(*group, "kind")
        .annotate(
            issued=Count("pk", filter=counting.issued_in(year)),
            abolished=Count("pk", filter=counting.abolished_in(year)),
            in_force=Count("pk", filter=counting.in_force_at_end(year)),
        )
    )


def _empty_document_counts():
    return {kind.value: {"issued": 0, "abolished": 0, "in_force": 0} for kind in DocumentKind}


def _document_counts_from(counts, row):
    counts[row["kind"]] = {
        "issued": row["issued"],
        "abolished": row["abolished"],
        "in_force": row["in_force"],
    }


FIGURES_SUMS = {
    "licensing": Sum("licensing_decisions"),
    "penalty": Sum("penalty_decisions"),
    "coercion": Sum("coercion_decisions"),
    "fees": Sum("fee_amount_wan"),
}


def _table_two_from(values, totals):
    for code in ("licensing", "penalty", "coercion"):
        values[code] = {"decisions": totals.get(code) or 0}
    values["fees"] = {"amount_wan": Decimal(totals.get("fees") or 0).quantize(FEE_PLACES)}
    return TableTwo(values)


def table_two(organizations: Offices, year: int) -> TableTwo:
    """Table 二 of one office, or the sum of several: the grouped path, summed."""
    return _summed(table_two_by_office(office_ids(organizations), year).values(), year).table_two


def table_two_by_office(office_ids: list[int], year: int) -> dict[int, TableTwo]:
    """Table 二 of each office, {office id: TableTwo}, in two queries whatever the number of offices."""
    counts = {pk: _empty_document_counts() for pk in office_ids}
    for row in _document_rows(office_ids, year, ("organization_id",)):
        _document_counts_from(counts[row["organization_id"]], row)
    totals = {
        row["organization_id"]: row
        for row in AnnualFigures.objects.filter(organization__in=office_ids, year=year)
        .values("organization_id")
        .order_by("organization_id")
        .annotate(**FIGURES_SUMS)
    }
    return {pk: _table_two_from(counts[pk], totals.get(pk, {})) for pk in office_ids}


def _outcome_alias(code):
    return "outcome_" + code.replace(".", "_")


def _table_three_rows(organizations, year, group):
    answered = counting.answered_in(year)
    annotations = {
        NEW: Count("pk", filter=counting.received_in(year)),
        CARRIED_IN: Count("pk", filter=counting.carried_in(year)),
        CARRIED_OUT: Count("pk", filter=counting.carried_out(year)),
    }
    for code in OUTCOME_CODES:
        annotations[_outcome_alias(code)] = Count("pk", filter=answered & Q(outcome=code))
    return (
        Application.objects.filter(organization__in=organization_scope(organizations))
        .filter(counting.application_counted_in(year))
        .values(*group, "applicant_type")
        .order_by(*group, "applicant_type")
        .annotate(**annotations)
    )


def _empty_table_three():
    return {
        row.code: {column.code: 0 for column in TABLE_THREE_COLUMNS} for row in TABLE_THREE_ROWS
    }


def _add_table_three_row(values, row):
    applicant = row["applicant_type"]
    for code in (NEW, CARRIED_IN, CARRIED_OUT):
        values[code][applicant] += row[code]
    for code in OUTCOME_CODES:
        values[code][applicant] += row[_outcome_alias(code)]


def _table_three_totals(values):
    for code in OUTCOME_CODES:
        for column in APPLICANT_COLUMNS:
            values[TOTAL][column.code] += values[code][column.code]
    for columns in values.values():
        columns[TOTAL] = sum(columns[column.code] for column in APPLICANT_COLUMNS)
    return TableThree(values)


def table_three(organizations: Offices, year: int) -> TableThree:
    """Table 三 of one office, or the sum of several: the grouped path, summed.

    new: received in the year; carried in: received before 1 Jan and not answered before
    1 Jan; outcomes: answered in the year, by outcome; carried out: received by 31 Dec and
    not answered by 31 Dec (reports.figures.counting).
    """
    return _summed(
        table_three_by_office(office_ids(organizations), year).values(), year
    ).table_three


def table_three_by_office(office_ids: list[int], year: int) -> dict[int, TableThree]:
    """Table 三 of each office, {office id: TableThree}, in one query grouped by office."""
    values = {pk: _empty_table_three() for pk in office_ids}
    for row in _table_three_rows(office_ids, year, ("organization_id",)):
        _add_table_three_row(values[row["organization_id"]], row)
    return {pk: _table_three_totals(office_values) for pk, office_values in values.items()}


def _in_year(queryset, year):
    """Cases that count in the year: filed by 31 Dec and not concluded before 1 Jan."""
    return queryset.filter(counting.case_counted_in(year))


def _result_counts(year):
    """Count(filter=...) per column of a group of table 四, for aggregate() or annotate()."""
    concluded = counting.case_concluded_by(year)
    return {
        CaseResult.UPHELD.value: Count("pk", filter=concluded & Q(result=CaseResult.UPHELD)),
        CaseResult.CORRECTED.value: Count("pk", filter=concluded & Q(result=CaseResult.CORRECTED)),
        CaseResult.OTHER.value: Count("pk", filter=concluded & Q(result=CaseResult.OTHER)),
        PENDING: Count("pk", filter=counting.case_pending_at(year)),
    }


RESULT_CODES = tuple(column.code for column in TABLE_FOUR_RESULT_COLUMNS if column.code != TOTAL)


def _empty_table_four():
    return {
        group.code: {column.code: 0 for column in TABLE_FOUR_RESULT_COLUMNS}
        for group in TABLE_FOUR_GROUPS
    }


def _table_four_totals(values):
    for columns in values.values():
        columns[TOTAL] = sum(columns[code] for code in RESULT_CODES)
    return TableFour(values)


def _add_cases(values, group, row):
    for code in RESULT_CODES:
        values[group][code] += row[code]


def table_four(organizations: Offices, year: int) -> TableFour:
    """Table 四 of one office, or the sum of several: the grouped path, summed.

    A case counts if filed in the year or filed earlier and still open on 1 Jan; it shows its
    result if concluded by 31 Dec, otherwise 尚未审结. A lawsuit after a review goes under
    复议后起诉 (and its review under 行政复议).
    """
    return _summed(table_four_by_office(office_ids(organizations), year).values(), year).table_four


def table_four_by_office(office_ids: list[int], year: int) -> dict[int, TableFour]:
    """Table 四 of each office, {office id: TableFour}, in two queries grouped by office."""
    values = {pk: _empty_table_four() for pk in office_ids}
    office = "application__organization_id"
    reviews = (
        _in_year(
            AdministrativeReview.objects.filter(application__organization__in=office_ids), year
        )
        .values(office)
        .order_by(office)
        .annotate(**_result_counts(year))
    )
    for row in reviews:
        _add_cases(values[row[office]], REVIEW, row)
    lawsuits = (
        _in_year(Lawsuit.objects.filter(application__organization__in=office_ids), year)
        .values(office, "after_review")
        .order_by(office, "after_review")
        .annotate(**_result_counts(year))
    )
    for row in lawsuits:
        _add_cases(
            values[row[office]],
            LAWSUIT_AFTER_REVIEW if row["after_review"] else LAWSUIT_DIRECT,
            row,
        )
    return {pk: _table_four_totals(office_values) for pk, office_values in values.items()}


def _fee_rows(organizations, year):
    return Application.objects.filter(
        counting.answered_in(year),
        organization__in=organization_scope(organizations),
        fee_yuan__gt=0,
    )


def fees_charged(organizations: Offices, year: int) -> FeeSummary:
    """Applications answered in the year with an information-processing fee recorded, and
    the total in 元 (one query). The ledger has no separate date of payment, so the year of
    the answer decides."""
    return _summed(fees_by_office(office_ids(organizations), year).values(), year).fees


def fees_by_office(office_ids: list[int], year: int) -> dict[int, FeeSummary]:
    """FeeSummary of each office, {office id: FeeSummary}, in one query."""
    rows = {
        row["organization_id"]: row
        for row in _fee_rows(office_ids, year)
        .values("organization_id")
        .order_by("organization_id")
        .annotate(count=Count("pk"), total=Sum("fee_yuan"))
    }
    return {
        pk: FeeSummary(rows[pk]["count"], Decimal(rows[pk]["total"] or 0).quantize(YUAN_PLACES))
        if pk in rows
        else FeeSummary()
        for pk in office_ids
    }


def annual_report(organizations: Offices, year: int) -> AnnualReport:
    """All the figures of the year's report for one office, or the sum of several (six
    queries whatever the size of the ledger): the grouped path, summed."""
    return sum_reports(annual_reports_by_office(office_ids(organizations), year).values(), year)


def annual_reports_by_office(office_ids: Iterable[int], year: int) -> dict[int, AnnualReport]:
    """Each office's own report, {office id: AnnualReport}, in six queries however many
    offices: the same counts as annual_report(), grouped by office in the database."""
    office_ids = list(office_ids)
    two = table_two_by_office(office_ids, year)
    three = table_three_by_office(office_ids, year)
    four = table_four_by_office(office_ids, year)
    fees = fees_by_office(office_ids, year)
    return {pk: AnnualReport(year, two[pk], three[pk], four[pk], fees[pk]) for pk in office_ids}


def is_empty(report: AnnualReport) -> bool:
    """Whether every figure of the report is zero (nothing to report)."""
    return (
        not any(
            value
            for table in (report.table_two, report.table_three, report.table_four)
            for row in table.values.values()
            for value in row.values()
        )
        and not report.fees.count
    )


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


def has_data_up_to(organizations: Offices, year: int) -> bool:
    """Whether anything in the ledger or the report inputs is dated in the year or before.

    A year before the office's first record would be a report of zeros that nobody meant
    to make (usually a mistyped year); a year with no activity after records began is a
    real report of zeros. At most six small queries.
    """
    scope = organization_scope(organizations)
    end = year_bounds(year)[1]
    candidates = (
        Application.objects.filter(organization__in=scope, received_on__lte=end),
        AdministrativeReview.objects.filter(application__organization__in=scope, filed_on__lte=end),
        Lawsuit.objects.filter(application__organization__in=scope, filed_on__lte=end),
        NormativeDocument.objects.filter(organization__in=scope, issued_on__lte=end),
        AnnualFigures.objects.filter(organization__in=scope, year__lte=year),
        ReportNarrative.objects.filter(organization__in=scope, year__lte=year),
    )
    return any(queryset.exists() for queryset in candidates)
