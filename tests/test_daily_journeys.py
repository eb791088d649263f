"""Issue 16: a clerk's, an official's, a district's and a system administrator's day, in a
real browser (tests/browser.py). Screenshots: test-artifacts/journeys/daily-<role>/."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.roles import CLERK, DISTRICT, OFFICIAL, SYSTEM_ADMIN
from applications.choices import ApplicantType, OrganizationKind, Outcome
from applications.models import Application, Organization
from notifications.digest import send_daily_digests
from tests.support.factories import PASSWORD, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.datetime(2025, 11, 24, 9, 0, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture
def clock():
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def town(transactional_db):
    district = Organization.objects.create(
        name="洛阳市洛龙区人民政府", short_name="洛龙区", kind=OrganizationKind.COUNTY
    )
    office = Organization.objects.create(
        name="洛阳市洛龙区学府街道办事处", short_name="学府街道", parent=district
    )
    make_user("dengji", office, [CLERK], last_name="登记员小王", email="wang@example.gov.cn")
    make_user("shenhe", office, [OFFICIAL], last_name="审核人老李")
    make_user("quji", district, [DISTRICT], last_name="区级管理员")
    make_user("xitong", district, [SYSTEM_ADMIN], last_name="系统管理员")
    for index, (received, answered) in enumerate(
        [(datetime.date(2024, 3, 4), datetime.date(2024, 3, 20))] * 3, start=1
    ):
        Application.objects.create(
            organization=office,
            number=f"学府街道〔2024〕{index}号",
            received_on=received,
            answered_on=answered,
            outcome=Outcome.DISCLOSED,
            applicant_type=ApplicantType.NATURAL_PERSON,
            applicant_name="赵敏",
            applicant_id_number="410311199001011234",
            applicant_phone="13912345678",
            content="申请公开辖区道路维修计划",
        )
    # This year: 901–906 typed by hand; one received on 27 October is due on 24 November.
    for sequence in range(901, 907):
        Application.objects.create(
            organization=office,
            number=f"学府街道〔2025〕{sequence}号",
            received_on=datetime.date(2025, 10, 27),
            applicant_type=ApplicantType.NATURAL_PERSON,
            applicant_name="钱进",
            content="申请公开社区网格员招聘结果",
        )
    return district, office


def test_clerk_day(journey, clock, town):
    send_daily_digests()
    clerk = journey("daily-clerk", today=TODAY)
    page = clerk.page
    clerk.sign_in("dengji", PASSWORD)
    clerk.shot("home")

    # The morning's reminder, read and marked read.
    page.get_by_role("navigation").get_by_role("link", name="提醒").click()
    expect(page.locator("#unread-count")).to_have_text("未读 1 条")
    expect(page.locator("body")).to_contain_text("学府街道2025年11月24日答复期限提醒")
    clerk.shot("notifications")
    page.get_by_role("button", name="标为已读", exact=True).click()
    expect(page.locator("#unread-count")).to_have_text("未读 0 条")

    # A new application, its date typed the way gongkai prints it.
    page.get_by_role("navigation").get_by_role("link", name="申请台账").click()
    expect(page.locator(".gk-shell-nav")).to_be_visible()
    page.get_by_role("link", name="增加 依申请公开申请").click()
    page.locator("#id_received_on").fill("2025年11月24日")
    expect(page.locator(".field-received_on .help")).to_contain_text(
        "日期可写作 2026-12-3、2026/12/3、2026.12.3 或 2026年12月3日。"
    )
    page.locator("#id_applicant_type").select_option(label="自然人")
    page.locator("#id_applicant_name").fill("赵敏")
    page.locator("#id_applicant_phone").fill("13912345678")
    page.locator("#id_content").fill("申请公开辖区道路维修资金使用情况")
    groups = page.locator("#id_outcome optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert groups[-1] == "（六）其他处理" and len(groups) == 6
    clerk.shot("new-application-with-chinese-date")
    page.get_by_role("button", name="保存并继续编辑").click()
    expect(page.locator("#id_number")).to_have_value("学府街道〔2025〕907号")
    expect(page.locator("#id_received_on")).to_have_value("2025/11/24")
    # The same person's earlier applications, found by the phone number.
    expect(page.locator("#same-applicant")).to_contain_text("学府街道〔2024〕1号")
    clerk.shot("saved-907-with-same-applicant")

    # A clock stop, then the history in Chinese with the clock stop on it.
    page.get_by_role("button", name="添加另一个 不计入答复期限的期间").click()
    page.locator("#id_clock_stops-0-kind").select_option(label="征求第三方意见")
    page.locator("#id_clock_stops-0-started_on").fill("2025.11.24")
    page.get_by_role("button", name="保存并继续编辑").click()
    page.get_by_role("link", name="历史").click()
    history = page.locator("#change-history")
    expect(history).to_contain_text(
        "不计入答复期限的期间：征求第三方意见（2025年11月24日起，尚未结束）"
    )
    expect(history).not_to_contain_text("None")
    expect(history).to_contain_text("139****5678")
    expect(history).not_to_contain_text("13912345678")
    clerk.shot("history-in-chinese")

    # Search by the full phone number: found, shown masked.
    page.locator(".gk-shell-nav").get_by_role("link", name="申请台账").click()
    page.locator("#searchbar").fill("13912345678")
    page.locator("#searchbar").press("Enter")
    expect(page.locator("#result_list")).to_contain_text("学府街道〔2025〕907号")
    expect(page.locator("#result_list")).not_to_contain_text("13912345678")
    clerk.shot("search-by-phone")
    page.locator(".gk-shell-nav").get_by_role("link", name="首页").click()
    expect(page.get_by_role("heading", name="首页")).to_be_visible()


def test_official_day(journey, clock, town):
    _, office = town
    official = journey("daily-official", today=TODAY)
    page = official.page
    official.sign_in("shenhe", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="年度报告").click()
    page.locator("#id_year").select_option(label="2024年")
    page.get_by_role("button", name="打开报告").click()
    expect(page.locator("h1.report-title")).to_be_visible()

    # The text and table 二 from the report page.
    page.get_by_role("link", name="填写报告文字和表二数据").click()
    page.locator("#id_narrative-active_disclosure").fill("全年主动公开政府信息520条。")
    page.locator("#id_figures-licensing_decisions").fill("7")
    official.shot("edit-report")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".report")).to_contain_text("全年主动公开政府信息520条。")
    expect(page.locator("#charts")).to_be_visible()
    official.shot("report-with-text")

    # On paper: the statutory report only, no charts.
    page.emulate_media(media="print")
    expect(page.locator("#charts")).to_be_hidden()
    expect(page.locator("h1.report-title")).to_be_visible()
    official.shot("print-without-charts")
    page.emulate_media(media="screen")

    # 定稿 asks first, showing the checks' verdict.
    page.get_by_role("button", name="按当前台账定稿").click()
    expect(page.locator("#sign-off-verdict")).to_be_visible()
    official.shot("confirm-sign-off")
    page.get_by_role("button", name="确认定稿（第1版）").click()
    expect(page.locator("#sign-off-status")).to_contain_text("以下是定稿第1版")
    assert office.report_sign_offs.count() == 1


def test_district_day(journey, clock, town):
    district, _ = town
    person = journey("daily-district", today=TODAY)
    page = person.page
    person.sign_in("quji", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="年度报告").click()
    expect(page.locator("#district-links")).to_contain_text("2024年度报送情况和汇总")
    person.shot("report-index")
    page.locator("#id_organization").select_option(label=district.name)
    page.locator("#id_year").select_option(label="2024年")
    page.get_by_role("button", name="打开报告").click()
    expect(page).to_have_url(f"{person.base_url}/reports/district/{district.pk}/2024/")
    person.shot("district-board")


def test_system_administrator_day(journey, clock, town):
    person = journey("daily-sysadmin", today=TODAY)
    page = person.page
    person.sign_in("xitong", PASSWORD)
    favicon = page.request.get(person.base_url + "/favicon.ico")
    assert favicon.ok and "svg" in favicon.headers["content-type"]
    page.goto(person.base_url + "/admin/accounts/user/")
    expect(page.locator(".gk-shell-nav")).to_contain_text("首页")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert not any("删除" in action for action in actions)
    person.shot("users-without-bulk-delete")
    page.get_by_role("link", name="增加 用户").click()
    expect(page.locator("#content")).to_contain_text("保存后可以继续设置该用户的其他信息")
    page.get_by_role("button", name="保存", exact=True).click()
    assert "Error" not in page.title() and page.title().startswith("有错误：")
    person.shot("add-user-errors-in-chinese")
