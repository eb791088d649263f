"""The figures behind the charts of the report page and the district board.

Three charts, each in a fixed number of queries whatever the size of the ledger:
applications received per month (one query), the mix of outcomes (from table 三, no
query), and five years of new / answered / carried-out applications (one grouped query,
plus the settled versions of those years, two queries). The page draws them as SVG with
reports.outputs.charts, the workbook as native Excel charts (reports.outputs.xlsx); both carry the same
figures as a table for screen readers and printing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from applications.choices import OUTCOME_GROUPS
from applications.models import Application

from ..outputs.charts import bar_chart, share_chart
from . import counting
from .standing import settled_reports
from .tables import CARRIED_OUT, NEW, TOTAL, Offices, TableThree, organization_scope

YEARS_SHOWN = 5
MONTHS = tuple(range(1, 13))
SERIES = (("new", "新收"), ("answered", "办结"), ("carried_out", "结转下年"))


def outcome_group_label(group: Any) -> str:
    """（二）部分公开 rather than the whole row label with its explanation in brackets."""
    return f"（{group.numeral}）{group.title.split('（')[0]}"


@dataclass
class ReportCharts:
    year: int
    monthly: list[int]  # applications received in each month, January first
    mix: list[tuple[str, int]]  # (outcome group label, applications answered in the year)
    years: list[tuple[int, int, int, int]]  # (year, new, answered, carried out), oldest first
    notes: list[str] = field(
        default_factory=list
    )  # what the figures leave out or where they come from

    @property
    def monthly_title(self):
        return f"{self.year}年每月收到的申请（件）"

    @property
    def mix_title(self):
        return f"{self.year}年办理结果构成（件）"

    @property
    def years_title(self):
        return f"{self.years[0][0]}—{self.year}年新收、办结和结转下年的申请（件）"

    def month_labels(self):
        return [f"{month}月" for month in MONTHS]

    def svg_charts(self):
        """The three charts drawn as SVG, each with its text equivalent."""
        return [
            bar_chart(self.monthly_title, self.month_labels(), [("收到", self.monthly)]),
            share_chart(self.mix_title, self.mix),
            bar_chart(
                self.years_title,
                [f"{year}年" for year, *_ in self.years],
                [
                    (label, [row[index + 1] for row in self.years])
                    for index, (_, label) in enumerate(SERIES)
                ],
            ),
        ]


def monthly_received(organizations: Offices, year: int) -> list[int]:
    """Applications received in each month of the year, January first (one query)."""
    rows = (
        Application.objects.filter(
            counting.received_in(year), organization__in=organization_scope(organizations)
        )
        .annotate(month=ExtractMonth("received_on"))
        .values("month")
        .order_by("month")
        # COUNT(*), not COUNT(id): the office-and-date index answers it without the table.
        .annotate(count=Count("*"))
    )
    counts = {row["month"]: row["count"] for row in rows}
    return [counts.get(month, 0) for month in MONTHS]


def outcome_mix(table_three: TableThree) -> list[tuple[str, int]]:
    """Applications answered in the year per outcome group （一）…（六）, from table 三."""
    return [
        (
            outcome_group_label(group),
            sum(table_three.values[outcome.value][TOTAL] for outcome in group.outcomes),
        )
        for group in OUTCOME_GROUPS
    ]


def _ledger_years(office_ids, years):
    """{(office id, year): (new, answered, carried out)} from the ledger, one grouped query."""
    annotations = {}
    counted = Q()
    for year in years:
        annotations[f"new_{year}"] = Count("received_on", filter=counting.received_in(year))
        annotations[f"answered_{year}"] = Count("received_on", filter=counting.answered_in(year))
        annotations[f"carried_out_{year}"] = Count("received_on", filter=counting.carried_out(year))
        counted |= counting.application_counted_in(year)
    rows = (
        Application.objects.filter(organization__in=office_ids)
        .filter(counted)
        .values("organization_id")
        .order_by("organization_id")
        .annotate(**annotations)
    )
    return {
        (row["organization_id"], year): (
            row[f"new_{year}"],
            row[f"answered_{year}"],
            row[f"carried_out_{year}"],
        )
        for row in rows
        for year in years
    }


def five_years(
    office_ids: Iterable[int], year: int, live_current: bool = False
) -> list[tuple[int, int, int, int]]:
    """New / answered / carried out for the five years up to `year`, summed over the offices.

    A year an office signed off (or whose workbook the district accepted) counts as settled,
    as in the rollup; other years come from the ledger as it stands. With `live_current`,
    `year` itself comes from the ledger (for a report shown as the ledger stands now).
    Three queries.
    """
    office_ids = list(office_ids)
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    ledger = _ledger_years(office_ids, years)
    versions = settled_reports(office_ids, years[:-1] if live_current else years)
    totals = []
    for shown in years:
        new = answered = carried_out = 0
        for pk in office_ids:
            if (pk, shown) in versions:
                three = versions[(pk, shown)].report.table_three.values
                figures = (three[NEW][TOTAL], three[TOTAL][TOTAL], three[CARRIED_OUT][TOTAL])
            else:
                figures = ledger.get((pk, shown), (0, 0, 0))
            new, answered, carried_out = (
                new + figures[0],
                answered + figures[1],
                carried_out + figures[2],
            )
        totals.append((shown, new, answered, carried_out))
    return totals


def report_charts(
    office_ids: Iterable[int],
    year: int,
    table_three: TableThree,
    live_current: bool = False,
    notes: Iterable[str] = (),
) -> ReportCharts:
    """The three charts' figures for one office or a set of offices (four queries); the mix
    comes from the table 三 shown beside the charts."""
    office_ids = list(office_ids)
    return ReportCharts(
        year=year,
        monthly=monthly_received(office_ids, year),
        mix=outcome_mix(table_three),
        years=five_years(office_ids, year, live_current=live_current),
        notes=list(notes),
    )
