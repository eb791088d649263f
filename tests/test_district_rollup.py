"""A district's rollup: the sum of its offices in their different states, the status board,
the rollup workbook and command, query counts as offices grow, and who may see it."""

import datetime
import io
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from applications.choices import Outcome
from applications.models import Organization
from jobs import runner
from jobs.models import Job, this_worker
from jobs.outputs import output_path
from reports import intake, signoff
from reports.figures import checks as report_checks
from reports.figures import district as districts
from reports.figures import tables
from tests.support.district_ledger import (
    D,
    accepted_submission,
    application,
    district_user,
    sample_report,
)
from tests.support.factories import make_office, make_sign_off, make_user
from tests.support.jobs import (
    rollup_download,
    rollup_page,
    rollup_status,
    rollup_through_the_web,
    start_rollup,
)
from tests.support.pages import text_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
SIGNED_AT = datetime.datetime(2022, 1, 20, 9, 30, tzinfo=SHANGHAI)
TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def traveller():
    with time_machine.travel(SIGNED_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def offices_in_every_state(
    traveller, ledger, district, office, other_office, intake_office, reviewer, district_admin
):
    """学府街道 signed off, then its ledger changed; 开元路街道 live; 安乐镇 by workbook; the
    district's own ledger live."""
    signoff.sign_off(office, 2021, reviewer)
    traveller.move_to(TODAY)
    changed = ledger["a_dec31"]
    changed.answered_on = D(2021, 12, 31)
    changed.save()
    accepted_submission(intake_office, sample_report(), district_admin)
    application(district, D(2021, 2, 1), D(2021, 2, 10), Outcome.DISCLOSED, name="区本级申请人")
    application(other_office, D(2021, 8, 1), name="开元路申请人")
    return [office, other_office, intake_office]


def board(client, district, year=2021, **params):
    return client.get(reverse("reports:district", args=[district.pk, year]), params)


def test_rollup_equals_the_sum_of_the_offices_tables_cell_by_cell(
    offices_in_every_state, district, office, other_office, intake_office
):
    result = districts.rollup(district, 2021, offices_in_every_state)
    signed = tables.AnnualReport.from_json(signoff.latest_sign_off(office, 2021).figures)
    parts = [
        signed,
        tables.annual_report(other_office, 2021),
        sample_report(),
        tables.annual_report(district, 2021),
    ]
    expected = tables.sum_reports(parts)
    assert result.report.as_json() == expected.as_json()
    for table in ("table_two", "table_three", "table_four"):
        summed = result.report.as_json()[table]
        for row, columns in summed.items():
            for column, value in columns.items():
                cells = [part.as_json()[table][row][column] for part in parts]
                if table == "table_two" and row == "fees":
                    assert value == tables.format_wan(
                        sum(tables.Decimal(cell) for cell in cells)
                    ), (table, row, column)
                else:
                    assert value == sum(cells), (table, row, column)
    # The signed-off office counts as signed, not as its ledger now stands.
    assert signed.table_three.values["1"]["natural_person"] == 0
    assert tables.annual_report(office, 2021).table_three.values["1"]["natural_person"] == 1
    assert [row.source for row in result.rows] == ["live", "signed", "live", "submitted"]


def test_status_board_shows_state_version_checks_and_key_figures(
    offices_in_every_state, district_client, district, office, intake_office
):
    response = board(district_client, district)
    assert response.status_code == 200
    rows = {row.office.pk: row for row in response.context["rows"]}
    signed_row = rows[office.pk]
    assert (signed_row.source, signed_row.version_label, signed_row.drift) == (
        "signed",
        "第1版，2022年1月20日 09:30定稿",
        True,
    )
    assert (
        signed_row.new,
        signed_row.answered,
        signed_row.carried_out,
        signed_row.reviews,
        signed_row.lawsuits,
    ) == (6, 6, 2, 3, 3)
    assert rows[intake_office.pk].source == "submitted"
    text = text_of(response)
    assert "已定稿 第1版，2022年1月20日 09:30定稿 定稿后台账有变动，汇总仍按定稿" in text
    assert "已报送 第1版，2022年3月15日 10:00接收" in text
    assert (
        "定稿第1版的数字" in text
        and "报送工作簿第1版的数字" in text
        and "按当前台账计算的数字" in text
    )
    assert "洛阳市洛龙区人民政府（本级）" in text
    html = response.content.decode()
    assert reverse("reports:report", args=[office.pk, 2021]) in html
    assert (
        reverse(
            "reports:submission", args=[district.pk, 2021, intake_office.submitted_reports.get().pk]
        )
        in html
    )
    assert "汇总4个机关：已定稿1个、已接收报送工作簿1个、未定稿2个" in text


def test_status_board_shows_failing_checks_of_a_live_office(
    offices_in_every_state, district_client, district, other_office
):
    rows = {row.office.pk: row for row in board(district_client, district).context["rows"]}
    # 开元路街道's open application is overdue: a warning, not a failure; its balances hold.
    assert rows[other_office.pk].checks_label == "通过（1项提示）"


def test_board_counts_the_warnings_records_with_the_same_statuses_as_listing_them(
    offices_in_every_state, district, other_office
):
    """The board counts overdue applications and long-open cases in the database instead of
    listing them: the same check statuses and numbers as the office's own report."""
    offices = districts.district_offices(district, Organization.objects.all())
    ids = [district.pk, *(office.pk for office in offices)]
    reports = tables.annual_reports_by_office(ids, 2021)
    today = datetime.date(2022, 6, 30)
    listed = report_checks.checks_by_office(reports, 2021, today=today)
    counted = report_checks.checks_by_office(reports, 2021, today=today, listed=False)
    for pk in ids:
        assert [c.status for c in counted[pk]] == [c.status for c in listed[pk]]
        for check, named in zip(counted[pk], listed[pk], strict=True):
            if check.details != named.details:  # a warning: counted, not listed
                assert not check.details and check.status == report_checks.WARNING
                assert f"有{len(named.details)}件" in check.explanation
    assert any(c.status == report_checks.WARNING for c in counted[other_office.pk])


def test_board_sorts_on_the_server(
    offices_in_every_state, district_client, district, office, other_office, intake_office
):
    by_new = [
        row.office.pk for row in board(district_client, district, sort="-new").context["rows"]
    ]
    news = [row.new for row in board(district_client, district, sort="-new").context["rows"]]
    assert news == sorted(news, reverse=True)
    assert by_new[0] == intake_office.pk
    ascending = board(district_client, district, sort="new")
    assert [row.new for row in ascending.context["rows"]] == sorted(news)
    assert 'href="?sort=-new"' in ascending.content.decode()
    assert 'aria-sort="ascending"' in ascending.content.decode()
    by_status = [
        row.source for row in board(district_client, district, sort="status").context["rows"]
    ]
    assert by_status == ["signed", "submitted", "live", "live"]
    assert board(district_client, district, sort="nonsense").status_code == 200


def make_offices(district, count, user):
    """`count` offices under the district: a third signed off, a third by workbook, the rest live."""
    offices = []
    for index in range(count):
        office = make_office(f"测试{index}", name=f"测试第{index}街道办事处", parent=district)
        application(office, D(2021, 1 + index % 12, 1), D(2021, 12, 20), Outcome.DISCLOSED)
        application(office, D(2020, 6, 1))
        if index % 3 == 0:
            make_sign_off(office, 2021, user)
        elif index % 3 == 1:
            accepted_submission(office, sample_report(seed=index), user)
        offices.append(office)
    return offices


QUERY_LIMIT = 40
# The rollup: tables 二, 三, 四 and fees grouped by office, the settled versions, last
# year's tables 二 as they stand, the overdue and long-open warnings.
ROLLUP_QUERY_LIMIT = 16
# Queueing the rollup workbook (the board's checks, the job) and, in tests inside the same
# request, making it (the rollup's queries, the job's start, progress and end).
ROLLUP_JOB_QUERY_LIMIT = 50


@pytest.mark.parametrize("count", [10, 50])
def test_board_and_rollup_cost_the_same_queries_for_10_and_50_offices(
    traveller, district, district_admin, client, count, django_assert_max_num_queries
):
    offices = make_offices(district, count, district_admin)
    traveller.move_to(TODAY)
    with django_assert_max_num_queries(ROLLUP_QUERY_LIMIT):
        result = districts.rollup(district, 2021, offices)
    assert len(result.rows) == count
    client.force_login(district_admin)
    with django_assert_max_num_queries(QUERY_LIMIT):
        response = board(client, district)
    assert response.status_code == 200
    # The workbook's job runs inside this request in tests: queueing it and making it.
    with django_assert_max_num_queries(ROLLUP_JOB_QUERY_LIMIT):
        assert start_rollup(client, district).status_code == 302
    assert Job.objects.get().ok


def test_rollup_workbook_has_the_summary_each_office_the_board_and_charts(
    offices_in_every_state, district_client, district_admin, district
):
    _job, content = rollup_through_the_web(district_client, district_admin, district)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "汇总",
        "洛龙区",
        "学府街道",
        "安乐镇",
        "开元路街道",
        "报送情况",
        "指标",
        "图表",
    ]  # offices by full name
    result = districts.rollup(
        district, 2021, districts.district_offices(district, Organization.objects.all())
    )
    # Each sheet is in the official layout: the intake reader finds the same figures in it.
    expected = {"汇总": result.report, **{row.office.short_name: row.report for row in result.rows}}
    for name, report in expected.items():
        single = load_workbook(io.BytesIO(content))
        for other in list(single.sheetnames):
            if other != name:
                single.remove(single[other])
        buffer = io.BytesIO()
        single.save(buffer)
        reading = intake.read_workbook(buffer.getvalue(), 2021)
        assert reading.errors == [], name
        assert reading.report.table_two.as_json() == report.table_two.as_json(), name
        assert reading.report.table_three.as_json() == report.table_three.as_json(), name
        assert reading.report.table_four.as_json() == report.table_four.as_json(), name
    status = [[cell.value for cell in row] for row in workbook["报送情况"].iter_rows(min_row=3)]
    assert status[0] == districts.STATUS_HEADERS
    assert [row[0] for row in status[1:]] == [row.name for row in result.rows]
    assert status[2][1] == "已定稿（定稿后台账有变动）"


def test_command_writes_the_rollup_workbook_and_json(offices_in_every_state, district, tmp_path):
    output = tmp_path / "rollup.xlsx"
    out = StringIO()
    call_command(
        "annual_report",
        "--org",
        "洛龙区",
        "--year",
        "2021",
        "--rollup",
        "--output",
        str(output),
        stdout=out,
    )
    assert "已生成洛阳市洛龙区人民政府2021年度报告汇总" in out.getvalue()
    assert load_workbook(output).sheetnames[0] == "汇总"
    data_file = tmp_path / "rollup.json"
    call_command(
        "annual_report",
        "--org",
        "洛龙区",
        "--year",
        "2021",
        "--rollup",
        "--output",
        str(data_file),
        stdout=StringIO(),
    )
    data = json.loads(data_file.read_text(encoding="utf-8"))
    result = districts.rollup(district, 2021, offices_in_every_state)
    assert data["table_three"] == result.report.as_json()["table_three"]
    sources = {office["short_name"]: office["source"] for office in data["offices"]}
    assert sources == {
        "洛龙区": "live",
        "学府街道": "signed",
        "开元路街道": "live",
        "安乐镇": "submitted",
    }


def test_rollup_command_refuses_an_office_without_offices_and_a_docx(ledger, tmp_path):
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "annual_report",
            "--org",
            "学府街道",
            "--year",
            "2021",
            "--rollup",
            "--output",
            str(tmp_path / "r.xlsx"),
            stderr=err,
        )
    assert "没有下级机关，无法汇总" in err.getvalue()
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "annual_report",
            "--org",
            "学府街道",
            "--year",
            "2021",
            "--rollup",
            "--output",
            str(tmp_path / "r.docx"),
            stderr=err,
        )
    assert "扩展名应为 .xlsx（Excel 工作簿）或 .json（表格数据）" in err.getvalue()


def test_a_later_accepted_workbook_replaces_an_earlier_sign_off(
    traveller, ledger, district, office, other_office, reviewer, district_admin
):
    signoff.sign_off(office, 2021, reviewer)
    traveller.move_to(TODAY)
    accepted_submission(office, sample_report(), district_admin)
    row = next(
        row
        for row in districts.rollup(district, 2021, [office, other_office]).rows
        if row.office == office
    )
    assert row.source == "submitted"
    assert row.report.as_json() == sample_report().as_json()


# --- Who may see it ----------------------------------------------------------------------


def test_another_districts_board_rollup_and_intake_are_not_found(district_client, other_district):
    for name in ("district", "intake"):
        assert (
            district_client.get(
                reverse(f"reports:{name}", args=[other_district.pk, 2021])
            ).status_code
            == 404
        )
    assert start_rollup(district_client, other_district).status_code == 404
    assert not Job.objects.exists()


def test_an_office_user_cannot_reach_the_district_board(clerk_client, district):
    assert board(clerk_client, district).status_code == 404


def test_a_district_user_without_the_subordinate_permission_gets_not_found(
    client, django_user_model, district
):
    user = make_user("benji", organization=district, is_staff=False)
    client.force_login(user)
    assert board(client, district).status_code == 404


def test_an_office_without_offices_under_it_has_no_board(district_client, district, office):
    assert board(district_client, office).status_code == 404


def test_board_requires_login(client, district):
    assert board(client, district).status_code == 302


def test_the_report_index_links_to_the_district_board(traveller, district_client, district):
    html = district_client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:district", args=[district.pk, 2021]) in html


# --- The rollup workbook as a background job ---------------------------------------------


def sheet_values(content):
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in load_workbook(io.BytesIO(content)).worksheets
    }


def test_the_rollup_job_makes_the_workbook_of_the_synchronous_builder(
    offices_in_every_state, district_client, district_admin, district
):
    job, content = rollup_through_the_web(district_client, district_admin, district)

    offices = districts.district_offices(district, Organization.objects.all())
    result = districts.rollup(district, 2021, offices)
    built = districts.rollup_workbook(result, districts.rollup_charts(result))
    assert (
        load_workbook(io.BytesIO(content)).sheetnames == load_workbook(io.BytesIO(built)).sheetnames
    )
    assert sheet_values(content) == sheet_values(built)
    assert job.filename == "洛龙区2021年政府信息公开工作年度报告汇总.xlsx"
    event = AuditEvent.objects.get(action=AuditEvent.Action.REPORT_DOWNLOAD)
    assert (event.user, event.organization, event.detail) == (
        district_admin,
        district,
        "2021年度报告汇总工作簿",
    )


def test_the_board_queues_the_rollup_workbook_and_its_page_offers_the_download(
    traveller, ledger, district_client, district_admin, district
):
    page = board(district_client, district).content.decode()
    assert f'action="{reverse("reports:district_workbook", args=[district.pk, 2021])}"' in page
    assert 'method="post"' in page and "生成汇总工作簿" in page

    job, _content = rollup_through_the_web(district_client, district_admin, district)

    text = text_of(district_client.get(rollup_page(job)))
    assert "已生成“洛龙区2021年政府信息公开工作年度报告汇总.xlsx”" in text
    assert "汇总了 2 个机关的数字，其中 0 个采用报送工作簿" in text  # the district has no ledger
    assert "下载汇总工作簿" in text
    listed = board(district_client, district).content.decode()
    assert "最近生成的汇总工作簿" in listed and rollup_page(job) in listed


def test_a_rollup_being_made_shows_its_stage_and_progress_in_chinese(
    traveller, district_client, district_admin, district
):
    job = Job.objects.create(
        kind=Job.Kind.ROLLUP_WORKBOOK,
        user=district_admin,
        organization=district,
        params={"year": 2021},
        status=Job.Status.RUNNING,
        worker=this_worker(),
        stage="写入工作簿…",
        rows_total=3,
        rows_read=3,
        rows_checked=3,
    )

    html = district_client.get(rollup_page(job)).content.decode()
    state = district_client.get(rollup_status(job)).json()

    assert '<progress id="job-checked" max="3" value="3">' in html
    assert '<progress id="job-written" max="3" value="0">' in html
    assert "写入工作簿…" in html and "可以离开这个页面" in html
    assert f'data-status-url="{rollup_status(job)}" data-unit="个下级机关"' in html
    assert (state["stage"], state["checked"], state["written"]) == ("写入工作簿…", 3, 0)
    assert district_client.get(rollup_download(job))["Location"] == rollup_page(job)


def test_a_district_user_of_another_district_cannot_start_or_download_the_rollup(
    traveller, ledger, client, district_admin, district, other_district, django_user_model
):
    client.force_login(district_admin)
    job, _content = rollup_through_the_web(client, district_admin, district)
    AuditEvent.objects.all().delete()
    stranger = district_user(django_user_model, other_district, username="xigong")
    client.force_login(stranger)

    assert start_rollup(client, district).status_code == 404
    for url in (rollup_page(job), rollup_status(job), rollup_download(job)):
        assert client.get(url).status_code == 404, url
    assert Job.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REPORT_DOWNLOAD).exists()


def test_a_district_user_without_the_download_permission_cannot_start_the_rollup(
    traveller, client, district, django_user_model
):
    reader = make_user("reader", district, is_staff=False)
    reader.user_permissions.add(Permission.objects.get(codename="view_subordinate_offices"))
    client.force_login(reader)
    assert board(client, district).status_code == 200

    response = start_rollup(client, district)

    assert response.status_code == 403
    assert "您没有下载年度报告（工作簿、Word文档）的权限" in response.content.decode()
    assert not Job.objects.exists()


def test_a_rollup_whose_district_has_no_offices_left_fails_with_a_reason_in_chinese(
    traveller, district_client, district_admin, district, office, other_office
):
    job = Job.objects.create(
        kind=Job.Kind.ROLLUP_WORKBOOK,
        user=district_admin,
        organization=district,
        params={"year": 2021},
    )
    Organization.objects.filter(parent=district).update(parent=None)  # moved before it ran

    runner.run(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors == [
        {
            "message": "洛阳市洛龙区人民政府已没有您可以查看的下级机关，无法汇总。"
            "请回到“年度报告”页面重新选择，或请系统管理员检查机关的上级设置和您的权限。"
        }
    ]
    assert not output_path(job.pk).exists()
