"""End-to-end journeys in a real browser (Chromium via Playwright, see tests/support/browser.py).

Each test is one person's journey through the admin and the report page, each step
asserted on what the page shows. Screenshots: test-artifacts/journeys/<journey>/.
"""

import datetime
import re
import shutil
import subprocess
from collections import namedtuple
from decimal import Decimal
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from playwright.sync_api import expect

from accounts.roles import CLERK, OFFICIAL
from applications.choices import ApplicantType, CaseResult, Outcome
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit
from reports.figures.tables import TABLE_THREE_ROWS
from reports.models import (
    AnnualFigures,
    DocumentKind,
    NormativeDocument,
    ReportNarrative,
    ReportSignOff,
)
from tests.support.browser import cell_numbers
from tests.support.factories import (
    PASSWORD,
    make_application,
    make_district,
    make_office,
    make_user,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


# Monday 24 November 2025, a year the chinesecalendar package knows.
TODAY = at(2025, 11, 24)


@pytest.fixture
def clock():
    """Today is TODAY for the application (the live server runs in this process, so it too)."""
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def offices(transactional_db):
    district = make_district("洛龙区")
    return make_office("学府街道", parent=district), make_office("开元路街道", parent=district)


def test_clerk_logs_an_application_and_follows_it_to_the_answer(journey, clock, offices):
    office, _ = offices
    make_user("dengji", office, [CLERK], last_name="登记员小王")
    clerk = journey("1-clerk-logs-an-application", today=TODAY)
    page = clerk.page

    # Monday 24 November 2025: an application arrives at the counter.
    clerk.sign_in("dengji", PASSWORD, screenshot=True)
    expect(page.get_by_role("heading", name="首页")).to_be_visible()
    clerk.shot("home")
    page.get_by_role("link", name="申请台账").click()
    expect(page.locator("#content h1")).to_have_text("选择 依申请公开申请 来修改")
    page.get_by_role("link", name="增加 依申请公开申请").click()
    expect(page.locator("#id_organization")).to_have_value(str(office.pk))
    page.locator("#id_received_on").locator("xpath=..").get_by_role("link", name="今天").click()
    expect(page.locator("#id_received_on")).to_have_value("2025/11/24")
    page.locator("#id_channel").select_option(label="当面")
    page.locator("#id_content").fill("申请公开2024年学府街道老旧小区改造项目清单及资金使用情况")
    page.locator("#id_applicant_type").select_option(label="自然人")
    page.locator("#id_applicant_name").fill("张晓明")
    page.locator("#id_applicant_phone").fill("13812345678")
    clerk.shot("new-application-form")
    page.get_by_role("button", name="保存并继续编辑").click()

    number = "学府街道〔2025〕1号"
    expect(page.locator(".messagelist")).to_contain_text(f"成功添加了 依申请公开申请“{number}”")
    expect(page.locator("#id_number")).to_have_value(number)
    deadline = page.locator(".gk-deadline-lines")
    expect(deadline).to_contain_text("起算日：2025年11月24日（收到申请之日，当日不计入）")
    expect(deadline).to_contain_text("答复期限：2025年12月22日（起算日后第 20 个工作日）")
    clerk.shot("saved-with-number-and-deadline")

    page.locator(".gk-shell-nav").get_by_role("link", name="首页").click()
    # 22 December is more than five working days away: pending, not yet due soon.
    expect(page.locator("#due-soon")).to_contain_text("近期没有到期的申请")
    expect(page.locator("#pending-count")).to_have_text("1")
    pending = page.get_by_role("row").filter(has_text=number)
    expect(pending).to_contain_text("2025年12月22日")

    # Wednesday 3 December: the third party's opinion, asked for on 26 November, has come back.
    clock.move_to(at(2025, 12, 3))
    clerk.set_today(at(2025, 12, 3))
    clerk.sign_in("dengji", PASSWORD)  # the session ended after 30 idle minutes
    page.get_by_role("link", name="申请台账").click()
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="添加另一个 不计入答复期限的期间").click()
    page.locator("#id_clock_stops-0-kind").select_option(label="征求第三方意见")
    page.locator("#id_clock_stops-0-started_on").fill("2025/11/26")
    page.locator("#id_clock_stops-0-ended_on").fill("2025/12/03")
    page.locator("#id_clock_stops-0-notes").fill("征求小区物业公司意见")
    clerk.shot("clock-stop-entered")
    page.get_by_role("button", name="保存并继续编辑").click()
    expect(page.locator(".messagelist")).to_contain_text(f"成功修改了 依申请公开申请“{number}”")
    # 27, 28 November and 1, 2, 3 December are working days: five more.
    expect(deadline).to_contain_text("加 5 个工作日：征求第三方意见（2025年11月26日至2025年12月3日")
    expect(deadline).to_contain_text("答复期限：2025年12月29日（起算日后第 25 个工作日）")
    clerk.shot("deadline-moved-by-clock-stop")

    # Monday 22 December: due within five working days, so on the home page's due list.
    clock.move_to(at(2025, 12, 22))
    clerk.set_today(at(2025, 12, 22))
    clerk.sign_in("dengji", PASSWORD)
    due_soon = page.locator("#due-soon")
    expect(due_soon).to_contain_text(number)
    expect(due_soon).to_contain_text("2025年12月29日")
    expect(page.locator("#due-soon-count")).to_have_text("1")
    clerk.shot("home-due-soon")

    # The answer goes out today: partly disclosed.
    due_soon.get_by_role("link", name=number).click()
    page.locator("#id_answered_on").locator("xpath=..").get_by_role("link", name="今天").click()
    expect(page.locator("#id_answered_on")).to_have_value("2025/12/22")
    page.locator("#id_outcome").select_option(
        label="（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    page.get_by_role("button", name="保存并继续编辑").click()
    expect(page.locator(".messagelist")).to_contain_text(f"成功修改了 依申请公开申请“{number}”")
    expect(page.locator("#id_answered_on")).to_have_value("2025/12/22")

    # The applicant asks for an administrative review the same day.
    page.get_by_role("button", name="添加另一个 行政复议").click()
    page.locator("#id_reviews-0-filed_on").fill("2025/12/22")
    page.locator("#id_reviews-0-review_body").fill("洛阳市洛龙区人民政府")
    page.locator("#id_reviews-0-notes").fill("申请人对部分公开的答复不服")
    clerk.shot("answer-and-review-entered")
    page.get_by_role("button", name="保存并继续编辑").click()
    expect(page.locator(".messagelist")).to_contain_text(f"成功修改了 依申请公开申请“{number}”")

    # Everything is on the application's page.
    expect(page.locator("#id_number")).to_have_value(number)
    expect(page.locator("#id_received_on")).to_have_value("2025/11/24")
    expect(page.locator("#id_applicant_type")).to_have_value("natural_person")
    expect(page.locator("#id_applicant_name")).to_have_value("张晓明")
    expect(page.locator("#id_content")).to_have_value(
        "申请公开2024年学府街道老旧小区改造项目清单及资金使用情况"
    )
    expect(page.locator("#id_clock_stops-0-started_on")).to_have_value("2025/11/26")
    expect(page.locator("#id_clock_stops-0-ended_on")).to_have_value("2025/12/03")
    expect(page.locator("#id_outcome option:checked")).to_have_text(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    expect(page.locator("#id_reviews-0-filed_on")).to_have_value("2025/12/22")
    expect(page.locator("#id_reviews-0-review_body")).to_have_value("洛阳市洛龙区人民政府")
    expect(page.locator("#id_reviews-0-result")).to_have_value("")
    expect(deadline).to_contain_text("答复期限：2025年12月29日")
    clerk.shot("application-page-with-everything")
    application = Application.objects.get(number=number)
    assert (application.answered_on, application.outcome, application.due_on) == (
        datetime.date(2025, 12, 22),
        "2",
        datetime.date(2025, 12, 29),
    )
    assert ClockStop.objects.filter(application=application).count() == 1
    assert AdministrativeReview.objects.filter(application=application).count() == 1

    # Answered: no longer due, listed as recently answered instead.
    page.locator(".gk-shell-nav").get_by_role("link", name="首页").click()
    expect(page.locator("#due-soon")).to_contain_text("近期没有到期的申请")
    expect(page.locator("#due-soon")).not_to_contain_text(number)
    expect(page.locator("#due-soon-count")).to_have_text("0")
    answered = page.locator("#recently-answered").get_by_role("row").filter(has_text=number)
    expect(answered).to_contain_text("2025年12月22日")
    expect(answered).to_contain_text("按期答复")
    expect(answered).to_contain_text("（二）部分公开")
    clerk.shot("home-after-answer")

    # A second application, typed with the answer before the receipt: refused, nothing saved.
    page.get_by_role("link", name="申请台账").click()
    page.get_by_role("link", name="增加 依申请公开申请").click()
    page.locator("#id_received_on").fill("2025/12/22")
    page.locator("#id_content").fill("申请公开2025年街道办事处财政预算")
    page.locator("#id_applicant_type").select_option(label="自然人")
    page.locator("#id_applicant_name").fill("李红")
    page.locator("#id_answered_on").fill("2025/12/19")
    page.locator("#id_outcome").select_option(label="（一）予以公开")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-answered_on .errorlist")).to_have_text(
        "答复日期不能早于收到日期，请核对两个日期。"
    )
    clerk.shot("answer-before-receipt-refused")
    assert Application.objects.count() == 1
    page.locator(".breadcrumbs").get_by_role("link", name="依申请公开申请").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).not_to_contain_text("李红")


# --- The annual report -----------------------------------------------------------------------


def build_report_ledger(office):
    """学府街道's ledger for the 2021 report, every figure worked out by hand below.

    Everything is answered within its deadline and no case stays open for a year, so every
    check of the 2021 report passes.

      c20  自然人      received 2020-12-21, answered 2021-01-12  1 予以公开   (二、上年结转)
      n1   自然人      2021-03-01 → 2021-03-15  1 予以公开
      n2   自然人      2021-04-06 → 2021-04-20  2 部分公开
      n3   自然人      2021-05-10 → 2021-05-28  4.1 本机关不掌握
      n4   商业企业    2021-06-01 → 2021-06-18  1 予以公开, fee 100.00 元
      n5   法律服务机构 2021-07-05 → 2021-07-23  3.4 保护第三方合法权益
      n6   科研机构    2021-08-02 → 2021-08-20  5.2 重复申请
      n7   社会公益组织 2021-09-01 → 2021-09-10  6.3 其他
      n8   其他        2021-10-11 → 2021-10-29  4.2 没有现成信息需要另行制作
      n10  商业企业    2021-11-15 → 2021-12-03  1 予以公开
      n9   自然人      2021-12-27 → 2022-01-14  1 予以公开   (四、结转下年度继续办理)

    Reviews: on n2 upheld (2021-05-20 → 2021-07-20); on n3 corrected (2021-06-15 →
    2021-08-30); on n5 filed 2021-11-01, concluded 2022-01-10 (尚未审结 at the end of 2021).
    Lawsuits: on n8 direct, filed 2021-11-20, concluded 2022-03-01 (尚未审结); on n2 after
    its review, upheld (2021-08-05 → 2021-12-20).
    Table 二: one 行政规范性文件 issued 2021-03-01; 15 licences, 4 penalties, 2 coercions,
    0.0100 万元 of fees.
    """
    D = datetime.date
    NP, C, R, PW, L, OT = (
        ApplicantType.NATURAL_PERSON,
        ApplicantType.COMMERCIAL,
        ApplicantType.RESEARCH,
        ApplicantType.PUBLIC_WELFARE,
        ApplicantType.LEGAL_SERVICE,
        ApplicantType.OTHER,
    )

    def app(name, kind, received, answered, outcome, fee=None):
        return make_application(
            office,
            received_on=received,
            applicant_type=kind,
            applicant_name=name,
            content="申请公开辖区老旧小区改造项目清单",
            answered_on=answered,
            outcome=outcome,
            fee_yuan=fee,
        )

    app("王建国", NP, D(2020, 12, 21), D(2021, 1, 12), Outcome.DISCLOSED)
    app("李秀英", NP, D(2021, 3, 1), D(2021, 3, 15), Outcome.DISCLOSED)
    n2 = app("张伟", NP, D(2021, 4, 6), D(2021, 4, 20), Outcome.PARTLY_DISCLOSED)
    n3 = app("刘芳", NP, D(2021, 5, 10), D(2021, 5, 28), Outcome.NOT_HELD)
    app(
        "洛阳市明远置业有限公司",
        C,
        D(2021, 6, 1),
        D(2021, 6, 18),
        Outcome.DISCLOSED,
        Decimal("100.00"),
    )
    n5 = app("河南洛正律师事务所", L, D(2021, 7, 5), D(2021, 7, 23), Outcome.THIRD_PARTY_RIGHTS)
    app("河南科技大学公共管理研究中心", R, D(2021, 8, 2), D(2021, 8, 20), Outcome.REPEATED)
    app("洛阳市绿色家园环保志愿者协会", PW, D(2021, 9, 1), D(2021, 9, 10), Outcome.OTHER)
    n8 = app(
        "学府街道翠湖社区业主委员会", OT, D(2021, 10, 11), D(2021, 10, 29), Outcome.NEEDS_CREATION
    )
    app("洛阳恒达物业服务有限公司", C, D(2021, 11, 15), D(2021, 12, 3), Outcome.DISCLOSED)
    app("陈静", NP, D(2021, 12, 27), D(2022, 1, 14), Outcome.DISCLOSED)

    review = AdministrativeReview.objects.create
    review(
        application=n2,
        filed_on=D(2021, 5, 20),
        result=CaseResult.UPHELD,
        concluded_on=D(2021, 7, 20),
    )
    review(
        application=n3,
        filed_on=D(2021, 6, 15),
        result=CaseResult.CORRECTED,
        concluded_on=D(2021, 8, 30),
    )
    review(
        application=n5,
        filed_on=D(2021, 11, 1),
        result=CaseResult.UPHELD,
        concluded_on=D(2022, 1, 10),
    )
    lawsuit = Lawsuit.objects.create
    lawsuit(
        application=n8,
        filed_on=D(2021, 11, 20),
        result=CaseResult.OTHER,
        concluded_on=D(2022, 3, 1),
    )
    lawsuit(
        application=n2,
        filed_on=D(2021, 8, 5),
        after_review=True,
        result=CaseResult.UPHELD,
        concluded_on=D(2021, 12, 20),
    )

    NormativeDocument.objects.create(
        organization=office,
        number="学府办〔2021〕2号",
        title="学府街道环境卫生管理办法",
        kind=DocumentKind.NORMATIVE_DOCUMENT,
        issued_on=D(2021, 3, 1),
    )
    AnnualFigures.objects.create(
        organization=office,
        year=2021,
        licensing_decisions=15,
        penalty_decisions=4,
        coercion_decisions=2,
        fee_amount_wan=Decimal("0.0100"),
    )
    ReportNarrative.objects.create(
        organization=office,
        year=2021,
        active_disclosure="全年主动公开各类信息500余条，主要为办事处工作动态类信息。",
        on_request="全年新收政府信息公开申请10件，均在法定期限内答复。",
        information_management="建立健全政府信息管理动态调整机制。",
        platform="依托洛龙区政府网站平台公开工作动态。",
        oversight="把政府信息公开列入考核制度，定期考核。",
        problems="政府信息公开时效性还需要提高。",
        other_matters="无其他需要报告的事项。",
    )


# Table 三 of 2021, row by row (the order of the official format), columns: 自然人, 商业企业,
# 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
ZERO = [0, 0, 0, 0, 0, 0, 0]
EXPECTED_THREE = {
    "new": [4, 2, 1, 1, 1, 1, 10],  # n1 n2 n3 n9; n4 n10; n6; n7; n5; n8
    "carried_in": [1, 0, 0, 0, 0, 0, 1],  # c20
    "1": [2, 2, 0, 0, 0, 0, 4],  # c20 n1; n4 n10
    "2": [1, 0, 0, 0, 0, 0, 1],  # n2
    "3.4": [0, 0, 0, 0, 1, 0, 1],  # n5
    "4.1": [1, 0, 0, 0, 0, 0, 1],  # n3
    "4.2": [0, 0, 0, 0, 0, 1, 1],  # n8
    "5.2": [0, 0, 1, 0, 0, 0, 1],  # n6
    "6.3": [0, 0, 0, 1, 0, 0, 1],  # n7
    "total": [4, 2, 1, 1, 1, 1, 10],
    "carried_out": [1, 0, 0, 0, 0, 0, 1],  # n9
}
THREE_ROW_CODES = [row.code for row in TABLE_THREE_ROWS]
# Table 四: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计 for 行政复议, 未经复议直接起诉, 复议后起诉.
EXPECTED_FOUR = [1, 1, 0, 1, 3] + [0, 0, 0, 1, 1] + [1, 0, 0, 0, 1]


def expected_three_rows():
    return [EXPECTED_THREE.get(code, ZERO) for code in THREE_ROW_CODES]


@pytest.fixture
def report_office(offices):
    office, _ = offices
    build_report_ledger(office)
    make_user("shenhe", office, [OFFICIAL], last_name="审核人老李")
    return office


def test_official_opens_downloads_and_signs_off_the_annual_report(journey, clock, report_office):
    official = journey("2-official-signs-off-the-report", today=TODAY)
    page = official.page
    official.sign_in("shenhe", PASSWORD)
    expect(page.get_by_role("heading", name="首页")).to_be_visible()

    # From the navigation to the 2021 report of 学府街道.
    page.get_by_role("navigation").get_by_role("link", name="年度报告").click()
    expect(page.get_by_role("heading", name="政府信息公开工作年度报告")).to_be_visible()
    expect(page.locator("#id_organization option:checked")).to_have_text(
        "洛阳市洛龙区学府街道办事处"
    )
    page.locator("#id_year").select_option(label="2021年")
    official.shot("report-index")
    page.get_by_role("button", name="打开报告").click()
    title = "洛阳市洛龙区学府街道办事处2021年政府信息公开工作年度报告"
    expect(page.locator("h1.report-title")).to_have_text(title)
    expect(page.locator("#sign-off-status")).to_contain_text("本年度报告尚未定稿")

    # Every check passes.
    checks = page.locator("#checks")
    expect(checks.locator("h2")).to_contain_text("全部通过")
    check_rows = checks.locator("tbody tr")
    expect(check_rows.first).to_be_visible()
    assert check_rows.count() == checks.locator("tbody tr.check-pass").count() == 10
    assert checks.locator("tbody tr .badge").all_inner_texts() == ["通过"] * 10
    expect(checks).not_to_contain_text("不通过")
    official.shot("report-checks-all-pass")

    # The tables show the ledger's figures.
    three_rows = page.locator("table.report-table-three tbody tr")
    expect(three_rows).to_have_count(len(THREE_ROW_CODES))
    page_three = [cell_numbers(row) for row in three_rows.all()]
    assert page_three == expected_three_rows()
    four_rows = page.locator("table.report-table-four tbody tr")
    assert [cell_numbers(row) for row in four_rows.all()] == [EXPECTED_FOUR]
    two = page.locator("table.report-table-two")
    assert [
        cell_numbers(row)
        for row in two.locator("tr").filter(has=page.locator("td.cell-number")).all()
    ] == [[0, 0, 0], [1, 0, 1], [15], [4], [2]]
    expect(two.locator("td.cell-money")).to_have_text("0.0100")
    expect(page.locator("#fees-sentence")).to_have_text(
        "本年度共对1件政府信息公开申请收取信息处理费，合计100.00元。"
    )
    official.shot("report-table-three", page.locator("table.report-table-three"))

    # Download the workbook through the page's button; table 三's 总计 column matches the page.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载工作簿（按当前台账，未定稿）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx") and "2021" in download.suggested_filename
    saved = official.folder / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved)["表三"]
    total_column = workbook_total_column(sheet)
    assert total_column == [row[-1] for row in page_three]
    assert total_column == [row[-1] for row in expected_three_rows()]

    # Sign off, confirmed on a page with the checks' verdict; the page then shows the signed-off version.
    page.get_by_role("button", name="按当前台账定稿").click()
    expect(page.locator("#sign-off-verdict")).to_be_visible()
    page.get_by_role("button", name="确认定稿（第1版）").click()
    expect(page.locator(".alert-success").first).to_contain_text(
        f"{report_office.name}2021年度报告已定稿（第1版）。"
    )
    status = page.locator("#sign-off-status")
    expect(status).to_contain_text("以下是定稿第1版：审核人老李（shenhe）于2025年11月24日")
    expect(page.locator("#versions tbody tr")).to_have_count(1)
    expect(page.locator("#versions tbody tr")).to_contain_text("第1版")
    expect(page.get_by_role("link", name="下载定稿工作簿（第1版）")).to_be_visible()
    expect(page.get_by_role("button", name="按当前台账定稿（生成第2版）")).to_be_visible()
    assert [cell_numbers(row) for row in three_rows.all()] == expected_three_rows()
    official.shot("report-signed-off")
    assert ReportSignOff.objects.filter(organization=report_office, year=2021, version=1).exists()

    page.get_by_role("navigation").get_by_role("link", name="年度报告").click()
    expect(page.get_by_role("row").filter(has_text=report_office.name)).to_contain_text(
        "已定稿（第1版）"
    )
    official.shot("report-index-signed-off")


def workbook_total_column(sheet):
    """Table 三's 总计 column in the workbook: the figures under the header cell 总计."""
    header = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "总计")
    figures = []
    for row in range(header.row + 1, sheet.max_row + 1):
        value = sheet.cell(row, header.column).value
        if isinstance(value, int):
            figures.append(value)
    return figures


# --- The printed report ------------------------------------------------------------------------

A4_WIDTH_PT, A4_HEIGHT_PT = 595.28, 841.89
PRINT_MARGIN_X_MM = 12  # reports/report.css: @page { margin: 15mm 12mm; }
MM_PER_PT = 25.4 / 72
PRINTABLE_WIDTH_PX = (210 - 2 * PRINT_MARGIN_X_MM) / 25.4 * 96
# Each table's right-most column header (table 二's blocks end with different ones).
LAST_COLUMN_HEADERS = {
    "report-table-two": [
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额（单位：万元，保留4位小数）",
    ],
    "report-table-three": ["总计"],
    "report-table-four": ["总计"],
}


Word = namedtuple("Word", "page text x_min x_max y_min y_max")


def pdf_words(pdf):
    """Every word of a PDF with its page number and box (in points), by pdftotext -bbox."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail(
            "The printed-report check needs pdftotext: apt-get install poppler-utils (.ci/run does this).",
            pytrace=False,
        )
    xhtml = subprocess.run([tool, "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    words = []
    for number, page in enumerate(
        ElementTree.fromstring(xhtml).iterfind(".//x:page", namespace), start=1
    ):
        for word in page.iterfind("x:word", namespace):
            box = [float(word.get(name)) for name in ("xMin", "xMax", "yMin", "yMax")]
            words.append(Word(number, word.text, *box))
    return words


def test_printed_report_has_every_table_on_a4_without_cut_off_columns(
    journey, clock, report_office
):
    official = journey("4-printed-report", today=TODAY)
    page = official.page
    official.sign_in("shenhe", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="年度报告").click()
    page.locator("#id_year").select_option(label="2021年")
    page.get_by_role("button", name="打开报告").click()
    expect(page.locator("h1.report-title")).to_be_visible()

    # Laid out for print on the printable width of A4: every table fits, no cell overflows.
    page.set_viewport_size({"width": int(PRINTABLE_WIDTH_PX), "height": 1100})
    page.emulate_media(media="print")
    expect(page.locator("nav")).to_be_hidden()
    expect(page.locator("#checks")).to_be_hidden()
    tables = page.locator("table.report-table").evaluate_all(
        """tables => tables.map(table => ({
            name: [...table.classList].find(name => name.startsWith("report-table-")),
            right: table.getBoundingClientRect().right,
            overflowing: [...table.querySelectorAll("th, td")]
                .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
                .map(cell => cell.textContent.trim()),
        }))"""
    )
    assert [table["name"] for table in tables] == list(LAST_COLUMN_HEADERS)
    for table in tables:
        assert table["right"] <= PRINTABLE_WIDTH_PX, table
        assert table["overflowing"] == [], table
    official.shot("print-layout")

    # The PDF: A4 pages, every word inside the printable width, each table's last column there.
    pdf = official.folder / "report.pdf"
    page.pdf(path=pdf, format="A4", prefer_css_page_size=True)
    words = pdf_words(pdf)
    right_edge = A4_WIDTH_PT - PRINT_MARGIN_X_MM / MM_PER_PT + 1
    assert [word for word in words if word.x_max > right_edge] == []
    texts = [word.text for word in words]
    for headers in LAST_COLUMN_HEADERS.values():
        for header in headers:
            assert header in texts, header
    # Table 三 on one page, its 总计 column complete: the 总计 header and the 25 row totals line up.
    total_header = next(word for word in words if word.text == "总计")
    first_row = next(word for word in words if word.text.startswith("一、本年新收"))
    last_row = next(word for word in words if word.text.startswith("四、结转下年度"))
    assert total_header.page == first_row.page == last_row.page
    column = [
        int(word.text)
        for word in sorted(words, key=lambda word: word.y_min)
        if word.page == total_header.page
        and word.text.isdigit()
        and first_row.y_min - 2 <= word.y_min <= last_row.y_max
        and word.x_min >= total_header.x_min - 5
        and word.x_max <= total_header.x_max + 5
    ]
    assert column == [row[-1] for row in expected_three_rows()]
    render_pages(pdf, official)


def render_pages(pdf, person):
    """Each printed page as a PNG next to the screenshots, for a person to look at."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.fail(
            "The printed-report check needs pdftoppm: apt-get install poppler-utils (.ci/run does this).",
            pytrace=False,
        )
    prefix = person.folder / f"{next(person.steps):02d}-printed-page"
    subprocess.run([tool, "-png", "-r", "80", str(pdf), str(prefix)], check=True)
    return sorted(person.folder.glob(f"{prefix.name}*.png"))


# --- Importing last year's ledger ----------------------------------------------------------------

LAST_YEAR_APPLICATIONS = [
    # 申请编号, 收到日期, 申请人类型, 申请人, 申请内容, 答复日期, 办理结果
    (
        "学府街道〔2024〕1号",
        datetime.date(2024, 1, 8),
        "自然人",
        "王磊",
        "申请公开2023年辖区老旧小区改造项目清单",
        datetime.date(2024, 1, 25),
        "1 予以公开",
    ),
    (
        "学府街道〔2024〕2号",
        datetime.date(2024, 3, 4),
        "自然人",
        "刘洋",
        "申请公开2023年度最低生活保障审批程序",
        datetime.date(2024, 3, 22),
        "4.1",
    ),
    (
        "学府街道〔2024〕3号",
        datetime.date(2024, 5, 13),
        "商业企业",
        "洛阳市明远置业有限公司",
        "申请公开某地块征收补偿安置方案",
        datetime.date(2024, 5, 31),
        "部分公开",
    ),
    (
        "学府街道〔2024〕4号",
        datetime.date(2024, 9, 2),
        "法律服务机构",
        "河南中豫律师事务所洛阳分所",
        "申请公开违法建设拆除的执法依据",
        datetime.date(2024, 9, 20),
        "本机关不掌握相关政府信息",
    ),
    (
        "学府街道〔2024〕5号",
        datetime.date(2024, 12, 23),
        "自然人",
        "赵敏",
        "申请公开2024年环境卫生整治工作方案",
        datetime.date(2025, 1, 10),
        "予以公开",
    ),
]
BAD_ROW = 4  # 学府街道〔2024〕3号, on row 4 of the sheet (row 1 holds the headers)
TYPO, FIXED = "部份公开", "部分公开"


def fill_template(template, path, outcome_of_row_4):
    """The clerk's work in Excel: last year's applications and one review typed into the blank template."""
    workbook = load_workbook(template)
    applications, reviews, lawsuits = (
        workbook["申请登记"],
        workbook["行政复议"],
        workbook["行政诉讼"],
    )
    for sheet in (applications, reviews, lawsuits):
        sheet.delete_rows(2, sheet.max_row)  # the sample rows
    columns = {cell.value: cell.column for cell in applications[1]}
    for row, values in enumerate(LAST_YEAR_APPLICATIONS, start=2):
        headers = [
            "申请编号",
            "收到日期",
            "申请人类型",
            "申请人",
            "申请内容",
            "答复日期",
            "办理结果",
        ]
        for header, value in zip(headers, values, strict=False):
            applications.cell(row, columns[header], value)
    applications.cell(BAD_ROW, columns["办理结果"], outcome_of_row_4)
    review_columns = {cell.value: cell.column for cell in reviews[1]}
    review = {
        "申请编号": "学府街道〔2024〕3号",
        "复议申请日期": datetime.date(2024, 6, 12),
        "复议结果": "维持",
        "结案日期": datetime.date(2024, 8, 20),
        "复议机关": "洛阳市洛龙区人民政府",
    }
    for header, value in review.items():
        reviews.cell(2, review_columns[header], value)
    workbook.save(path)
    return path, get_column_letter(columns["办理结果"])


def test_clerk_imports_last_years_ledger_after_fixing_the_bad_row(
    journey, clock, offices, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    office, _ = offices
    make_user("dengji", office, [CLERK], last_name="登记员小王")
    clerk = journey("3-clerk-imports-last-years-ledger", today=TODAY)
    page = clerk.page
    clerk.sign_in("dengji", PASSWORD)

    page.get_by_role("link", name="申请台账").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载台账模板").click()
    template = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(template)
    with_typo, letter = fill_template(template, tmp_path / "学府街道2024年台账.xlsx", TYPO)

    # First upload: row 4 has a typo in 办理结果.
    page.get_by_role("link", name="导入台账").click()
    expect(page.locator("#id_organization option:checked")).to_have_text(office.name)
    page.locator("#id_file").set_input_files(with_typo)
    clerk.shot("upload-form")
    page.get_by_role("button", name="上传并核对").click()
    expect(page.locator(".errornote")).to_have_text(
        "发现 1 个错误，没有导入任何数据。请在Excel中逐条改正后重新上传。"
    )
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.locator("td").nth(1)).to_have_text(
        f"工作表“申请登记”第{BAD_ROW}行{letter}列“办理结果”"
    )
    expect(errors.locator("td").nth(2)).to_contain_text(f"“{TYPO}”不是有效的办理结果")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    clerk.shot("bad-row-named")
    assert Application.objects.count() == 0 and AdministrativeReview.objects.count() == 0

    # Fixed in Excel, uploaded again from the same page: a preview of what will be written.
    fixed, _ = fill_template(template, tmp_path / "学府街道2024年台账（改正）.xlsx", FIXED)
    page.locator("#id_file").set_input_files(fixed)
    page.get_by_role("button", name="上传并核对").click()
    counts = page.locator("#import-counts tbody tr")
    expect(counts.nth(0)).to_have_text(re.compile(r"申请登记\s*5\s*0\s*0"))
    expect(counts.nth(1)).to_have_text(re.compile(r"行政复议\s*1\s*0\s*0"))
    expect(counts.nth(2)).to_have_text(re.compile(r"行政诉讼\s*0\s*0\s*0"))
    clerk.shot("preview-counts")
    assert Application.objects.count() == 0  # nothing is written before the clerk confirms

    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"已导入“学府街道2024年台账（改正）.xlsx”到{office.name}。"
        "申请登记：新增 5，更新 0，无变化 0；行政复议：新增 1，更新 0，无变化 0；行政诉讼：新增 0，更新 0，无变化 0。"
    )
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(5)
    expect(page.locator("#changelist .paginator")).to_contain_text("5")
    expect(rows.filter(has_text="学府街道〔2024〕2号")).to_contain_text(
        "（四）无法提供 · 1.本机关不掌握相关政府信息"
    )
    expect(rows.filter(has_text="学府街道〔2024〕3号")).to_contain_text("（二）部分公开")
    clerk.shot("imported-list")
    page.locator("#changelist-filter").get_by_role("link", name="2024年").click()
    expect(page.locator("#changelist-filter li.selected", has_text="2024年")).to_be_visible()
    expect(rows).to_have_count(5)
    page.locator(".breadcrumbs").get_by_role("link", name="依申请公开台账").click()
    page.locator("#content-main").get_by_role("link", name="行政复议", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody tr")).to_contain_text("学府街道〔2024〕3号")
    clerk.shot("imported-review")
    assert Application.objects.filter(organization=office, received_on__year=2024).count() == 5


# --- Another office ------------------------------------------------------------------------------


def test_clerk_of_another_office_cannot_open_the_first_offices_report_or_application(
    journey, clock, report_office, offices
):
    _, other = offices
    make_user("kaiyuan", other, [CLERK], last_name="开元路登记员")
    application = Application.objects.filter(organization=report_office).first()
    stranger = journey("5-another-office-gets-404", today=TODAY)
    page = stranger.page
    stranger.sign_in("kaiyuan", PASSWORD)

    # Nothing of 学府街道 anywhere they can click.
    page.get_by_role("navigation").get_by_role("link", name="年度报告").click()
    expect(page.locator("main")).to_contain_text(other.name)
    expect(page.locator("main")).not_to_contain_text(report_office.name)
    page.get_by_role("navigation").get_by_role("link", name="申请台账").click()
    expect(page.locator("#result_list")).to_have_count(0)
    expect(page.locator("#changelist")).to_contain_text("0 依申请公开申请")
    stranger.shot("own-empty-ledger")

    # Typing the addresses: 404, 找不到页面, for the report, its workbook and the application.
    for name, path in (
        ("report", f"/reports/{report_office.pk}/2021/"),
        ("workbook", f"/reports/{report_office.pk}/2021/workbook.xlsx"),
        ("application", f"/admin/applications/application/{application.pk}/change/"),
    ):
        response = stranger.open(path)
        assert response.status == 404, path
        expect(page.get_by_role("heading", name="找不到页面")).to_be_visible()
        expect(page.locator("body")).not_to_contain_text(report_office.name)
        expect(page.locator("body")).not_to_contain_text(application.applicant_name)
        stranger.shot(f"{name}-not-found")
