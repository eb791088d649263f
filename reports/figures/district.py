"""A district's consolidated report (汇总) and the status board of its offices.

A district is an Organization with offices under it (children). Its rollup for a year is
the sum of tables 二, 三 and 四 over its offices and its own ledger. Each office counts
with the version of its report that is settled — the latest sign-off (定稿) or the latest
workbook the district accepted from it (报送), whichever is later — and, where there is
none yet, with its figures as the ledger stands now; the board says which for every
office. Everything is computed in a fixed number of queries however many offices there
are: the tables grouped by office, the settled versions, and the checks of the offices
not yet settled.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from lib.display import chinese_date, chinese_moment

from ..outputs.xlsx import build_rollup_workbook, report_title
from ..signoff import figure_cells
from . import checks as report_checks
from .indicators import indicator_sheet
from .standing import LIVE, SIGNED, SUBMITTED, standing_reports
from .tables import (
    CARRIED_OUT,
    LAWSUIT_AFTER_REVIEW,
    LAWSUIT_DIRECT,
    NEW,
    REVIEW,
    TOTAL,
    AnnualReport,
    annual_reports_by_office,
    is_empty,
    sum_reports,
)
from .trends import report_charts

SOURCE_LABELS = {SIGNED: "已定稿", SUBMITTED: "已报送（工作簿）", LIVE: "未定稿"}
# Server-side sort keys of the board: ?sort=new, ?sort=-new …
SORT_KEYS = {
    "name": lambda row: (not row.is_district, row.office.name),
    "status": lambda row: (row.source_rank, row.settled_at_sort),
    "checks": lambda row: (row.failed_count, row.warning_count),
    "new": lambda row: row.new,
    "answered": lambda row: row.answered,
    "carried_out": lambda row: row.carried_out,
    "reviews": lambda row: row.reviews,
    "lawsuits": lambda row: row.lawsuits,
}
STATUS_HEADERS = [
    "机关",
    "报告状态",
    "定稿或接收时间",
    "校验",
    "本年新收",
    "本年办结",
    "结转下年",
    "行政复议",
    "行政诉讼",
    "汇总采用",
]
STATUS_WIDTHS = [32, 18, 26, 16, 10, 10, 10, 10, 10, 28]


@dataclass
class OfficeRow:
    """One line of the status board: an office and the report it counts with."""

    office: object
    report: AnnualReport  # the figures that count in the rollup
    live: AnnualReport  # the figures as the ledger stands now
    settled: object = None  # reports.figures.standing.Settled, or None
    checks: list = field(default_factory=list)
    is_district: bool = False

    @property
    def source(self):
        return self.settled.kind if self.settled else LIVE

    @property
    def source_label(self):
        return SOURCE_LABELS[self.source]

    @property
    def source_rank(self):
        return {SIGNED: 0, SUBMITTED: 1, LIVE: 2}[self.source]

    @property
    def settled_at_sort(self):
        return self.settled.at.timestamp() if self.settled else 0

    @property
    def version_label(self):
        if not self.settled:
            return ""
        what = "定稿" if self.source == SIGNED else "接收"
        return f"第{self.settled.version}版，{chinese_moment(self.settled.at)}{what}"

    @property
    def counted_as(self):
        """Which figures the rollup uses for this office, in words."""
        if self.source == SIGNED:
            return f"定稿第{self.settled.version}版的数字"
        if self.source == SUBMITTED:
            return f"报送工作簿第{self.settled.version}版的数字"
        return "按当前台账计算的数字"

    @property
    def drift(self):
        """A signed-off office whose ledger now gives other figures (the rollup keeps the signed ones)."""
        return self.source == SIGNED and figure_cells(self.settled.report) != figure_cells(
            self.live
        )

    @property
    def failed_count(self):
        return sum(1 for check in self.checks if check.status == report_checks.FAIL)

    @property
    def warning_count(self):
        return sum(1 for check in self.checks if check.status == report_checks.WARNING)

    @property
    def checks_label(self):
        if self.failed_count:
            return f"{self.failed_count}项不通过"
        if self.warning_count:
            return f"通过（{self.warning_count}项提示）"
        return "全部通过"

    @property
    def new(self):
        return self.report.table_three.values[NEW][TOTAL]

    @property
    def answered(self):
        return self.report.table_three.values[TOTAL][TOTAL]

    @property
    def carried_out(self):
        return self.report.table_three.values[CARRIED_OUT][TOTAL]

    @property
    def reviews(self):
        return self.report.table_four.values[REVIEW][TOTAL]

    @property
    def lawsuits(self):
        four = self.report.table_four.values
        return four[LAWSUIT_DIRECT][TOTAL] + four[LAWSUIT_AFTER_REVIEW][TOTAL]

    @property
    def name(self):
        return f"{self.office.name}（本级）" if self.is_district else self.office.name

    def status_cells(self):
        """The row as the workbook's 报送情况 sheet prints it."""
        status = self.source_label + ("（定稿后台账有变动）" if self.drift else "")
        return [
            self.name,
            status,
            self.version_label,
            self.checks_label,
            self.new,
            self.answered,
            self.carried_out,
            self.reviews,
            self.lawsuits,
            self.counted_as,
        ]


@dataclass
class Rollup:
    district: object
    year: int
    rows: list
    report: AnnualReport

    @property
    def title(self):
        return report_title(self.district.name, self.year) + "（汇总）"

    @property
    def note(self):
        counts = {
            kind: sum(1 for row in self.rows if row.source == kind)
            for kind in (SIGNED, SUBMITTED, LIVE)
        }
        return (
            f"汇总{len(self.rows)}个机关：已定稿{counts[SIGNED]}个、已接收报送工作簿{counts[SUBMITTED]}个、"
            f"未定稿{counts[LIVE]}个。已定稿的按最新定稿版本的数字，已报送的按最新接收的工作簿的数字"
            "（两者都有的按较晚的一份），未定稿的按"
            f"{chinese_date(timezone.localdate())}的台账计算。"
        )

    @property
    def submitted_count(self):
        return sum(1 for row in self.rows if row.source == SUBMITTED)

    def sorted_rows(self, sort):
        """The rows sorted by a key of SORT_KEYS ('-' first for descending); unknown keys sort by name."""
        descending = sort.startswith("-")
        key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS["name"])
        return sorted(self.rows, key=lambda row: (key(row), row.office.name), reverse=descending)


def district_offices(district, visible):
    """The offices directly under the district that `visible` (a visible_to() queryset) holds."""
    return list(visible.filter(parent=district).order_by("name"))


def rollup(district, year, offices, today=None):
    """The district's consolidated report for the year over `offices` (its children) and its
    own ledger. About seventeen queries, whatever the number of offices."""
    everyone = [district, *offices]
    ids = [office.pk for office in everyone]
    live = annual_reports_by_office(ids, year)
    # Every office counts with the figures that stand for its year (the live ones computed
    # above for all, so the board can also tell a signed-off office whose ledger moved on).
    standing = standing_reports(ids, [year], live=lambda missing, _year: live)
    unsettled = {pk: live[pk] for pk in ids if not standing[(pk, year)].is_settled}
    # The board shows how many checks fail or warn, not the records behind them.
    computed = report_checks.checks_by_office(unsettled, year, today=today, listed=False)
    rows = []
    for office in everyone:
        settled = standing[(office.pk, year)].settled
        if settled:
            row = OfficeRow(
                office,
                settled.report,
                live[office.pk],
                settled,
                [report_checks.CheckResult.from_json(c) for c in settled.checks],
            )
        else:
            row = OfficeRow(office, live[office.pk], live[office.pk], None, computed[office.pk])
        row.is_district = office.pk == district.pk
        if row.is_district and not settled and is_empty(row.live):
            continue  # a district without a ledger of its own
        rows.append(row)
    return Rollup(district, year, rows, sum_reports([row.report for row in rows], year))


def rollup_charts(result):
    """The board's charts: months and years over every office, the mix from the rollup."""
    notes = []
    if result.submitted_count:
        notes.append(
            f"每月收到的申请只统计使用本系统台账的机关，{result.submitted_count}个报送工作簿的机关没有按月数据"
        )
    return report_charts(
        [row.office.pk for row in result.rows], result.year, result.report.table_three, notes=notes
    )


def rollup_workbook(result, charts=None):
    """The rollup as a workbook: 汇总, one sheet per office, 报送情况, 图表."""
    offices = [
        (
            row.office.short_name or row.office.name,
            report_title(row.name, result.year),
            f"汇总采用{row.counted_as}。",
            row.report,
        )
        for row in result.rows
    ]
    return build_rollup_workbook(
        result.title,
        (result.note, result.report),
        offices,
        STATUS_HEADERS,
        [row.status_cells() for row in result.rows],
        result.note,
        charts=charts,
        status_widths=STATUS_WIDTHS,
        extra_sheets=[indicator_sheet(result)],
    )
