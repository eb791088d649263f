import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from accounts.roles import CLERK, PERSONAL_DATA_EXPORT_GROUP
from applications.choices import ApplicantType, CaseResult, Channel, ClockStopKind, Outcome
from applications.ledger import APPLICATION_SHEET, LAWSUIT_SHEET, REVIEW_SHEET
from applications.ledger_export import blank_template, export_ledger
from applications.ledger_import import import_ledger
from applications.models import AdministrativeReview, Application, Lawsuit, Organization
from tests.support.factories import make_clock_stop, make_lawsuit, make_review, make_user
from tests.support.ledger_workbooks import cells

D = datetime.date
TODAY = datetime.datetime(2021, 11, 15, 10, 0)


@pytest.fixture
def ledger(office, make_application):
    """A ledger using every column the workbook can carry."""
    first = make_application(
        number="学府街道〔2021〕1号",
        received_on=D(2021, 9, 28),
        channel=Channel.ONLINE,
        applicant_type=ApplicantType.LEGAL_SERVICE,
        applicant_name="某律师事务所",
        applicant_id_number="91410300MA000000X",
        applicant_phone="0379-12345678",
        applicant_address="洛阳市洛龙区",
        content="第一行\r\n第二行",
        correction_received_on=D(2021, 9, 30),
        extended=True,
        answered_on=D(2021, 11, 10),
        outcome=Outcome.THIRD_PARTY_RIGHTS,
        fee_yuan=Decimal("12.50"),
        notes='=HYPERLINK("http://example.com")',
    )
    make_clock_stop(
        first,
        kind=ClockStopKind.THIRD_PARTY_OPINION,
        started_on=D(2021, 10, 11),
        ended_on=D(2021, 10, 20),
    )
    second = make_application(number="学府街道〔2021〕2号", received_on=D(2021, 10, 8))
    make_application(
        number="学府街道〔2021〕3号",
        received_on=D(2021, 10, 20),
        answered_on=D(2021, 11, 12),
        outcome=Outcome.OTHER,
    )
    make_application(
        number="学府街道〔2020〕7号", received_on=D(2020, 12, 30), answered_on=D(2021, 1, 5)
    )
    make_review(
        first,
        filed_on=D(2021, 11, 12),
        review_body="洛龙区人民政府",
        result=CaseResult.CORRECTED,
        concluded_on=D(2021, 11, 14),
    )
    make_review(second, filed_on=D(2021, 11, 1))
    make_lawsuit(first, filed_on=D(2021, 11, 15), after_review=True, court="洛龙区人民法院")
    return office


def export_to(path, organization, year=None, include_personal_data=True):
    export_ledger(organization, year, include_personal_data=include_personal_data).save(path)
    return load_workbook(path)


@time_machine.travel(TODAY, tick=False)
def test_export_writes_the_three_sheets_with_the_contract_columns(ledger, tmp_path):
    workbook = export_to(tmp_path / "out.xlsx", ledger)

    assert workbook.sheetnames == ["申请登记", "行政复议", "行政诉讼"]
    sheet = workbook["申请登记"]
    assert [cell.value for cell in sheet[1]] == [
        column.header for column in APPLICATION_SHEET.columns
    ]
    assert [cell.value for cell in workbook["行政复议"][1]] == [
        column.header for column in REVIEW_SHEET.columns
    ]
    assert [cell.value for cell in workbook["行政诉讼"][1]] == [
        column.header for column in LAWSUIT_SHEET.columns
    ]
    rows = {
        row[0].value: {h.value: c for h, c in zip(sheet[1], row, strict=False)}
        for row in sheet.iter_rows(min_row=2)
    }
    assert list(rows) == [
        "学府街道〔2020〕7号",
        "学府街道〔2021〕1号",
        "学府街道〔2021〕2号",
        "学府街道〔2021〕3号",
    ]
    first = rows["学府街道〔2021〕1号"]
    assert first["收到日期"].value == datetime.datetime(2021, 9, 28)
    assert first["收到日期"].number_format == "yyyy-mm-dd"
    assert first["申请人类型"].value == "法律服务机构"
    assert first["办理结果"].value == "3.4 保护第三方合法权益"
    assert first["延期答复"].value == "是"
    assert (first["征求意见日期"].value, first["第三方答复日期"].value) == (
        datetime.datetime(2021, 10, 11),
        datetime.datetime(2021, 10, 20),
    )
    assert first["信息处理费（元）"].value == 12.5
    assert first["答复期限"].value == datetime.datetime(2021, 12, 10)  # 9-30 + 40 + 7 working days
    assert first["答复期限"].number_format == "yyyy-mm-dd"
    assert first["办理状态"].value == "按期答复"
    assert rows["学府街道〔2021〕2号"]["办理状态"].value == "已逾期未答复"
    assert rows["学府街道〔2021〕3号"]["办理结果"].value == "6.3 其他"


@time_machine.travel(TODAY, tick=False)
def test_export_writes_user_text_as_text_never_as_a_formula(ledger, tmp_path):
    sheet = export_to(tmp_path / "out.xlsx", ledger)["申请登记"]
    notes = next(
        row for row in sheet.iter_rows(min_row=2) if row[0].value == "学府街道〔2021〕1号"
    )[16]

    assert notes.value == '=HYPERLINK("http://example.com")'
    assert notes.data_type == "s"
    assert notes.quotePrefix


@time_machine.travel(TODAY, tick=False)
def test_export_import_into_an_empty_database_export_gives_identical_cells(
    ledger, tmp_path, capsys
):
    name, short_name = ledger.name, ledger.short_name
    call_command("export_ledger", "--org", short_name, "--output", str(tmp_path / "first.xlsx"))
    Lawsuit.objects.all().delete()
    AdministrativeReview.objects.all().delete()
    Application.objects.all().delete()
    AuditEvent.objects.all().delete()
    Organization.objects.all().delete()

    call_command(
        "import_ledger",
        str(tmp_path / "first.xlsx"),
        "--org",
        name,
        "--create-org",
        "--short-name",
        short_name,
    )
    call_command("export_ledger", "--org", short_name, "--output", str(tmp_path / "second.xlsx"))

    assert Application.objects.count() == 4
    assert cells(tmp_path / "first.xlsx") == cells(tmp_path / "second.xlsx")


@time_machine.travel(TODAY, tick=False)
def test_reimporting_an_export_changes_nothing(ledger, tmp_path):
    export_to(tmp_path / "out.xlsx", ledger)
    history = Application.history.count()

    report = import_ledger(tmp_path / "out.xlsx", ledger)

    assert report.ok, [str(e) for e in report.errors]
    assert (report.applications.unchanged, report.reviews.unchanged, report.lawsuits.unchanged) == (
        4,
        2,
        1,
    )
    assert (report.applications.updated, report.reviews.updated, report.lawsuits.updated) == (
        0,
        0,
        0,
    )
    assert Application.history.count() == history


@time_machine.travel(TODAY, tick=False)
def test_export_by_year_takes_that_years_applications_and_their_cases(ledger, tmp_path):
    workbook = export_to(tmp_path / "out.xlsx", ledger, year=2020)

    assert [row[0] for row in workbook["申请登记"].iter_rows(min_row=2, values_only=True)] == [
        "学府街道〔2020〕7号"
    ]
    assert workbook["行政复议"].max_row == 1
    assert workbook["行政诉讼"].max_row == 1


def test_export_runs_a_fixed_number_of_queries(
    office, make_application, django_assert_max_num_queries
):
    for index in range(30):
        application = make_application(number=f"学府街道〔2021〕{index}号")
        make_clock_stop(
            application,
            kind=ClockStopKind.THIRD_PARTY_OPINION,
            started_on=D(2021, 3, 2),
            ended_on=D(2021, 3, 4),
        )
        make_review(application, filed_on=D(2021, 5, 1))

    with django_assert_max_num_queries(5):
        export_ledger(office).save(io.BytesIO())


def test_export_command_records_an_audit_event(ledger, tmp_path, capsys):
    call_command(
        "export_ledger",
        "--org",
        "学府街道",
        "--output",
        str(tmp_path / "out.xlsx"),
        "--year",
        "2021",
    )

    assert "已导出洛阳市洛龙区学府街道办事处2021年台账 3 件申请" in capsys.readouterr().out
    event = AuditEvent.objects.get()
    assert (event.action, event.organization) == (AuditEvent.Action.LEDGER_EXPORT, ledger)


@time_machine.travel(TODAY, tick=False)
def test_admin_export_downloads_the_same_workbook(admin_client, ledger, tmp_path):
    response = admin_client.get(
        reverse("admin:applications_application_ledger_export"),
        {"organization": ledger.pk, "year": "2021"},
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    downloaded = tmp_path / "download.xlsx"
    downloaded.write_bytes(b"".join(response.streaming_content))
    # The superuser belongs to no office and lacks the export permission: numbers come masked.
    export_to(tmp_path / "command.xlsx", ledger, year=2021, include_personal_data=False)
    assert cells(downloaded) == cells(tmp_path / "command.xlsx")
    assert AuditEvent.objects.get(action=AuditEvent.Action.LEDGER_EXPORT).detail.endswith(
        "证件号码和联系电话已打码"
    )


def test_admin_export_of_another_office_is_not_found(
    client, office, other_office, django_user_model
):
    from django.contrib.auth.models import Permission

    user = make_user("clerk", is_staff=True, organization=office)
    user.user_permissions.set(Permission.objects.filter(codename="view_application"))
    client.force_login(user)

    response = client.get(
        reverse("admin:applications_application_ledger_export"), {"organization": other_office.pk}
    )

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LEDGER_EXPORT).exists()


def test_blank_template_has_headers_a_sample_row_and_drop_downs(admin_client, tmp_path):
    response = admin_client.get(reverse("admin:applications_application_ledger_template"))
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content))

    workbook = load_workbook(path)
    assert workbook.sheetnames[:3] == ["申请登记", "行政复议", "行政诉讼"]
    assert workbook["选项"].sheet_state == "hidden"
    sheet = workbook["申请登记"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.header for column in APPLICATION_SHEET.columns if not column.computed]
    assert sheet["A2"].value == "示例街道〔2021〕1号"
    validations = {
        str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    assert validations["C2"] == '"自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他"'
    assert validations["G2"] == "'选项'!$A$1:$A$21"
    assert validations["I2"] == '"是,否"'
    assert [row[0] for row in workbook["选项"].iter_rows(values_only=True)][:3] == [
        "1 予以公开",
        "2 部分公开（区分处理的，只计这一情形，不计其他情形）",
        "3.1 属于国家秘密",
    ]
    lawsuit_validations = {
        str(v.sqref).split(":")[0]: v.formula1
        for v in workbook["行政诉讼"].data_validations.dataValidation
    }
    assert lawsuit_validations["C2"] == '"是,否"'


def test_the_blank_template_imports_cleanly(office, tmp_path):
    blank_template().save(tmp_path / "template.xlsx")

    report = import_ledger(tmp_path / "template.xlsx", office)

    assert report.ok and not report.warnings
    assert (report.applications.created, report.reviews.created, report.lawsuits.created) == (
        1,
        1,
        1,
    )


def personal_data_user(django_user_model, office, groups):
    user = make_user("clerk_pd", organization=office, is_staff=False)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "groups, full", [([CLERK], False), ([CLERK, PERSONAL_DATA_EXPORT_GROUP], True)]
)
def test_export_carries_full_numbers_only_with_the_explicit_permission(
    client, ledger, django_user_model, groups, full
):
    user = personal_data_user(django_user_model, ledger, groups)
    client.force_login(user)
    response = client.get(
        reverse("admin:applications_application_ledger_export"), {"organization": ledger.pk}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["申请登记"]
    header = [cell.value for cell in sheet[1]]
    id_numbers = [
        row[header.index("证件号码")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[header.index("证件号码")]
    ]
    assert id_numbers
    assert all("*" not in value for value in id_numbers) is full
    assert all("*" in value for value in id_numbers) is not full
    event = AuditEvent.objects.get(action=AuditEvent.Action.LEDGER_EXPORT)
    assert (event.user, event.organization) == (user, ledger)


@time_machine.travel(TODAY, tick=False)
def test_reimporting_a_masked_export_keeps_the_real_numbers(ledger, tmp_path):
    stored = {
        a.number: (a.applicant_id_number, a.applicant_phone) for a in Application.objects.all()
    }
    export_to(tmp_path / "masked.xlsx", ledger, include_personal_data=False)
    report = import_ledger(tmp_path / "masked.xlsx", ledger)
    assert not report.errors
    assert report.applications.updated == 0
    assert {
        a.number: (a.applicant_id_number, a.applicant_phone) for a in Application.objects.all()
    } == stored
