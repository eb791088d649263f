"""Computing tables 二, 三 and 四 of the annual report from the ledger.

Implements docs/report-format.md §Table 二 主动公开政府信息情况 to §Table 四 政府信息公开行政复议、行政诉讼情况.

Every computing function takes `organizations`, which may be one Organization, a queryset
of organizations, or an iterable of organizations or their ids: a district rollup passes
all its offices at once and gets their sum. There is one query path per table, grouped by
office; one office is the same path with one id. Which records count where is
reports.figures.counting. Each table costs a fixed number of queries whatever the size of
the ledger. The definitions (reports.figures.definitions) and the report's data classes
(reports.figures.report) are re-exported here for the callers that read them as tables.X.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import TypeAlias

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum

from applications.choices import CaseResult
from applications.models import AdministrativeReview, Application, Lawsuit, Organization
from lib.display import SECTION_TITLES  # noqa: F401 (re-exported)

from ..models import AnnualFigures, DocumentKind, NormativeDocument, ReportNarrative
from . import counting
from .counting import year_bounds
from .definitions import (  # noqa: F401 (re-exported)
    APPLICANT_COLUMNS,
    APPLICANTS_HEADER,
    CARRIED_IN,
    CARRIED_OUT,
    FEE_AMOUNT_HEADER,
    FEE_PLACES,
    LAWSUIT_AFTER_REVIEW,
    LAWSUIT_DIRECT,
    LAWSUIT_HEADER,
    NEW,
    ORGANIZATIONS_HEADER,
    OUTCOME_CODES,
    PENDING,
    RESULTS_LABEL,
    REVIEW,
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
    YUAN_PLACES,
    Column,
    Row,
    TableTwoBlock,
    format_wan,
    paragraphs,
)
from .report import (  # noqa: F401 (re-exported)
    AnnualReport,
    FeeSummary,
    TableFour,
    TableThree,
    TableTwo,
    _add_into,
    empty_report,
    empty_table_four,
    empty_table_three,
    sum_reports,
)

# One office, its id, a queryset of offices, or an iterable of offices or their ids.
Offices: TypeAlias = Organization | int | QuerySet | Iterable[Organization | int]


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
            _add_into(report.table_two.values, table.values)
        elif isinstance(table, TableThree):
            _add_into(report.table_three.values, table.values)
        elif isinstance(table, TableFour):
            _add_into(report.table_four.values, table.values)
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


# The counted rows of table 三, in the order the grouped query returns their counts.
COUNTED_ROWS = (NEW, CARRIED_IN, CARRIED_OUT, *OUTCOME_CODES)


def _table_three_rows(organizations, year):
    """(office id, applicant type, *counts in COUNTED_ROWS order) per office and type."""
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
        .values("organization_id", "applicant_type")
        .order_by("organization_id", "applicant_type")
        .annotate(**annotations)
        .values_list("organization_id", "applicant_type", *annotations)
    )


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


def _counted(rows: QuerySet) -> list[tuple]:
    """The rows of a values_list() of counts as the database returns them. Django would pass
    every value through a converter that changes nothing in a count: 144,000 calls for the
    table 三 of a thousand offices, a tenth of the rollup's time."""
    try:
        sql, params = rows.query.get_compiler(rows.db).as_sql()
    except EmptyResultSet:  # no office at all
        return []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def table_three_by_office(office_ids: list[int], year: int) -> dict[int, TableThree]:
    """Table 三 of each office, {office id: TableThree}, in one query grouped by office."""
    values = {pk: empty_table_three().values for pk in office_ids}
    for office, applicant, *counts in _counted(_table_three_rows(office_ids, year)):
        office_values = values[office]
        for code, count in zip(COUNTED_ROWS, counts, strict=True):
            office_values[code][applicant] += count
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
    values = {pk: empty_table_four().values for pk in office_ids}
    reviews = (
        # A case keeps its application's office (Case.organization): a district's cases
        # are found without its million applications (docs/performance.md).
        _in_year(AdministrativeReview.objects.filter(organization__in=office_ids), year)
        .values("organization_id")
        .order_by("organization_id")
        .annotate(**_result_counts(year))
    )
    for row in reviews:
        _add_cases(values[row["organization_id"]], REVIEW, row)
    lawsuits = (
        _in_year(Lawsuit.objects.filter(organization__in=office_ids), year)
        .values("organization_id", "after_review")
        .order_by("organization_id", "after_review")
        .annotate(**_result_counts(year))
    )
    for row in lawsuits:
        _add_cases(
            values[row["organization_id"]],
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
        AdministrativeReview.objects.filter(organization__in=scope, filed_on__lte=end),
        Lawsuit.objects.filter(organization__in=scope, filed_on__lte=end),
        NormativeDocument.objects.filter(organization__in=scope, issued_on__lte=end),
        AnnualFigures.objects.filter(organization__in=scope, year__lte=year),
        ReportNarrative.objects.filter(organization__in=scope, year__lte=year),
    )
    return any(queryset.exists() for queryset in candidates)
