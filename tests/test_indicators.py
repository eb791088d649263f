"""Indicators per office on the district board and in the rollup workbook, with flags."""

import datetime
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from applications.choices import ApplicantType, Outcome
from applications.demo import DISTRICT_NAME, OFFICE_NAME
from applications.models import Application, Organization
from reports.figures import district as districts
from reports.figures import tables
from reports.figures.indicators import (
    DEFAULT_THRESHOLDS,
    NO_OVERDUE_FIGURE,
    office_indicators,
    overdue_answers_by_office,
)
from reports.models import IndicatorThresholds
from tests.support.district_ledger import accepted_submission
from tests.support.jobs import rollup_through_the_web

TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def report_of(
    new=40, disclosed=10, partly=5, answered=40, review=(7, 2, 1, 0), lawsuit=(9, 1, 0, 0)
):
    """A report with the figures the indicators use (total column only)."""
    report = tables.empty_report(2021)
    three, four = report.table_three.values, report.table_four.values
    three["new"]["total"], three["1"]["total"], three["2"]["total"] = new, disclosed, partly
    three["total"]["total"] = answered
    for code, parts in (("review", review), ("lawsuit_direct", lawsuit)):
        for column, value in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            four[code][column] = value
        four[code]["total"] = sum(parts)
    return report


def values(report, thresholds=DEFAULT_THRESHOLDS, overdue=0):
    return {value.label: value for value in office_indicators(report, thresholds, overdue)}


def test_rates_are_worked_out_and_explained_with_their_figures():
    found = values(report_of())
    assert found["实质公开率"].shown == "37.5%"
    assert (
        "（予以公开 + 部分公开）÷ 办结（表三（七）总计） = 15 ÷ 40 = 37.5%"
        in found["实质公开率"].explanation
    )
    assert found["复议纠错率"].shown == "20.0%"  # 2 ÷ (7 + 2 + 1)
    assert found["诉讼纠错率"].shown == "10.0%"  # 1 ÷ (9 + 1 + 0)
    assert found["复议诉讼率"].shown == "50.0%"  # (10 + 10) ÷ 40
    assert found["逾期答复"].shown == "0件"


def test_default_thresholds_flag_red_and_yellow():
    found = values(report_of())
    assert found["实质公开率"].flag == "red"  # 37.5% < 40%
    assert found["复议纠错率"].flag == "red"  # 20% > 15%
    assert found["诉讼纠错率"].flag == ""  # 10% is not above 10%
    yellow = values(report_of(disclosed=12, partly=5, lawsuit=(22, 3, 0, 0)))
    assert yellow["实质公开率"].flag == "yellow"  # 17 ÷ 40 = 42.5%: below 45%, not below 40%
    assert yellow["诉讼纠错率"].flag == "yellow"  # 3 ÷ 25 = 12%: above 10%, not above 15%


def test_an_office_with_fewer_than_30_new_applications_is_not_rated():
    found = values(report_of(new=29))
    assert found["实质公开率"].flag == "" and found["复议纠错率"].flag == ""
    assert "本年新收申请少于30件，不评级。" in found["实质公开率"].explanation


def test_a_rate_without_a_denominator_is_a_dash():
    found = values(report_of(answered=0, review=(0, 0, 0, 3)))
    assert found["实质公开率"].shown == found["复议纠错率"].shown == "—"


def test_thresholds_set_by_the_district_replace_the_defaults(district):
    thresholds = IndicatorThresholds.objects.create(
        organization=district, disclosure_red=Decimal(30), disclosure_yellow=Decimal(38)
    )
    assert values(report_of(), thresholds)["实质公开率"].flag == "yellow"


def test_thresholds_in_the_wrong_order_are_a_form_error_in_the_admin(district_client, district):
    response = district_client.post(
        reverse("admin:reports_indicatorthresholds_add"),
        {
            "organization": district.pk,
            "correction_yellow": "20",
            "correction_red": "15",
            "disclosure_yellow": "45",
            "disclosure_red": "40",
            "minimum_applications": "30",
        },
    )
    assert response.status_code == 200
    assert "纠错率的黄色警示线不能高于红色警示线" in response.content.decode()
    assert not IndicatorThresholds.objects.exists()


def test_answers_after_the_deadline_are_counted_per_office(district, intake_office):
    office = intake_office
    for received, answered in [
        (datetime.date(2021, 3, 1), datetime.date(2021, 3, 10)),  # in time
        (datetime.date(2021, 3, 1), datetime.date(2021, 5, 20)),  # late
    ]:
        Application.objects.create(
            organization=office,
            received_on=received,
            applicant_type=ApplicantType.NATURAL_PERSON,
            applicant_name="张三",
            content="申请公开辖区道路改造计划",
            answered_on=answered,
            outcome=Outcome.DISCLOSED,
        )
    assert overdue_answers_by_office([office.pk], 2021) == {office.pk: 1}


def board(client, district):
    return client.get(reverse("reports:district", args=[district.pk, 2021])).content.decode()


def office_row(html, office):
    """The board's row of indicators of one office."""
    return html.split(f'<tr data-office="{office.pk}">', 1)[1].split("</tr>", 1)[0]


def test_the_board_shows_each_offices_indicators_with_flags_explained_on_hover(
    district_client, district, district_admin, intake_office
):
    accepted_submission(intake_office, report_of(), district_admin)
    html = board(district_client, district)
    assert 'id="indicator-legend"' in html
    assert "红色：复议或诉讼纠错率高于15%" in html
    assert (
        'class="board-figure indicator-red" title="实质公开率 = （予以公开 + 部分公开）÷ 办结（表三（七）总计） = 15 ÷ 40 = 37.5%。低于红色警示线40%。"'
        in html
    )


def test_an_office_that_only_sends_workbooks_shows_a_dash_for_overdue_answers_explained(
    district_client, district, district_admin, intake_office
):
    accepted_submission(intake_office, report_of(), district_admin)
    row = office_row(board(district_client, district), intake_office)
    assert f'title="{NO_OVERDUE_FIGURE}" data-flag="">—</td>' in row
    assert "工作簿（国家格式）中没有逾期答复件数这项数字" in NO_OVERDUE_FIGURE


def test_the_rollup_workbook_carries_the_indicators_and_their_explanations(
    district_client, district, district_admin, intake_office
):
    accepted_submission(intake_office, report_of(), district_admin)
    _job, content = rollup_through_the_web(district_client, district_admin, district)
    sheet = load_workbook(io.BytesIO(content))["指标"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    row = rows["洛阳市洛龙区安乐镇人民政府"]
    assert row[1:6] == ("37.5%（红色警示）", "20.0%（红色警示）", "10.0%", "50.0%", "—")
    assert "15 ÷ 40 = 37.5%" in row[6]
    assert "红色：复议或诉讼纠错率高于15%" in sheet["A2"].value


def test_the_demo_districts_board_and_rollup_workbook_show_the_indicators_with_flags(db, client):
    call_command("seed_demo")
    district = Organization.objects.get(name=DISTRICT_NAME)
    office = Organization.objects.get(name=OFFICE_NAME)
    client.force_login(get_user_model().objects.get(username="quji"))
    row = office_row(board(client, district), office)
    assert re.findall(r'data-flag="(red|yellow)"', row)  # the demo crosses the default lines
    assert 'title="实质公开率 = （予以公开 + 部分公开）÷ 办结' in row
    result = districts.rollup(district, 2021, [office])
    sheet = load_workbook(io.BytesIO(districts.rollup_workbook(result)))["指标"]
    [figures] = [
        row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == OFFICE_NAME
    ]
    assert any("警示" in str(value) for value in figures[1:6])
