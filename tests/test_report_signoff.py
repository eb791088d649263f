import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from applications.deletion import ApplicationDeletionRefused
from reports import signoff
from reports.figures import tables
from reports.models import ReportNarrative, ReportSignOff
from tests.support.pages import text_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
SIGNED_AT = datetime.datetime(2022, 1, 20, 9, 30, tzinfo=SHANGHAI)
LATER = datetime.datetime(2022, 2, 1, 15, 0, tzinfo=SHANGHAI)  # within the session's two weeks


@pytest.fixture
def traveller():
    with time_machine.travel(SIGNED_AT, tick=False) as traveller:
        yield traveller


def sign(client, office, year=2021, expected_status=302):
    response = client.post(reverse("reports:sign_off", args=[office.pk, year]))
    assert response.status_code == expected_status
    return response


def later(traveller, client):
    """Weeks after signing off: the idle session has long expired, so the same person signs in again."""
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    traveller.move_to(LATER)
    client.force_login(user)


def page(client, office, year=2021, **params):
    return client.get(reverse("reports:report", args=[office.pk, year]), params)


def test_sign_off_stores_figures_narrative_checks_and_workbook(
    traveller, reviewer_client, reviewer, office, ledger
):
    response = sign(reviewer_client, office)
    assert response.status_code == 302
    sign_off = ReportSignOff.objects.get()
    assert (sign_off.organization, sign_off.year, sign_off.version, sign_off.signed_by) == (
        office,
        2021,
        1,
        reviewer,
    )
    assert sign_off.signed_at == SIGNED_AT
    assert sign_off.figures == tables.annual_report(office, 2021).as_json()
    assert sign_off.narrative["problems"] == "政府信息公开时效性还需要提高。"
    assert [check["code"] for check in sign_off.checks][:2] == [
        "table_three_balance",
        "table_three_results_total",
    ]
    workbook = load_workbook(BytesIO(bytes(sign_off.workbook)))
    assert workbook.sheetnames == ["表二", "表三", "表四", "校验", "文字部分", "图表"]
    assert workbook["校验"]["A2"].value == "定稿第1版：李审核（shenhe）于2022年1月20日 09:30定稿。"
    event = AuditEvent.objects.get(action=AuditEvent.Action.REPORT_SIGN_OFF)
    assert (event.user, event.organization, event.detail) == (
        reviewer,
        office,
        "2021年度报告定稿第1版",
    )


def test_page_shows_the_signed_off_version(traveller, reviewer_client, office, ledger):
    sign(reviewer_client, office)
    text = text_of(page(reviewer_client, office))
    assert "以下是定稿第1版：李审核（shenhe）于2022年1月20日 09:30定稿" in text
    assert "定稿后台账有变动" not in text


def test_text_that_disagrees_with_the_tables_is_flagged_before_sign_off_quoting_it(
    traveller, reviewer_client, office, ledger
):
    new = tables.annual_report(office, 2021).table_three.values["new"]["total"]
    sentence = f"全年共收到申请{new + 1}件。"
    ReportNarrative.objects.filter(organization=office, year=2021).update(
        on_request=sentence, problems="无"
    )
    html = reviewer_client.get(
        reverse("reports:sign_off_confirm", args=[office.pk, 2021])
    ).content.decode()
    assert (
        f"“{sentence}”（（二）依申请公开）：文字为“{new + 1}件”，"
        f"表三“一、本年新收政府信息公开申请数量”的总计是{new}。"
    ) in html
    assert (
        "报告第五部分写明了存在的主要问题及改进情况</strong>：五、存在的主要问题及改进情况：“无”"
        in html
    )
    assert not ReportSignOff.objects.exists()


def test_sign_off_needs_the_permission(traveller, clerk_client, office, ledger):
    sign(clerk_client, office, expected_status=403)
    assert not ReportSignOff.objects.exists()


def test_opening_the_sign_off_address_directly_says_so_in_chinese_and_signs_nothing(
    traveller, client, reviewer, office, ledger
):
    client.force_login(reviewer)
    response = client.get(reverse("reports:sign_off", args=[office.pk, 2021]))
    assert response.status_code == 405
    assert "这个地址不能直接打开" in response.content.decode()
    assert not ReportSignOff.objects.exists()


def test_sign_off_is_post_only_and_checks_csrf(traveller, client, reviewer, office, ledger):
    client.force_login(reviewer)
    assert client.get(reverse("reports:sign_off", args=[office.pk, 2021])).status_code == 405
    client.handler.enforce_csrf_checks = True
    sign(client, office, expected_status=403)
    assert not ReportSignOff.objects.exists()


def test_sign_off_of_another_office_is_not_found(traveller, reviewer_client, other_office):
    sign(reviewer_client, other_office, expected_status=404)


def test_a_year_still_running_cannot_be_signed_off(traveller, reviewer_client, office):
    response = sign(reviewer_client, office, 2022)
    assert response.status_code == 302
    assert not ReportSignOff.objects.exists()
    assert "2022年度还没有结束，不能定稿" in text_of(reviewer_client.get(response["Location"]))


def test_a_stored_sign_off_cannot_be_changed_or_deleted(traveller, reviewer_client, office, ledger):
    sign(reviewer_client, office)
    sign_off = ReportSignOff.objects.get()
    sign_off.figures = {}
    with pytest.raises(ValidationError):
        sign_off.save()
    with pytest.raises(ValidationError):
        sign_off.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportSignOff.objects.filter(pk=sign_off.pk).update(version=9)
    assert ReportSignOff.objects.get().version == 1


def test_the_admin_shows_sign_offs_read_only(traveller, reviewer, admin_client, office, ledger):
    signoff.sign_off(office, 2021, reviewer)
    sign_off = ReportSignOff.objects.get()
    change_url = reverse("admin:reports_reportsignoff_change", args=[sign_off.pk])
    response = admin_client.get(change_url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert admin_client.post(change_url, {"version": 5}).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:reports_reportsignoff_delete", args=[sign_off.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:reports_reportsignoff_add")).status_code == 403
    assert ReportSignOff.objects.get().version == 1


def test_signing_again_makes_a_new_version_and_old_ones_stay_downloadable(
    traveller, reviewer_client, reviewer, office, ledger
):
    sign(reviewer_client, office)
    later(traveller, reviewer_client)
    ledger["open"].answered_on = datetime.date(2021, 12, 30)
    ledger["open"].outcome = "1"
    ledger["open"].save()
    sign(reviewer_client, office)
    first, second = ReportSignOff.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert first.figures["table_three"]["carried_out"]["public_welfare"] == 1
    assert second.figures["table_three"]["carried_out"]["public_welfare"] == 0
    for version in (first, second):
        response = reviewer_client.get(
            reverse("reports:signed_workbook", args=[office.pk, 2021, version.version])
        )
        assert response.status_code == 200
        assert response.content == bytes(version.workbook)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REPORT_DOWNLOAD).count() == 2
    html = page(reviewer_client, office).content.decode()
    assert "定稿第2版" in html
    assert reverse("reports:signed_workbook", args=[office.pk, 2021, 1]) in html


def test_signed_workbook_of_another_office_is_not_found(
    traveller, reviewer_client, admin_user, other_office
):
    signoff.sign_off(other_office, 2021, admin_user)
    assert (
        reviewer_client.get(
            reverse("reports:signed_workbook", args=[other_office.pk, 2021, 1])
        ).status_code
        == 404
    )


def test_a_later_ledger_edit_makes_the_page_warn_and_name_the_record(
    traveller, reviewer_client, office, ledger
):
    sign(reviewer_client, office)
    later(traveller, reviewer_client)
    application = ledger["a_dec31"]
    application.answered_on = datetime.date(
        2021, 12, 31
    )  # now answered in 2021, no longer carried out
    application.save()
    ledger["in_2022"].content = "改了2022年的申请，与2021年无关"
    ledger["in_2022"].save()
    response = page(reviewer_client, office)
    text = text_of(response)
    assert "定稿后台账有变动，按现在的台账重新计算，有 6 个数字与定稿第1版不同" in text
    assert "表三 · （一）予以公开 · 自然人：定稿 0，按现在的台账 1" in text
    assert "表三 · （七）总计 · 总计：定稿 6，按现在的台账 7" in text
    assert "表三 · 四、结转下年度继续办理 · 自然人：定稿 1，按现在的台账 0" in text
    assert f"申请 {application.number}（定稿后修改，最后修改于2022年2月1日 15:00）" in text
    assert ledger["in_2022"].number not in text
    # The page still shows the figures as signed off.
    assert tables.annual_report(office, 2021).table_three.values["carried_out"]["total"] == 1
    assert response.context["contents"].report.table_three.values["carried_out"]["total"] == 2


def test_a_counted_application_cannot_be_deleted_and_an_edited_case_is_named(
    traveller, reviewer_client, office, ledger
):
    sign(reviewer_client, office)
    later(traveller, reviewer_client)
    with (
        pytest.raises(ApplicationDeletionRefused, match="已计入已定稿的年度报告"),
        transaction.atomic(),
    ):
        ledger["fee_unpaid"].delete()
    review = ledger["review_across"]
    review.concluded_on = datetime.date(2021, 12, 20)
    review.save()
    text = text_of(page(reviewer_client, office))
    assert "定稿后已删除" not in text
    assert f"{ledger['partly'].number}的行政复议（2021年11月1日立案）（定稿后修改" in text


def test_an_application_moved_to_another_office_is_named(
    traveller, reviewer_client, office, other_office, ledger
):
    sign(reviewer_client, office)
    later(traveller, reviewer_client)
    moved = ledger["open"]
    moved.organization = other_office
    moved.save()
    text = text_of(page(reviewer_client, office))
    assert "表三 · 一、本年新收政府信息公开申请数量 · 社会公益组织：定稿 1，按现在的台账 0" in text
    assert f"申请 {moved.number}（定稿后修改" in text


def test_an_edit_that_changes_no_figure_gives_no_warning(
    traveller, reviewer_client, office, ledger
):
    sign(reviewer_client, office)
    later(traveller, reviewer_client)
    ledger["same_day"].applicant_name = "改名后的公司"
    ledger["same_day"].save()
    assert "定稿后台账有变动" not in text_of(page(reviewer_client, office))


def test_cross_year_check_fails_when_last_years_signed_off_carry_out_differs(
    traveller, reviewer_client, office, ledger
):
    sign(reviewer_client, office, 2020)
    later(traveller, reviewer_client)
    moved = ledger["from_2020"]
    moved.received_on = datetime.date(2021, 1, 3)  # no longer carried in from 2020
    moved.save()
    text = text_of(page(reviewer_client, office, 2021))
    assert "与2020年度报告定稿（第1版，2022年1月20日定稿）比较" in text
    assert "科研机构：本年“二、上年结转” 0，2020年“四、结转下年度继续办理” 1" in text
    assert "总计：本年“二、上年结转” 1，2020年“四、结转下年度继续办理” 2" in text


def test_cross_year_check_passes_against_an_unchanged_sign_off(
    traveller, reviewer_client, office, ledger
):
    sign(reviewer_client, office, 2020)
    response = page(reviewer_client, office, 2021)
    checks = {check.code: check for check in response.context["contents"].checks}
    assert checks["cross_year"].status == "pass"
    assert "与2020年度报告定稿（第1版" in checks["cross_year"].explanation


def test_in_force_check_uses_last_years_signed_off_figure(
    traveller, reviewer_client, office, ledger
):
    sign(reviewer_client, office, 2020)
    later(traveller, reviewer_client)
    ledger["regulation"].issued_on = datetime.date(
        2021, 3, 1
    )  # was in force in 2020 when signed off
    ledger["regulation"].save()
    checks = {
        check.code: check
        for check in page(reviewer_client, office, 2021).context["contents"].checks
    }
    assert checks["table_two_in_force"].status == "fail"
    assert checks["table_two_in_force"].details == [
        "规章：上年现行有效 1 + 本年制发 1 − 本年废止 0 = 2，本年现行有效 1"
    ]


def test_live_view_shows_the_ledger_as_it_stands(traveller, reviewer_client, office, ledger):
    sign(reviewer_client, office)
    later(traveller, reviewer_client)
    ledger["open"].answered_on = datetime.date(2021, 12, 30)
    ledger["open"].outcome = "1"
    ledger["open"].save()
    response = page(reviewer_client, office, live="1")
    assert response.context["contents"].sign_off is None
    assert (
        response.context["contents"].report.table_three.values["carried_out"]["public_welfare"] == 0
    )
    assert "按当前台账定稿（生成第2版）" in response.content.decode()
