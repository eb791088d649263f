"""Charts of the report page, the district board and the workbook: figures, queries, text equivalents."""

import datetime
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from applications.choices import Outcome
from reports import signoff
from reports.figures import tables, trends
from tests.support.district_ledger import D, accepted_submission, application, sample_report

TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


# 学府街道's 2021 applications by month of receipt (tests.support.report_ledger): same_day March,
# withdrawn April, partly May, fee_unpaid July, open November, a_dec31 31 December.
MONTHLY_2021 = [0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1]


def test_monthly_counts_are_right_and_take_one_query(ledger, office, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert trends.monthly_received([office.pk], 2021) == MONTHLY_2021


def test_monthly_counts_put_31_december_and_1_january_in_their_own_years(db, office):
    application(office, D(2021, 12, 31))
    application(office, D(2022, 1, 1))
    application(office, D(2021, 1, 1))
    assert trends.monthly_received([office.pk], 2021) == [1] + [0] * 10 + [1]
    assert trends.monthly_received([office.pk], 2022) == [1] + [0] * 11


def test_outcome_mix_groups_table_three_without_a_query(ledger, office, django_assert_num_queries):
    three = tables.annual_report(office, 2021).table_three
    with django_assert_num_queries(0):
        mix = trends.outcome_mix(three)
    assert mix == [
        ("（一）予以公开", 1),
        ("（二）部分公开", 1),
        ("（三）不予公开", 1),
        ("（四）无法提供", 1),
        ("（五）不予处理", 0),
        ("（六）其他处理", 2),
    ]
    assert sum(value for _, value in mix) == three.values["total"]["total"]


def test_five_years_come_from_one_grouped_query_and_the_settled_versions(
    ledger, office, django_assert_num_queries
):
    with django_assert_num_queries(3):
        years = trends.five_years([office.pk], 2021)
    assert years == [
        (2017, 0, 0, 0),
        (2018, 0, 0, 0),
        (2019, 1, 0, 1),
        (2020, 2, 1, 2),
        (2021, 6, 6, 2),
    ]


def test_five_years_use_a_signed_off_year_as_signed(ledger, office, reviewer):
    signoff.sign_off(office, 2021, reviewer)
    ledger["open"].answered_on = D(2021, 12, 30)
    ledger["open"].outcome = Outcome.DISCLOSED
    ledger["open"].save()
    assert trends.five_years([office.pk], 2021)[-1] == (2021, 6, 6, 2)
    assert trends.five_years([office.pk], 2021, live_current=True)[-1] == (2021, 6, 7, 1)


def test_report_page_shows_three_charts_with_text_and_a_table_each(clerk_client, office, ledger):
    response = clerk_client.get(reverse("reports:report", args=[office.pk, 2021]))
    charts = response.context["charts"]
    assert [chart.title for chart in charts] == [
        "2021年每月收到的申请（件）",
        "2021年办理结果构成（件）",
        "2017—2021年新收、办结和结转下年的申请（件）",
    ]
    assert [row[1] for row in charts[0].rows] == MONTHLY_2021
    html = response.content.decode()
    section = html[html.index('id="charts"') :]
    assert section.count("<svg") == 3
    assert section.count('class="visually-hidden"') == 3
    assert "2021年每月收到的申请（件）。1月：收到0。2月：收到0。3月：收到1。" in section
    assert section.count('class="table table-sm table-bordered gk-chart-data"') == 3
    assert "<caption>2017—2021年新收、办结和结转下年的申请（件）</caption>" in section
    assert re.search(r"<th scope=\"row\">2021年</th><td>6</td><td>6</td><td>2</td>", section)


def test_workbook_has_native_bar_charts_with_their_figures_beside_them(
    reviewer_client, office, ledger
):
    content = reviewer_client.get(reverse("reports:workbook", args=[office.pk, 2021])).content
    sheet = load_workbook(io.BytesIO(content))["图表"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(max_col=4)]
    months = next(index for index, row in enumerate(values) if row[:2] == ["月份", "收到"])
    assert [row[1] for row in values[months + 1 : months + 13]] == MONTHLY_2021
    years = next(index for index, row in enumerate(values) if row[0] == "年度")
    assert values[years] == ["年度", "新收", "办结", "结转下年"]
    assert values[years + 5] == ["2021年", 6, 6, 2]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        assert len(charts) == 3
        xml = archive.read(charts[0]).decode()
    assert "<barChart>" in xml
    assert "<f>'图表'!$B$5:$B$16</f>" in xml


def test_district_board_charts_cover_every_office(
    district_client, district, office, other_office, intake_office, district_admin, ledger
):
    application(other_office, D(2021, 3, 5))
    accepted_submission(intake_office, sample_report(), district_admin)
    response = district_client.get(reverse("reports:district", args=[district.pk, 2021]))
    monthly, mix, years = response.context["charts"]
    expected = list(MONTHLY_2021)
    expected[2] += 1  # the application above
    expected[5] += 1  # 开元路街道's application in the ledger of tests.support.report_ledger, June
    assert [row[1] for row in monthly.rows] == expected
    rollup = response.context["rollup"].report
    assert sum(row[1] for row in mix.rows) == rollup.table_three.values["total"]["total"]
    assert years.rows[-1] == [
        "2021年",
        rollup.table_three.values["new"]["total"],
        rollup.table_three.values["total"]["total"],
        rollup.table_three.values["carried_out"]["total"],
    ]
    assert "1个报送工作簿的机关没有按月数据" in response.content.decode()
