"""Putting a year's report together, signing it off (定稿), and noticing later ledger changes."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from applications.models import AdministrativeReview, Application, Lawsuit, Organization
from lib.display import SECTION_SIX, chinese_date, chinese_moment

from .figures import checks as report_checks
from .figures.counting import counts_in
from .figures.tables import (
    TABLE_FOUR_GROUPS,
    TABLE_FOUR_RESULT_COLUMNS,
    TABLE_THREE_COLUMNS,
    TABLE_THREE_ROWS,
    TABLE_TWO_BLOCKS,
    AnnualReport,
    annual_report,
    format_wan,
)
from .figures.text_checks import narrative_checks
from .figures.trends import report_charts
from .models import (
    FIRST_FORMAT_YEAR,
    AnnualFigures,
    NormativeDocument,
    ReportNarrative,
    ReportSignOff,
)
from .outputs.docx import build_document
from .outputs.xlsx import build_workbook


@dataclass
class ReportContents:
    """Everything one version of a report shows: figures, checks and narrative."""

    organization: Organization
    year: int
    report: AnnualReport
    checks: list
    narrative: dict
    sign_off: ReportSignOff = None

    @property
    def failed_checks(self):
        return [check for check in self.checks if check.status == report_checks.FAIL]

    @property
    def warnings(self):
        return [check for check in self.checks if check.status == report_checks.WARNING]


def narrative_for(organization, year):
    narrative = ReportNarrative.objects.filter(organization=organization, year=year).first()
    return narrative.as_json() if narrative else {}


def current_contents(organization, year, today=None):
    """The report as the ledger stands now."""
    report = annual_report(organization, year)
    narrative = narrative_for(organization, year)
    checks = report_checks.report_checks(organization, year, report, today=today)
    return ReportContents(
        organization=organization,
        year=year,
        report=report,
        checks=checks + narrative_checks(report, narrative),
        narrative=narrative,
    )


def signed_contents(sign_off):
    """The report exactly as it was signed off."""
    return ReportContents(
        organization=sign_off.organization,
        year=sign_off.year,
        report=AnnualReport.from_json(sign_off.figures),
        checks=[report_checks.CheckResult.from_json(item) for item in sign_off.checks],
        narrative=dict(sign_off.narrative),
        sign_off=sign_off,
    )


def live_note():
    return f"按{chinese_date(timezone.localdate())}的台账生成，尚未定稿。"


def contents_charts(contents, live=True):
    """The charts of a report: with `live`, its year as the ledger stands (four queries)."""
    return report_charts(
        [contents.organization.pk], contents.year, contents.report.table_three, live_current=live
    )


def current_workbook(contents):
    return build_workbook(
        contents.organization.name,
        contents.report,
        contents.checks,
        contents.narrative,
        live_note(),
        charts=contents_charts(contents),
    )


def current_document(contents):
    return build_document(
        contents.organization.name, contents.report, contents.narrative, live_note()
    )


def signed_document(sign_off):
    """The Word document stored with a sign-off; for a version signed off before documents
    were stored, the same document made now from its stored figures and text."""
    if sign_off.document:
        return bytes(sign_off.document)
    contents = signed_contents(sign_off)
    return build_document(
        contents.organization.name, contents.report, contents.narrative, sign_off_note(sign_off)
    )


def sign_off_note(sign_off):
    return f"定稿第{sign_off.version}版：{sign_off.signed_by}于{chinese_moment(sign_off.signed_at)}定稿。"


def latest_sign_off(organization, year):
    """The newest signed-off version, without its workbook bytes, or None."""
    return (
        ReportSignOff.objects.filter(organization=organization, year=year)
        .defer("workbook", "document")
        .select_related("signed_by", "organization")
        .order_by("-version")
        .first()
    )


def sign_off(organization, year, user, today=None):
    """Store a new signed-off version of the year's report: figures, text, checks and workbook."""
    with transaction.atomic():
        # Lock the office so that two officials signing at once get versions n and n+1.
        Organization.objects.select_for_update().get(pk=organization.pk)
        last = ReportSignOff.objects.filter(organization=organization, year=year).aggregate(
            last=Max("version")
        )["last"]
        version = (last or 0) + 1
        signed_at = timezone.now()
        contents = current_contents(organization, year, today=today)
        note = f"定稿第{version}版：{user}于{chinese_moment(signed_at)}定稿。"
        workbook = build_workbook(
            organization.name,
            contents.report,
            contents.checks,
            contents.narrative,
            note,
            charts=contents_charts(contents),
        )
        # Stored in the same INSERT: the table refuses UPDATE (migration 0002).
        document = build_document(organization.name, contents.report, contents.narrative, note)
        return ReportSignOff.objects.create(
            organization=organization,
            year=year,
            version=version,
            figures=contents.report.as_json(),
            narrative=contents.narrative,
            checks=[check.as_json() for check in contents.checks],
            workbook=workbook,
            document=document,
            signed_by=user,
            signed_at=signed_at,
        )


# --- Changes since a sign-off ------------------------------------------------------------


def figure_cells(report):
    """Every figure of the report, keyed by where it is printed (table, row, column)."""
    cells = {}
    for block in TABLE_TWO_BLOCKS:
        for row in block.rows:
            for column in block.columns:
                value = report.table_two.values[row.code][column.code]
                cells[("表二", row.label, column.label)] = (
                    format_wan(value) if block.money else value
                )
    for row in TABLE_THREE_ROWS:
        for column in TABLE_THREE_COLUMNS:
            cells[("表三", row.label, column.label)] = report.table_three.values[row.code][
                column.code
            ]
    for group in TABLE_FOUR_GROUPS:
        for column in TABLE_FOUR_RESULT_COLUMNS:
            cells[("表四", group.label, column.label)] = report.table_four.values[group.code][
                column.code
            ]
    cells[(SECTION_SIX, "信息处理费", "收费件数")] = report.fees.count
    cells[(SECTION_SIX, "信息处理费", "金额（元）")] = str(report.fees.total_yuan)
    return cells


@dataclass
class Drift:
    """How the figures recomputed now differ from a sign-off, and the records that may explain it."""

    differences: list = field(default_factory=list)
    records: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.differences)


def _changed_since(history, signed_at, scope_filter, counts, describe):
    """Records changed after `signed_at` whose state at sign-off, or any state since, counted
    in the office's year (`counts`); so a record moved out of the year or to another office
    is named too. One query: all historical rows of the records changed since, in order.
    """
    changed_ids = history.filter(history_date__gt=signed_at).values("id")
    ever_in_scope = history.filter(**scope_filter).values("id")
    rows = (
        history.filter(id__in=changed_ids)
        .filter(id__in=ever_in_scope)
        .order_by("id", "history_date", "history_id")
    )
    by_record = {}
    for row in rows:
        by_record.setdefault(row.id, []).append(row)
    found = []
    for record_rows in by_record.values():
        before = [row for row in record_rows if row.history_date <= signed_at]
        after = [row for row in record_rows if row.history_date > signed_at]
        states = before[-1:] + after
        if not after or not any(counts(row) for row in states):
            continue
        latest = record_rows[-1]
        if latest.history_type == "-":
            how = "定稿后已删除"
        elif not before:
            how = "定稿后新登记"
        else:
            how = f"定稿后修改，最后修改于{chinese_moment(latest.history_date)}"
        found.append(f"{describe(latest)}（{how}）")
    return found


def changed_records(sign_off):
    """The office's records changed after the sign-off that touch its year (five queries)."""
    signed_at = sign_off.signed_at
    organization_id = sign_off.organization_id

    def in_office(row):
        return row.organization_id == organization_id

    records = _changed_since(
        Application.history,
        signed_at,
        {"organization_id": organization_id},
        lambda row: in_office(row) and counts_in(sign_off.year, row.received_on, row.answered_on),
        lambda row: f"申请 {row.number}",
    )
    for model in (AdministrativeReview, Lawsuit):
        records += _changed_since(
            model.history.select_related("application"),
            signed_at,
            {"application__organization_id": organization_id},
            lambda row: counts_in(sign_off.year, row.filed_on, row.concluded_on),
            lambda row, name=model._meta.verbose_name: (
                f"{row.application.number}的{name}（{chinese_date(row.filed_on)}立案）"
            ),
        )
    records += _changed_since(
        NormativeDocument.history,
        signed_at,
        {"organization_id": organization_id},
        lambda row: in_office(row) and counts_in(sign_off.year, row.issued_on, row.abolished_on),
        lambda row: f"文件 {row.number}《{row.title}》",
    )
    records += _changed_since(
        AnnualFigures.history,
        signed_at,
        {"organization_id": organization_id},
        lambda row: in_office(row) and row.year == sign_off.year,
        lambda row: f"{row.year}年主动公开年度数据",
    )
    return records


def ledger_drift(sign_off, current_report):
    """Compare a sign-off with the figures recomputed now; name the records changed since."""
    signed = figure_cells(AnnualReport.from_json(sign_off.figures))
    now = figure_cells(current_report)
    differences = [
        f"{' · '.join(key)}：定稿 {signed[key]}，按现在的台账 {now[key]}"
        for key in signed
        if signed[key] != now[key]
    ]
    if not differences:
        return Drift()
    return Drift(differences, changed_records(sign_off))


def report_years(organizations, today=None):
    """Years offered in the selector: this year back to the first year with applications (2021 at the latest)."""
    today = today or timezone.localdate()
    earliest = min(FIRST_FORMAT_YEAR, today.year)
    # Only a record older than that moves the start: the office index finds none at once,
    # where the MIN over all of a district's records read every one of them.
    first = Application.objects.filter(
        organization__in=organizations, received_on__lt=datetime.date(earliest, 1, 1)
    ).aggregate(first=Min("received_on"))["first"]
    if first is not None:
        earliest = first.year
    return list(range(today.year, earliest - 1, -1))
