import datetime
import io
import os
import re
import time
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from accounts.models import AuditEvent
from accounts.roles import CLERK, PERSONAL_DATA_EXPORT_GROUP
from applications.choices import ApplicantType, CaseResult, Channel, ClockStopKind, Outcome
from applications.ledger import APPLICATION_SHEET, LAWSUIT_SHEET, REVIEW_SHEET
from applications.ledger_export import blank_template, export_ledger
from applications.ledger_import import import_ledger
from applications.models import AdministrativeReview, Application, Lawsuit, Organization
from jobs.models import Job, this_worker
from jobs.outputs import OUTPUT_DIR, output_path
from tests.support.factories import (
    make_clock_stop,
    make_lawsuit,
    make_review,
    make_superuser,
    make_user,
)
from tests.support.jobs import (
    EXPORT,
    export_download,
    export_page,
    export_status,
    export_through_the_web,
    start_export,
)
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
def test_admin_export_downloads_the_same_workbook(admin_client, admin_user, ledger, tmp_path):
    job, data = export_through_the_web(admin_client, admin_user, ledger, 2021)

    # The superuser belongs to no office and lacks the export permission: numbers come masked.
    export_to(tmp_path / "command.xlsx", ledger, year=2021, include_personal_data=False)
    assert cells(io.BytesIO(data)) == cells(tmp_path / "command.xlsx")
    assert job.filename == "学府街道政府信息公开申请台账（2021年）.xlsx"
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

    response = start_export(client, other_office)

    assert response.status_code == 404
    assert not Job.objects.exists()
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
    _job, data = export_through_the_web(client, user, ledger)
    sheet = load_workbook(io.BytesIO(data))["申请登记"]
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


# --- The export as a background job ------------------------------------------------------


def full_numbers_clerk(office):
    """A clerk of the office who may export ID numbers and phones in full (as the command does)."""
    return personal_data_user(None, office, [CLERK, PERSONAL_DATA_EXPORT_GROUP])


def test_an_export_request_queues_a_job_and_redirects_to_its_progress_page(
    client, ledger, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # no worker
    user = full_numbers_clerk(ledger)
    client.force_login(user)

    response = start_export(client, ledger, 2021)

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == export_page(job)
    assert (job.kind, job.status, job.user, job.organization) == (
        "ledger_export",
        "queued",
        user,
        ledger,
    )
    assert job.params == {"year": 2021, "personal_data": True}
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [str(job.pk)]
    page = client.get(export_page(job)).content.decode()
    assert "正在排队" in page and "可以离开这个页面" in page
    assert f'data-status-url="{export_status(job)}"' in page
    assert client.get(export_download(job))["Location"] == export_page(job)


@time_machine.travel(TODAY, tick=False)
def test_the_finished_exports_download_is_the_workbook_the_command_writes(client, ledger, tmp_path):
    user = full_numbers_clerk(ledger)
    client.force_login(user)

    job, data = export_through_the_web(client, user, ledger)

    call_command("export_ledger", "--org", "学府街道", "--output", str(tmp_path / "command.xlsx"))
    assert cells(io.BytesIO(data)) == cells(tmp_path / "command.xlsx")
    page = client.get(export_page(job)).content.decode()
    assert "已生成“学府街道政府信息公开申请台账.xlsx”：共 4 件申请" in page
    assert f'href="{export_download(job)}"' in page


def test_the_export_status_reports_the_rows_written(client, ledger):
    user = full_numbers_clerk(ledger)
    client.force_login(user)
    job, _data = export_through_the_web(client, user, ledger)

    state = client.get(export_status(job)).json()

    # 4 applications, 2 reviews and 1 lawsuit.
    assert state == {
        "status": "succeeded",
        "status_label": "已完成",
        "finished": True,
        "stage": "已完成",
        "total": 7,
        "read": 0,
        "checked": 0,
        "written": 7,
    }


def test_another_offices_staff_cannot_see_or_download_the_export(
    client, ledger, other_office, django_user_model
):
    owner = full_numbers_clerk(ledger)
    client.force_login(owner)
    job, _data = export_through_the_web(client, owner, ledger)
    AuditEvent.objects.all().delete()
    colleague = make_user("colleague", ledger, [CLERK], is_staff=True)
    stranger = make_user("stranger", other_office, [CLERK], is_staff=True)

    for user in (stranger, colleague):
        client.force_login(user)
        for url in (export_page(job), export_status(job), export_download(job)):
            assert client.get(url).status_code == 404, (user, url)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LEDGER_EXPORT).exists()


def test_a_running_export_shows_the_rows_written_as_a_progress_bar(client, ledger):
    user = full_numbers_clerk(ledger)
    client.force_login(user)
    job = Job.objects.create(
        kind=Job.Kind.LEDGER_EXPORT,
        user=user,
        organization=ledger,
        status=Job.Status.RUNNING,
        worker=this_worker(),
        stage="已写入 120/500 行",
        rows_total=500,
        rows_written=120,
        params={"year": None, "personal_data": False},
    )

    text = client.get(export_page(job)).content.decode()

    assert '<progress id="job-written" max="500" value="120">' in text
    assert "已写入 120/500 行" in text and "证件号码和联系电话已打码" in text
    assert client.get(export_status(job)).json()["written"] == 120
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert any("js/job-progress.js" in tag for tag in scripts)


def test_recent_exports_are_listed_on_the_export_page(client, ledger):
    user = full_numbers_clerk(ledger)
    client.force_login(user)
    job, _data = export_through_the_web(client, user, ledger, 2021)

    text = client.get(reverse(EXPORT)).content.decode()

    assert "最近的导出" in text and export_page(job) in text
    assert "学府街道政府信息公开申请台账（2021年）.xlsx" in text and "共 3 件申请" in text


def test_an_export_that_cannot_save_its_file_fails_with_a_reason_in_chinese(
    client, ledger, settings
):
    media = settings.MEDIA_ROOT
    media.mkdir(parents=True)
    (media / OUTPUT_DIR).write_text("不是文件夹")  # the folder for exports cannot be made
    user = full_numbers_clerk(ledger)
    client.force_login(user)

    start_export(client, ledger)

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    page = client.get(export_page(job)).content.decode()
    assert "导出没有完成，没有生成文件" in page
    assert "生成的工作簿无法保存到服务器（文件目录无法写入）" in page
    assert f"请把任务编号 {job.pk} 告诉系统管理员" in page
    assert export_download(job) not in page


def test_a_full_numbers_export_is_not_handed_to_a_user_without_the_permission(client, ledger):
    owner = full_numbers_clerk(ledger)
    client.force_login(owner)
    job, _data = export_through_the_web(client, owner, ledger)
    AuditEvent.objects.all().delete()
    client.force_login(make_superuser("root"))

    assert client.get(export_page(job)).status_code == 200
    response = client.get(export_download(job))

    assert response.status_code == 403
    assert "您没有导出个人信息的权限" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LEDGER_EXPORT).exists()


def test_an_export_whose_file_is_gone_asks_to_export_again(client, ledger):
    user = full_numbers_clerk(ledger)
    client.force_login(user)
    job, _data = export_through_the_web(client, user, ledger)
    output_path(job.pk).unlink()

    response = client.get(export_download(job), follow=True)

    assert "导出的文件已超过保存期限被删除，请重新导出" in response.content.decode()


def test_deleting_an_export_job_removes_its_file(client, ledger):
    user = full_numbers_clerk(ledger)
    client.force_login(user)
    job, _data = export_through_the_web(client, user, ledger)
    assert output_path(job.pk).exists()

    Job.objects.filter(pk=job.pk).delete()

    assert not output_path(job.pk).exists()


def test_purging_removes_exports_older_than_a_week(client, ledger, capsys):
    user = full_numbers_clerk(ledger)
    client.force_login(user)
    old, _data = export_through_the_web(client, user, ledger)
    fresh, _data = export_through_the_web(client, user, ledger)
    eight_days_ago = time.time() - 8 * 24 * 3600
    os.utime(output_path(old.pk), (eight_days_ago, eight_days_ago))

    call_command("purge_uploads")

    assert not output_path(old.pk).exists() and output_path(fresh.pk).exists()
    assert "1 个过期的导出文件" in capsys.readouterr().out


def test_the_export_download_runs_a_fixed_number_of_queries(
    client, office, make_application, django_assert_max_num_queries
):
    user = full_numbers_clerk(office)
    client.force_login(user)
    for index in range(30):
        make_application(number=f"学府街道〔2021〕{index}号")
    job, _data = export_through_the_web(client, user, office)

    with django_assert_max_num_queries(10):
        assert client.get(export_download(job)).status_code == 200
