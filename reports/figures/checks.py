"""Checks on a year's report: the balances of the official format, the link with last
year's report, and warnings about ledger records that explain a figure.

`check_report()` is pure: it takes the figures and what was gathered from the ledger and
returns CheckResult objects. `report_checks()` gathers those inputs (a fixed number of
queries) and calls it.

Implements docs/report-format.md §Counting rules for table 三 (the checks).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from applications.deadlines import deadline_for
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit
from lib.display import chinese_date
from workdays.calendar import WorkdayCalendar

from ..models import DocumentKind, ReportSignOff
from . import tables
from .standing import SIGNED, SUBMITTED, Standing, standing_reports
from .tables import (
    APPLICANT_COLUMNS,
    CARRIED_IN,
    CARRIED_OUT,
    NEW,
    OUTCOME_CODES,
    TABLE_FOUR_GROUPS,
    TABLE_FOUR_RESULT_COLUMNS,
    TABLE_THREE_COLUMNS,
    TABLE_THREE_ROWS,
    TOTAL,
)

PASS, FAIL, WARNING = "pass", "fail", "warning"
STATUS_LABELS = {PASS: "通过", FAIL: "不通过", WARNING: "提示"}
MAX_LISTED = 100  # records named per warning; beyond that the ledger's own filters are the tool


@dataclass
class CheckResult:
    """One check. For the balance checks, `cells[i]` lists the figures that the i-th detail
    compares, as [table, row code, column code] (table "three" or "four"), so that a reader
    of a workbook can name the exact cells that disagree."""

    code: str
    title: str
    status: str
    explanation: str
    details: list[str] = field(default_factory=list)
    cells: list[list[list[str]]] = field(default_factory=list)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def passed(self):
        return self.status == PASS

    def as_json(self):
        return asdict(self)

    @classmethod
    def from_json(cls, data):
        return cls(**data)


@dataclass
class PreviousYear:
    """Last year's figures to compare with: as signed off where there is a sign-off."""

    year: int
    report: tables.AnnualReport
    signed_off: bool
    source: str


# --- Pure checks -------------------------------------------------------------------------


def _table_three_balance(three) -> CheckResult:
    """一 + 二 = （七）总计 + 四 in each of the seven columns."""
    failures, cells = [], []
    for column in TABLE_THREE_COLUMNS:
        left = three[NEW][column.code] + three[CARRIED_IN][column.code]
        right = three[TOTAL][column.code] + three[CARRIED_OUT][column.code]
        if left != right:
            cells.append(
                [["three", code, column.code] for code in (NEW, CARRIED_IN, TOTAL, CARRIED_OUT)]
            )
            failures.append(
                f"{column.label}：一 {three[NEW][column.code]} + 二 {three[CARRIED_IN][column.code]} = {left}，"
                f"（七）总计 {three[TOTAL][column.code]} + 四 {three[CARRIED_OUT][column.code]} = {right}"
            )
    return CheckResult(
        "table_three_balance",
        "表三勾稽关系：每一列 一 + 二 = （七）总计 + 四",
        FAIL if failures else PASS,
        "本年新收加上年结转，应等于本年办理完毕的（七）总计加结转下年度继续办理。"
        + (
            "以下各列不相等，请核对这些列中申请的收到日期和答复日期。"
            if failures
            else "七列均相等。"
        ),
        failures,
        cells,
    )


def _table_three_results_total(three) -> CheckResult:
    """（七）总计 = the sum of the outcomes (一)…(六), per column."""
    failures, cells = [], []
    for column in TABLE_THREE_COLUMNS:
        outcomes = sum(three[code][column.code] for code in OUTCOME_CODES)
        if outcomes != three[TOTAL][column.code]:
            cells.append([["three", TOTAL, column.code]])
            failures.append(
                f"{column.label}：各项办理结果之和 {outcomes}，（七）总计 {three[TOTAL][column.code]}"
            )
    return CheckResult(
        "table_three_results_total",
        "表三（七）总计等于（一）至（六）各项之和",
        FAIL if failures else PASS,
        "（七）总计应等于本年度各项办理结果之和。"
        + ("以下各列不相等。" if failures else "各列均相等。"),
        failures,
        cells,
    )


def _table_three_applicant_total(three) -> CheckResult:
    """总计 = the sum of the six applicant columns, per row."""
    failures, cells = [], []
    for row in TABLE_THREE_ROWS:
        applicants = sum(three[row.code][column.code] for column in APPLICANT_COLUMNS)
        if applicants != three[row.code][TOTAL]:
            cells.append([["three", row.code, TOTAL]])
            failures.append(
                f"{row.label}：六类申请人之和 {applicants}，总计 {three[row.code][TOTAL]}"
            )
    return CheckResult(
        "table_three_applicant_total",
        "表三总计列等于六类申请人之和",
        FAIL if failures else PASS,
        "每一行的总计应等于自然人和五类法人或其他组织之和。"
        + ("以下各行不相等。" if failures else "各行均相等。"),
        failures,
        cells,
    )


def _table_four_totals(four) -> CheckResult:
    """Each table-四 group's 总计 = its four parts."""
    failures, cells = [], []
    for group in TABLE_FOUR_GROUPS:
        parts = [column for column in TABLE_FOUR_RESULT_COLUMNS if column.code != TOTAL]
        subtotal = sum(four[group.code][column.code] for column in parts)
        if subtotal != four[group.code][TOTAL]:
            cells.append(
                [["four", group.code, column.code] for column in TABLE_FOUR_RESULT_COLUMNS]
            )
            figures = " + ".join(
                f"{column.label} {four[group.code][column.code]}" for column in parts
            )
            failures.append(
                f"{group.label}：{figures} = {subtotal}，总计 {four[group.code][TOTAL]}"
            )
    return CheckResult(
        "table_four_totals",
        "表四各组总计等于结果维持、结果纠正、其他结果、尚未审结之和",
        FAIL if failures else PASS,
        "行政复议、未经复议直接起诉、复议后起诉三组，各组总计应等于本组四列之和。"
        + ("以下各组不相等。" if failures else "三组均相等。"),
        failures,
        cells,
    )


def balance_checks(report: tables.AnnualReport) -> list[CheckResult]:
    """The balances every report must satisfy, on its own figures."""
    three = report.table_three.values
    return [
        _table_three_balance(three),
        _table_three_results_total(three),
        _table_three_applicant_total(three),
        _table_four_totals(report.table_four.values),
    ]


def in_force_check(report: tables.AnnualReport, previous: PreviousYear) -> CheckResult:
    """现行有效 = last year's 现行有效 + 本年制发 − 本年废止, per document kind."""
    failures = []
    for kind in DocumentKind:
        now = report.table_two.values[kind.value]
        before = previous.report.table_two.values[kind.value]["in_force"]
        expected = before + now["issued"] - now["abolished"]
        if expected != now["in_force"]:
            failures.append(
                f"{kind.label}：上年现行有效 {before} + 本年制发 {now['issued']} − 本年废止 {now['abolished']} = {expected}，"
                f"本年现行有效 {now['in_force']}"
            )
    return CheckResult(
        "table_two_in_force",
        "表二现行有效件数 = 上年现行有效 + 本年制发 − 本年废止",
        FAIL if failures else PASS,
        f"{previous.source}"
        + (
            "以下类别对不上，可能是定稿后修改了以前年度文件的制发或废止日期，请在“规章和行政规范性文件”中核对。"
            if failures
            else "规章和行政规范性文件均相符。"
        ),
        failures,
    )


def cross_year_check(report: tables.AnnualReport, previous: PreviousYear) -> CheckResult:
    """This year's 二、上年结转 equals last year's 四、结转下年度继续办理, column by column."""
    failures = []
    for column in TABLE_THREE_COLUMNS:
        carried_in = report.table_three.values[CARRIED_IN][column.code]
        carried_out = previous.report.table_three.values[CARRIED_OUT][column.code]
        if carried_in != carried_out:
            failures.append(
                f"{column.label}：本年“二、上年结转” {carried_in}，{previous.year}年“四、结转下年度继续办理” {carried_out}"
            )
    return CheckResult(
        "cross_year",
        f"跨年度衔接：本年“二、上年结转”等于{previous.year}年“四、结转下年度继续办理”",
        FAIL if failures else PASS,
        f"{previous.source}"
        + (
            "以下各列不相等，说明上年定稿后台账中有申请的收到日期、答复日期或申请人类型被修改，请核对后说明或重新为上年定稿。"
            if failures
            else "七列均相等。"
        ),
        failures,
    )


def _listed(items, describe, rest):
    """describe(item) for the first MAX_LISTED items, then how many more there are; none
    when only the number of records was gathered (an int)."""
    if isinstance(items, int):
        return []
    details = [describe(item) for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        details.append(f"……另有{len(items) - MAX_LISTED}{rest}")
    return details


def _overdue_detail(pair):
    application, deadline = pair
    return (
        f"{application.number}（{application.applicant_name}，{chinese_date(application.received_on)}收到，"
        f"应于{chinese_date(deadline)}前答复）"
    )


def _open_case_detail(case):
    return f"{case.number}的{case.kind}（{chinese_date(case.filed_on)}立案，至今尚未审结）"


def _how_many(items: Sequence | int) -> tuple[int, str]:
    """How many records a warning is about, and the words that introduce them."""
    if isinstance(items, int):
        return items, "有"
    return len(items), "以下"


def warning_checks(
    overdue: Sequence | int, open_cases: Sequence | int, as_of: datetime.date
) -> list[CheckResult]:
    """Warnings about records that explain a figure; they never fail the report. Each takes
    the records to name, or only their number (an int) where nobody reads the list."""
    when = chinese_date(as_of)
    overdue_count, overdue_intro = _how_many(overdue)
    cases_count, cases_intro = _how_many(open_cases)
    return [
        CheckResult(
            "overdue_applications",
            "超过答复期限仍未答复的申请",
            WARNING if overdue else PASS,
            (
                f"截至{when}，{overdue_intro}{overdue_count}件申请仍未答复且已超过答复期限，计入“四、结转下年度继续办理”。"
                "如已答复，请在台账中补填答复日期和办理结果。"
                if overdue
                else f"截至{when}，没有超过答复期限仍未答复的申请。"
            )
            + "（答复期限按收到或补正之日后第20个工作日计算，延期的再加20个工作日，征求意见等期间不计入；工作日按国务院公布的节假日和调休安排计算。）",
            _listed(overdue, _overdue_detail, "件，请在申请台账中按“办理中”筛选查看。"),
        ),
        CheckResult(
            "long_open_cases",
            "立案超过一年仍未审结的行政复议、行政诉讼",
            WARNING if open_cases else PASS,
            (
                f"截至{when}，{cases_intro}{cases_count}件案件立案已超过一年仍登记为尚未审结，计入表四“尚未审结”。"
                "如已审结，请在台账中补填结果和结案日期。"
                if open_cases
                else f"截至{when}，没有立案超过一年仍未审结的案件。"
            ),
            _listed(open_cases, _open_case_detail, "件，请在行政复议、行政诉讼台账中查看。"),
        ),
    ]


def check_report(
    report: tables.AnnualReport,
    previous: PreviousYear,
    overdue: Iterable | int = (),
    open_cases: Iterable | int = (),
    as_of: datetime.date | None = None,
) -> list[CheckResult]:
    """Every check of the year's report, in the order they are shown."""
    results = balance_checks(report)
    results.append(in_force_check(report, previous))
    results.append(cross_year_check(report, previous))
    results.extend(
        warning_checks(
            overdue if isinstance(overdue, int) else list(overdue),
            open_cases if isinstance(open_cases, int) else list(open_cases),
            as_of or datetime.date(report.year, 12, 31),
        )
    )
    return results


# --- Gathering from the ledger -----------------------------------------------------------


class OverdueApplication(NamedTuple):
    """An application as the overdue warning names it."""

    pk: int
    office_id: int
    number: str
    applicant_name: str
    received_on: datetime.date


OVERDUE_FIELDS = ("pk", "organization_id", "number", "applicant_name", "received_on")


def _open_on(organizations: tables.Offices, as_of: datetime.date):
    """The offices' applications unanswered on `as_of` and not in a clock stop then, split
    into (those whose stored deadline stands as of then, those with a stop begun later).

    The stored deadline (due_on) counts every stop, so it is the deadline as it stood on
    `as_of` for every application without a stop begun after `as_of`; the database filters
    those. The few others are worked out on the working-day calendar.
    """
    scope = tables.organization_scope(organizations)
    stops = ClockStop.objects.filter(application=OuterRef("pk"))
    running = stops.filter(started_on__lte=as_of).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    )
    begun_later = stops.filter(started_on__gt=as_of)
    open_then = (
        Application.objects.filter(organization__in=scope, received_on__lte=as_of)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gt=as_of))
        .exclude(Exists(running))
    )
    return open_then.exclude(Exists(begun_later)), open_then.filter(Exists(begun_later))


def overdue_applications(
    organizations: tables.Offices, as_of: datetime.date
) -> list[tuple[OverdueApplication, datetime.date]]:
    """Applications still unanswered on `as_of` whose statutory deadline had passed by then.

    The deadline is worked out as it stood on `as_of`: a clock stop that ended later was
    still running (no deadline yet), one begun later did not exist (see _open_on). Returns
    (application, deadline) pairs, oldest first; a fixed number of queries.
    """
    stands, moved = _open_on(organizations, as_of)
    stored = (
        stands.filter(due_on__lt=as_of)
        .order_by("received_on", "id")
        .values_list(*OVERDUE_FIELDS, "due_on")
    )
    result = [(OverdueApplication(*row[:-1]), row[-1]) for row in stored]
    later = _overdue_before_later_stops(moved, as_of)
    if later:
        result = sorted(result + later, key=lambda pair: (pair[0].received_on, pair[0].pk))
    return result


def overdue_counts_by_office(office_ids: list[int], as_of: datetime.date) -> dict[int, int]:
    """{office id: how many of overdue_applications() it has}, counted in the database
    (a fixed number of queries; no record is read out)."""
    stands, moved = _open_on(office_ids, as_of)
    counts = dict(
        stands.filter(due_on__lt=as_of)
        .values("organization_id")
        .order_by("organization_id")
        .annotate(count=Count("*"))
        .values_list("organization_id", "count")
    )
    for application, _deadline in _overdue_before_later_stops(moved, as_of):
        counts[application.office_id] = counts.get(application.office_id, 0) + 1
    return counts


def _overdue_before_later_stops(applications, as_of):
    """The deadline as it stood on `as_of` of applications whose later stops moved it."""
    candidates = list(applications.prefetch_related("clock_stops"))
    if not candidates:
        return []
    calendar = WorkdayCalendar()
    calendar.load_years(min(a.received_on for a in candidates).year, as_of.year + 1)
    found = []
    for application in candidates:
        deadline = deadline_for(
            application, list(application.clock_stops.all()), calendar, as_of=as_of
        ).due_on
        if deadline is not None and deadline < as_of:
            row = [getattr(application, name) for name in OVERDUE_FIELDS]
            found.append((OverdueApplication(*row), deadline))
    return found


def one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class OpenCase(NamedTuple):
    """A review or lawsuit as the long-open warning names it."""

    kind: str  # 行政复议 or 行政诉讼
    pk: int
    office_id: int
    number: str  # the application's number
    filed_on: datetime.date


def _long_open(model, organizations: tables.Offices, as_of: datetime.date) -> QuerySet:
    """The offices' reviews or lawsuits still open on `as_of`, filed more than a year before."""
    open_on = Q(concluded_on__isnull=True) | Q(concluded_on__gt=as_of)
    filed_long_ago = model.objects.filter(filed_on__lt=one_year_before(as_of)).filter(open_on)
    return filed_long_ago.filter(organization__in=organization_ids(organizations))


def long_open_cases(organizations: tables.Offices, as_of: datetime.date) -> list[OpenCase]:
    """Reviews and lawsuits still open on `as_of` that were filed more than a year before,
    oldest first (two queries)."""
    number = (
        Application.objects.filter(pk=OuterRef("application_id")).order_by().values("number")[:1]
    )
    cases = []
    for model in (AdministrativeReview, Lawsuit):
        rows = (
            _long_open(model, organizations, as_of)
            .annotate(number=Subquery(number))
            .order_by("filed_on", "id")
            .values_list("pk", "organization_id", "number", "filed_on")
        )
        kind = str(model._meta.verbose_name)
        cases.extend(OpenCase(kind, *row) for row in rows)
    return sorted(cases, key=lambda case: (case.filed_on, case.pk))


def long_open_counts_by_office(office_ids: list[int], as_of: datetime.date) -> dict[int, int]:
    """{office id: how many of long_open_cases() it has}, counted in the database."""
    counts: dict[int, int] = {}
    for model in (AdministrativeReview, Lawsuit):
        rows = (
            _long_open(model, office_ids, as_of)
            .values("organization_id")
            .order_by("organization_id")
            .annotate(count=Count("*"))
            .values_list("organization_id", "count")
        )
        for office_id, count in rows:
            counts[office_id] = counts.get(office_id, 0) + count
    return counts


def organization_ids(organizations: tables.Offices) -> set[int]:
    scope = tables.organization_scope(organizations)
    if isinstance(scope, list):
        return set(scope)
    return {row["pk"] for row in scope}


def signed_previous(sign_off: ReportSignOff) -> PreviousYear:
    """Last year's figures of one office as signed off."""
    source = f"与{sign_off.year}年度报告定稿（第{sign_off.version}版，{chinese_date(timezone.localdate(sign_off.signed_at))}定稿）比较。"
    return PreviousYear(
        sign_off.year, tables.AnnualReport.from_json(sign_off.figures), True, source
    )


def live_previous(
    last: int, table_two: tables.TableTwo, table_three: tables.TableThree
) -> PreviousYear:
    """Last year's figures as the ledger gives them now (table 四 is not compared)."""
    report = tables.AnnualReport(
        last, table_two, table_three, tables.empty_table_four(), tables.FeeSummary()
    )
    return PreviousYear(
        last, report, False, f"{last}年度报告尚未定稿，暂与按当前台账计算的{last}年度数据比较。"
    )


def _live_two_and_three(office_ids, year, table_three=None):
    """The ledger's tables 二 and 三 per office: all the cross-year checks compare (three
    queries; two when `table_three`, {office id: TableThree}, is given)."""
    two = tables.table_two_by_office(office_ids, year)
    three = (
        table_three if table_three is not None else tables.table_three_by_office(office_ids, year)
    )
    return {pk: live_previous(year, two[pk], three[pk]).report for pk in office_ids}


def carried_over(last: int, this_year: tables.TableThree) -> tables.TableThree:
    """Last year's table 三 as far as the cross-year check reads it, without a query: its
    四、结转下年度继续办理 row as the ledger stands is this year's 二、上年结转 row as the
    ledger stands (counting.carried_out(last) and counting.carried_in(last + 1) select the
    same applications); its other rows are zeros. For checks_by_office() only."""
    values = tables.empty_table_three().values
    values[CARRIED_OUT] = dict(this_year.values[CARRIED_IN])
    return tables.TableThree(values)


def previous_from(standing: Standing, last: int) -> PreviousYear:
    """PreviousYear from the figures that stand for last year (reports.figures.standing)."""
    settled = standing.settled
    if settled is not None and settled.kind == SIGNED:
        return signed_previous(settled.record)
    if settled is not None and settled.kind == SUBMITTED:
        return PreviousYear(
            last,
            standing.report,
            True,
            f"与{last}年度已接收的报送工作簿（第{settled.version}版）比较。",
        )
    return live_previous(last, standing.report.table_two, standing.report.table_three)


def previous_by_office(
    office_ids: Iterable[int], year: int, live_table_three: dict | None = None
) -> dict[int, PreviousYear]:
    """{office id: PreviousYear}: each office's last-year figures as they stand (its sign-off
    or accepted workbook, else the ledger now), by standing_reports(); five queries, four
    when `live_table_three` gives last year's table 三 of each office as the ledger stands."""
    office_ids = list(office_ids)
    last = year - 1

    def live(missing, _year):
        return _live_two_and_three(missing, last, live_table_three)

    standings = standing_reports(office_ids, [last], live=live)
    return {pk: previous_from(standings[(pk, last)], last) for pk in office_ids}


def previous_year(
    organizations: tables.Offices, year: int, live_table_three: dict | None = None
) -> PreviousYear:
    """Last year's figures to compare with: each office's as they stand, summed over the set
    (`live_table_three` as for previous_by_office)."""
    last = year - 1
    found = previous_by_office(sorted(organization_ids(organizations)), year, live_table_three)
    if len(found) == 1:
        return next(iter(found.values()))
    settled = bool(found) and all(previous.signed_off for previous in found.values())
    report = tables.sum_reports([previous.report for previous in found.values()], last)
    source = (
        f"与各机关{last}年度报告的最新定稿或已接收的报送工作簿之和比较。"
        if settled
        else f"与各机关{last}年度的定稿、已接收的报送工作簿或按当前台账计算的数据之和比较。"
    )
    return PreviousYear(last, report, settled, source)


def report_checks(
    organizations: tables.Offices,
    year: int,
    report: tables.AnnualReport,
    today: datetime.date | None = None,
) -> list[CheckResult]:
    """Gather what the checks need from the ledger and run them all; `report` is the year's
    figures as the ledger stands now.

    Warnings are as of 31 December of the year, or today while the year is still running.
    """
    today = today or timezone.localdate()
    as_of = min(today, datetime.date(year, 12, 31))
    ids = organization_ids(organizations)
    # One office: its 上年结转 as the ledger stands is last year's live 结转下年度 (carried_over).
    live_three = (
        {pk: carried_over(year - 1, report.table_three) for pk in ids} if len(ids) == 1 else None
    )
    return check_report(
        report,
        previous_year(ids, year, live_three),
        overdue=overdue_applications(organizations, as_of),
        open_cases=long_open_cases(organizations, as_of),
        as_of=as_of,
    )


def checks_by_office(
    reports: dict[int, tables.AnnualReport],
    year: int,
    today: datetime.date | None = None,
    listed: bool = True,
) -> dict[int, list[CheckResult]]:
    """report_checks() for many offices at once, {office id: [CheckResult]}, in a fixed number
    of queries however many offices (about ten): last year's figures as they stand, grouped
    by office, and the warnings' records of all the offices in one go.

    `reports` is {office id: AnnualReport} as the ledger stands now (the rollup's offices
    without a settled version): their 上年结转 row stands for last year's live 结转下年度.
    Without `listed`, the warnings only count their records in the database (the district
    board shows how many checks warn, not which records).
    """
    ids = list(reports)
    if not ids:
        return {}
    today = today or timezone.localdate()
    as_of = min(today, datetime.date(year, 12, 31))
    # The cross-year check reads last year's 结转下年度 as the ledger stands: this year's 上年结转.
    last_three = {pk: carried_over(year - 1, reports[pk].table_three) for pk in ids}
    previous = previous_by_office(ids, year, last_three)
    if listed:
        overdue: dict = {}
        for application, deadline in overdue_applications(ids, as_of):
            overdue.setdefault(application.office_id, []).append((application, deadline))
        open_cases: dict = {}
        for case in long_open_cases(ids, as_of):
            open_cases.setdefault(case.office_id, []).append(case)
        none: tuple | int = ()
    else:
        overdue = overdue_counts_by_office(ids, as_of)
        open_cases = long_open_counts_by_office(ids, as_of)
        none = 0
    return {
        pk: check_report(
            reports[pk], previous[pk], overdue.get(pk, none), open_cases.get(pk, none), as_of
        )
        for pk in ids
    }
