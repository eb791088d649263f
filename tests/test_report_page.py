import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.urls import reverse

from reports.figures import tables
from reports.signoff import report_years
from tests.support.factories import make_application
from tests.support.pages import cell_texts, table_html, text_of
from tests.support.report_ledger import FORMULA

TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def page_url(office, year=2021):
    return reverse("reports:report", args=[office.pk, year])


def test_report_page_requires_login(client, office):
    response = client.get(page_url(office))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_another_offices_report_is_not_found(clerk_client, other_office):
    assert clerk_client.get(page_url(other_office)).status_code == 404
    assert (
        clerk_client.get(reverse("reports:workbook", args=[other_office.pk, 2021])).status_code
        == 404
    )


def test_a_future_year_is_not_found(clerk_client, office):
    assert clerk_client.get(page_url(office, 2023)).status_code == 404


def test_page_shows_sections_one_to_six_in_order(clerk_client, office, ledger):
    text = text_of(clerk_client.get(page_url(office)))
    titles = [
        "一、总体情况",
        "（一）主动公开情况。",
        "全年主动公开各类信息500余条。",
        "（五）政府信息公开监督保障情况。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "政府信息公开时效性还需要提高。",
        "六、其他需要报告的事项",
        "本年度共对2件政府信息公开申请收取信息处理费，合计120.50元。",
        "无其他需要报告的事项。",
    ]
    positions = [
        text.index(title, text.index("洛阳市洛龙区学府街道办事处2021年政府信息公开工作年度报告"))
        for title in titles
    ]
    assert positions == sorted(positions)


def test_table_three_on_the_page_has_the_official_labels_merges_and_figures(
    clerk_client, office, ledger
):
    html = table_html(clerk_client.get(page_url(office)), "report-table-three")
    assert (
        '<th rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>'
        in html
    )
    assert '<th colspan="7">申请人情况</th>' in html
    assert '<td class="cell-label" rowspan="22">三、本年度办理结果</td>' in html
    texts = cell_texts(html)
    labels = [text for text in texts if not text.isdigit()]
    expected_labels = [row.label for row in tables.TABLE_THREE_ROWS]
    assert [label for label in labels if label in expected_labels] == expected_labels
    # First body row: 一、本年新收 followed by its seven figures.
    start = texts.index("一、本年新收政府信息公开申请数量")
    assert texts[start + 1 : start + 8] == ["3", "1", "0", "1", "1", "0", "6"]
    start = texts.index("四、结转下年度继续办理")
    assert texts[start + 1 : start + 8] == ["1", "0", "0", "1", "0", "0", "2"]


def test_table_four_and_two_on_the_page_show_the_figures(clerk_client, office, ledger):
    response = clerk_client.get(page_url(office))
    four = cell_texts(table_html(response, "report-table-four"))
    assert four[-15:] == ["1", "0", "0", "2", "3", "0", "1", "0", "1", "2", "1", "0", "0", "0", "1"]
    two = cell_texts(table_html(response, "report-table-two"))
    assert two[two.index("行政规范性文件") + 1 : two.index("行政规范性文件") + 4] == ["2", "2", "1"]
    assert two[two.index("行政事业性收费") + 1] == "0.1250"


def test_empty_year_prints_zeros_and_no_for_empty_narrative(clerk_client, office):
    response = clerk_client.get(page_url(office))
    three = cell_texts(table_html(response, "report-table-three"))
    figures = [text for text in three if text.isdigit()]
    assert figures == ["0"] * (25 * 7)
    four = cell_texts(table_html(response, "report-table-four"))
    assert four[-15:] == ["0"] * 15
    assert "0.0000" in cell_texts(table_html(response, "report-table-two"))
    text = text_of(response)
    assert "本年度未收取信息处理费。" in text
    assert "五、存在的主要问题及改进情况 无" in text


def test_checks_are_shown_above_the_report(clerk_client, office, ledger):
    text = text_of(clerk_client.get(page_url(office)))
    assert text.index("校验结果") < text.index("一、总体情况")
    assert "表三勾稽关系：每一列 一 + 二 = （七）总计 + 四" in text
    assert (
        f"{ledger['open'].number}（某公益协会，2021年11月20日收到，应于2021年12月17日前答复）"
        in text
    )
    assert f"{ledger['from_2019'].number}的行政复议（2020年10月1日立案，至今尚未审结）" in text


def test_user_typed_text_is_escaped_on_the_page(clerk_client, office, ledger):
    ledger["narrative_2021"].problems = '<script>alert("x")</script>'
    ledger["narrative_2021"].save()
    html = clerk_client.get(page_url(office)).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_page_uses_a_print_stylesheet_for_a4(clerk_client, office):
    html = clerk_client.get(page_url(office)).content.decode()
    assert "reports/report.css" in html
    css = open(finders.find("reports/report.css"), encoding="utf-8").read()
    print_rules = css[css.index("@media print") :]
    assert "size: A4" in css
    assert "nav" in print_rules and "display: none" in print_rules
    assert "break-inside: avoid" in print_rules
    # The checks, the selector and the buttons are screen-only.
    assert html.count('class="d-print-none') >= 2


@pytest.mark.parametrize("extra", [0, 100])
def test_page_and_checks_cost_a_fixed_number_of_queries(
    clerk_client, office, ledger, extra, django_assert_max_num_queries
):
    for index in range(extra):
        make_application(
            office,
            received_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=index * 3),
            applicant_type="natural_person",
            applicant_name=f"申请人{index}",
            content="批量",
        )
    # The same bound with 0 and 100 more applications: 27 for the report (last year as it
    # stands reads the sign-offs and the accepted workbooks), four for the charts, and the
    # session refresh and the role's permission look-ups of a real 登记员.
    with django_assert_max_num_queries(35):
        response = clerk_client.get(page_url(office))
    assert response.status_code == 200


def test_clerk_sees_no_sign_off_button(clerk_client, office):
    html = clerk_client.get(page_url(office)).content.decode()
    assert reverse("reports:sign_off", args=[office.pk, 2021]) not in html


def test_reviewer_sees_the_sign_off_button_once_the_year_is_over(reviewer_client, office):
    assert (
        reverse("reports:sign_off", args=[office.pk, 2021])
        in reviewer_client.get(page_url(office)).content.decode()
    )
    running = reviewer_client.get(page_url(office, 2022)).content.decode()
    assert reverse("reports:sign_off", args=[office.pk, 2022]) not in running
    assert "2022年度还没有结束" in running


def test_index_offers_only_visible_offices_and_opens_the_chosen_report(
    clerk_client, office, other_office
):
    response = clerk_client.get(reverse("reports:index"))
    html = response.content.decode()
    assert office.name in html and other_office.name not in html
    assert '<option value="2021" selected>2021年</option>' in html
    chosen = clerk_client.get(reverse("reports:index"), {"organization": office.pk, "year": 2021})
    assert chosen.status_code == 302 and chosen["Location"] == page_url(office)
    refused = clerk_client.get(
        reverse("reports:index"), {"organization": other_office.pk, "year": 2021}
    )
    assert refused.status_code == 200
    assert "请选择您有权查看的机关。" in refused.content.decode()


def test_navigation_links_to_the_reports(clerk_client):
    html = clerk_client.get(reverse("applications:home")).content.decode()
    assert f'href="{reverse("reports:index")}">年度报告</a>' in html


def test_formula_looking_text_is_plain_text_on_the_page(clerk_client, office, ledger):
    ledger["open"].applicant_name = FORMULA
    ledger["open"].save()
    assert FORMULA in text_of(clerk_client.get(page_url(office)))


def test_year_selector_goes_back_to_the_first_format_year_or_an_older_record(office, other_office):
    today = datetime.date(2023, 5, 1)
    assert report_years([office.pk], today=today) == [2023, 2022, 2021]
    make_application(office, received_on=datetime.date(2019, 11, 5))
    make_application(other_office, received_on=datetime.date(2017, 3, 1))
    assert report_years([office.pk], today=today) == [2023, 2022, 2021, 2020, 2019]
