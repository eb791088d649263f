"""A district's rollup: the sum of its offices in their different states, the status board,
the rollup workbook and command, query counts as offices grow, and who may see it."""

import datetime
import io
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from applications.choices import Outcome
from applications.models import Organization
from reports import intake, signoff
from reports.figures import district as districts
from reports.figures import tables
from tests.support.district_ledger import (
    D,
    accepted_submission,
    application,
    sample_report,
)
from tests.support.factories import make_office, make_sign_off, make_user
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


@pytest.mark.parametrize("count", [10, 50])
def test_board_and_rollup_cost_the_same_queries_for_10_and_50_offices(
    traveller, district, district_admin, client, count, django_assert_max_num_queries
):
    offices = make_offices(district, count, district_admin)
    traveller.move_to(TODAY)
    with django_assert_max_num_queries(20):
        result = districts.rollup(district, 2021, offices)
    assert len(result.rows) == count
    client.force_login(district_admin)
    with django_assert_max_num_queries(QUERY_LIMIT):
        response = board(client, district)
    assert response.status_code == 200
    with django_assert_max_num_queries(QUERY_LIMIT):
        assert (
            client.get(reverse("reports:district_workbook", args=[district.pk, 2021])).status_code
            == 200
        )


def test_rollup_workbook_has_the_summary_each_office_the_board_and_charts(
    offices_in_every_state, district_client, district
):
    response = district_client.get(reverse("reports:district_workbook", args=[district.pk, 2021]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
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
        single = load_workbook(io.BytesIO(response.content))
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
    for name in ("district", "district_workbook", "intake"):
        assert (
            district_client.get(
                reverse(f"reports:{name}", args=[other_district.pk, 2021])
            ).status_code
            == 404
        )


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
