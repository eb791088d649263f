"""A district for the rollup, intake and chart tests, and workbooks made by hand.

洛龙区 (the district, with a small ledger of its own) has three offices under it:
学府街道 (the hand-made ledger of tests.support.report_ledger), 开元路街道, and 安乐镇, which does
not use gongkai and sends a workbook instead. 西工区 is another district with one office.
"""

import datetime
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.roles import DISTRICT
from applications.choices import OUTCOME_GROUPS, ApplicantType, OrganizationKind
from applications.models import Organization
from reports.figures import tables
from reports.models import SubmittedReport
from tests.support.factories import make_application, make_district, make_office, make_user

D = datetime.date
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def district(office, other_office):
    district = make_district("洛龙区")
    Organization.objects.filter(pk__in=[office.pk, other_office.pk]).update(parent=district)
    office.refresh_from_db()
    other_office.refresh_from_db()
    return district


@pytest.fixture
def intake_office(district):
    """An office of the district that does not use gongkai."""
    return make_office(
        "安乐镇", name="洛阳市洛龙区安乐镇人民政府", kind=OrganizationKind.TOWNSHIP, parent=district
    )


@pytest.fixture
def other_district(db):
    other = make_district("西工区")
    make_office("王城路街道", parent=other)
    return other


def district_user(django_user_model, organization, username="quji", intake=True):
    """A 区级管理员 of the organization: sees the offices under it, may accept workbooks."""
    groups = [DISTRICT] if intake else []
    user = make_user(username, organization, groups, is_staff=False, first_name="王区级")
    if not intake:  # the role's reading rights without the intake permission
        for app_label, codename in [
            ("applications", "view_subordinate_offices"),
            ("reports", "view_reportsignoff"),
        ]:
            user.user_permissions.add(
                Permission.objects.get(codename=codename, content_type__app_label=app_label)
            )
    return user


@pytest.fixture
def district_admin(db, django_user_model, district):
    return district_user(django_user_model, district)


@pytest.fixture
def district_client(client, district_admin):
    client.force_login(district_admin)
    return client


def application(
    organization,
    received,
    answered=None,
    outcome="",
    kind=ApplicantType.NATURAL_PERSON,
    name="张三",
):
    return make_application(
        organization,
        received_on=received,
        applicant_type=kind,
        applicant_name=name,
        content="申请公开辖区道路改造计划",
        answered_on=answered,
        outcome=outcome,
    )


def sample_report(year=2021, seed=1):
    """A report whose figures balance, with every cell different enough to catch a misread."""
    report = tables.empty_report(year)
    three = report.table_three.values
    for index, column in enumerate(tables.APPLICANT_COLUMNS):
        outcomes = [
            (seed + index + position) % 4 for position, _ in enumerate(tables.OUTCOME_CODES)
        ]
        for code, value in zip(tables.OUTCOME_CODES, outcomes, strict=False):
            three[code][column.code] = value
        answered = sum(outcomes)
        three[tables.CARRIED_IN][column.code] = index + seed
        three[tables.CARRIED_OUT][column.code] = 2 * index + 1
        three[tables.NEW][column.code] = (
            answered
            + three[tables.CARRIED_OUT][column.code]
            - three[tables.CARRIED_IN][column.code]
        )
        three[tables.TOTAL][column.code] = answered
    for columns in three.values():
        columns[tables.TOTAL] = sum(columns[column.code] for column in tables.APPLICANT_COLUMNS)
    four = report.table_four.values
    for offset, group in enumerate(tables.TABLE_FOUR_GROUPS):
        parts = [offset + seed, offset, 1, 2]
        for column, value in zip(tables.TABLE_FOUR_RESULT_COLUMNS, parts, strict=False):
            four[group.code][column.code] = value
        four[group.code][tables.TOTAL] = sum(parts)
    two = report.table_two.values
    two["regulation"] = {"issued": 1, "abolished": 0, "in_force": 3}
    two["normative_document"] = {"issued": 4, "abolished": 2, "in_force": 9}
    two["licensing"] = {"decisions": 120}
    two["penalty"] = {"decisions": 7}
    two["coercion"] = {"decisions": 2}
    two["fees"] = {"amount_wan": Decimal("1.2345")}
    return report


def hand_made_workbook(
    report, legacy_six=False, sheet_name="Sheet1", blank=None, text=None, title_year=None
):
    """A workbook filled in by hand: all three tables on one sheet, not where gongkai puts
    them (table 四 first, an offset, labels with half-width brackets and "1、" numbering).

    With `legacy_six`, table 三 has the 2019 single row （六）其他处理 holding the sum of
    6.1–6.3. `blank` / `text` name a (table, row, column) key to leave empty / fill with text.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    year = title_year or report.year
    sheet["B1"] = f"洛阳市洛龙区安乐镇人民政府{year}年政府信息公开工作年度报告"

    def put(row, col, key, value):
        if key == blank:
            return
        sheet.cell(row, col).value = "约三件" if key == text else value

    def half(label):
        return label.replace("（", "(").replace("）", ")").replace("，", ", ")

    # 表四 at B3: 行政复议 (B–F) | 行政诉讼: 未经复议直接起诉 (G–K), 复议后起诉 (L–P).
    sheet["B3"] = "四、政府信息公开行政复议、行政诉讼情况"
    sheet["B4"], sheet["G4"] = "行政复议", "行政诉讼"
    sheet["G5"], sheet["L5"] = "未经复议直接起诉", "复议后起诉"
    for group_index, group in enumerate(tables.TABLE_FOUR_GROUPS):
        for column_index, column in enumerate(tables.TABLE_FOUR_RESULT_COLUMNS):
            col = 2 + group_index * 5 + column_index
            sheet.cell(6, col).value = column.label
            put(
                7,
                col,
                ("four", group.code, column.code),
                report.table_four.values[group.code][column.code],
            )

    # 表三 from row 10: labels in B–D, figures in E–K.
    top = 10
    sheet.cell(top, 2).value = half(tables.TABLE_THREE_CAPTION)
    sheet.cell(top, 5).value = tables.APPLICANTS_HEADER
    sheet.cell(top + 1, 5).value = tables.APPLICANT_COLUMNS[0].label
    sheet.cell(top + 1, 6).value = tables.ORGANIZATIONS_HEADER
    sheet.cell(top + 1, 11).value = "总计"
    for index, column in enumerate(tables.APPLICANT_COLUMNS[1:]):
        sheet.cell(top + 2, 6 + index).value = column.label
    row = top + 3
    six_codes = [outcome.value for outcome in OUTCOME_GROUPS[-1].outcomes]
    for table_row in tables.TABLE_THREE_ROWS:
        if legacy_six and table_row.code in six_codes:
            if table_row.code != six_codes[0]:
                continue
            sheet.cell(row, 3).value = "(六)其他处理"
            for index, column in enumerate(tables.TABLE_THREE_COLUMNS):
                sheet.cell(row, 5 + index).value = sum(
                    report.table_three.values[code][column.code] for code in six_codes
                )
            row += 1
            continue
        label = half(table_row.label)
        if label[:2] in {f"{n}." for n in range(1, 9)}:
            label = label[0] + "、" + label[2:]
        sheet.cell(row, 4 if label[0].isdigit() else 2).value = label
        for index, column in enumerate(tables.TABLE_THREE_COLUMNS):
            put(
                row,
                5 + index,
                ("three", table_row.code, column.code),
                report.table_three.values[table_row.code][column.code],
            )
        row += 1

    # 表二 below, in column B–E.
    row += 2
    for block in tables.TABLE_TWO_BLOCKS:
        sheet.cell(row, 2).value = half(block.header)
        sheet.cell(row + 1, 2).value = tables.TABLE_TWO_CONTENT_LABEL
        for index, column in enumerate(block.columns):
            sheet.cell(row + 1, 3 + index).value = (
                column.label.replace("）", "，保留4位小数）") if block.money else column.label
            )
        row += 2
        for table_row in block.rows:
            sheet.cell(row, 2).value = table_row.label
            for index, column in enumerate(block.columns):
                value = report.table_two.values[table_row.code][column.code]
                put(
                    row,
                    3 + index,
                    ("two", table_row.code, column.code),
                    float(value) if block.money else value,
                )
            row += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return with_fixed_zip_times(buffer.getvalue())


def with_fixed_zip_times(content):
    """The same .xlsx with every zip entry dated alike: openpyxl dates a sheet by the real
    modification time of its temporary file (time_machine cannot freeze that), so two
    identical workbooks made seconds apart would differ byte for byte."""
    source = zipfile.ZipFile(BytesIO(content))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            info.date_time = (2022, 1, 1, 0, 0, 0)
            target.writestr(info, source.read(info.filename))
    return buffer.getvalue()


def upload(content, name="安乐镇2021年报.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def post_intake(client, district, office, content, name="安乐镇2021年报.xlsx", year=2021):
    """Upload a workbook on the intake page as a district user does, following the
    redirects: to the job's page (tasks run at once in tests) and, when the workbook reads
    cleanly, on to the pending submission."""
    return client.post(
        reverse("reports:intake", args=[district.pk, year]),
        {"organization": office.pk, "workbook": upload(content, name)},
        follow=True,
    )


def landed(response):
    """The URL a followed response ended on."""
    return response.redirect_chain[-1][0] if response.redirect_chain else None


def accepted_submission(office, report, user, version=1, accepted_at=None):
    """An accepted workbook for the office, as the intake would store it."""
    return SubmittedReport.objects.create(
        organization=office,
        year=report.year,
        version=version,
        figures=report.as_json(),
        checks=[],
        workbook=b"PK",
        filename="报送.xlsx",
        uploaded_by=user,
        accepted_by=user,
        accepted_at=accepted_at or timezone.now(),
    )
