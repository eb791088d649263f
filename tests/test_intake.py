"""Intake of workbooks from offices that do not use gongkai: read by labels, checked, accepted."""

import datetime
import io
import zipfile
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent
from lib.uploads import INTAKE_LIMITS
from lib.workbooks import check_workbook
from reports import intake, signoff
from reports.figures import district as districts
from reports.figures import tables
from reports.models import SubmittedReport
from tests.support.district_ledger import (
    accepted_submission,
    district_user,
    hand_made_workbook,
    landed,
    post_intake,
    sample_report,
)

TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def intake_url(district, year=2021):
    return reverse("reports:intake", args=[district.pk, year])


def submission_url(district, item):
    return reverse("reports:submission", args=[district.pk, item.year, item.pk])


# --- Reading by labels -------------------------------------------------------------------


def test_gongkai_export_reads_back_into_the_same_figures(ledger, office):
    contents = signoff.current_contents(office, 2021)
    reading = intake.read_workbook(signoff.current_workbook(contents), 2021)
    assert reading.errors == []
    assert reading.report.as_json() == tables.annual_report(office, 2021).as_json()
    assert reading.ref(("three", "new", "natural_person")) == "表三!D6"
    assert reading.ref(("four", "review", "total")) == "表四!E6"
    assert reading.ref(("two", "fees", "amount_wan")) == "表二!B16"


def test_hand_filled_tables_on_one_sheet_are_found_by_their_labels():
    report = sample_report()
    reading = intake.read_workbook(hand_made_workbook(report, sheet_name="填报表"), 2021)
    assert reading.errors == []
    assert not reading.legacy_six
    assert reading.report.table_two.as_json() == report.table_two.as_json()
    assert reading.report.table_three.as_json() == report.table_three.as_json()
    assert reading.report.table_four.as_json() == report.table_four.as_json()
    assert reading.ref(("four", "review", "upheld")) == "填报表!B7"
    assert reading.ref(("three", "new", "natural_person")) == "填报表!E13"
    assert (
        "表二读自工作表“填报表”，表三读自工作表“填报表”，表四读自工作表“填报表”。" in reading.notes
    )


def test_sheet_names_with_spaces_are_quoted_in_cell_references():
    reading = intake.read_workbook(hand_made_workbook(sample_report(), sheet_name="Sheet 1"), 2021)
    assert reading.ref(("three", "new", "natural_person")) == "'Sheet 1'!E13"


def test_2019_single_other_row_is_read_as_6_3_with_6_1_and_6_2_at_zero():
    report = sample_report()
    reading = intake.read_workbook(hand_made_workbook(report, legacy_six=True), 2021)
    assert reading.errors == []
    assert reading.legacy_six
    three = reading.report.table_three.values
    for column in tables.TABLE_THREE_COLUMNS:
        expected = sum(
            report.table_three.values[code][column.code] for code in ("6.1", "6.2", "6.3")
        )
        assert (
            three["6.1"][column.code],
            three["6.2"][column.code],
            three["6.3"][column.code],
        ) == (0, 0, expected)
    assert three["total"] == report.table_three.values["total"]
    assert any(
        "2019年格式的单行“（六）其他处理”" in note and "计入“3.其他”" in note
        for note in reading.notes
    )


def test_2019_format_workbook_passes_the_checks_and_can_be_accepted(
    district_client, district, intake_office
):
    response = post_intake(
        district_client,
        district,
        intake_office,
        hand_made_workbook(sample_report(), legacy_six=True),
    )
    pending = SubmittedReport.objects.get()
    assert landed(response) == submission_url(district, pending)
    assert pending.figures["table_three"]["6.1"]["total"] == 0
    page = response.content.decode()
    assert "2019年格式的单行“（六）其他处理”" in page
    assert 'value="accept"' in page


def test_some_but_not_all_of_the_three_other_items_is_refused():
    report = sample_report()
    content = hand_made_workbook(report)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "逾期未按收费通知" in cell.value:
                cell.value = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    reading = intake.read_workbook(buffer.getvalue(), 2021)
    assert reading.report is None
    assert (
        "表三（工作表“Sheet1”）缺少以下行：2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
        in reading.errors[0]
    )


def test_a_missing_table_says_which_label_was_not_found():
    workbook = Workbook()
    workbook.active["A1"] = "第二十条第（一）项"
    buffer = io.BytesIO()
    workbook.save(buffer)
    reading = intake.read_workbook(buffer.getvalue(), 2021)
    assert reading.report is None
    assert reading.errors[0].startswith(
        "表二（工作表“Sheet”）“第二十条第（一）项”（Sheet!A1）下方缺少列名"
    )


def test_blank_and_text_figures_are_named_by_cell():
    report = sample_report()
    reading = intake.read_workbook(
        hand_made_workbook(
            report, blank=("four", "lawsuit_direct", "pending"), text=("three", "3.4", "commercial")
        ),
        2021,
    )
    assert reading.report is None
    assert (
        "Sheet1!J7（未经复议直接起诉 · 尚未审结）是空白。请填写数字，没有的填 0。" in reading.errors
    )
    assert (
        "Sheet1!F20（4.保护第三方合法权益 · 商业企业）应是数字，填的是“约三件”。" in reading.errors
    )


def test_a_workbook_titled_for_another_year_must_be_confirmed():
    reading = intake.read_workbook(hand_made_workbook(sample_report(), title_year=2020), 2021)
    [problem] = reading.confirmations
    assert problem.severity == intake.CHECK
    assert problem.message.startswith("Sheet1!B1的标题是2020年度的报告")
    assert "而您选择的是2021年度。" in problem.message
    assert problem.confirm == "标题写2020年度，这份工作簿确是2021年度的报告"


def test_a_rollup_workbook_with_several_reports_is_refused(ledger, district, office, other_office):
    result = districts.rollup(district, 2021, [office, other_office])
    reading = intake.read_workbook(districts.rollup_workbook(result), 2021)
    assert reading.report is None
    assert "一个工作簿只能有一份年度报告" in reading.errors[0]


# --- Checks with the cells that disagree -------------------------------------------------


def test_hand_made_workbook_with_a_wrong_table_four_total_is_rejected_with_the_cell_named(
    district_client, district, intake_office
):
    report = sample_report()
    report.table_four.values["review"]["total"] += (
        1  # 行政复议 总计 no longer the sum of its four columns
    )
    response = post_intake(district_client, district, intake_office, hand_made_workbook(report))
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能接收" in html and "数字对不上" in html
    assert "表四各组总计等于结果维持、结果纠正、其他结果、尚未审结之和" in html
    assert "<code>Sheet1!F7</code>" in html  # the 总计 of 行政复议
    assert all(f"<code>Sheet1!{column}7</code>" in html for column in "BCDE")
    assert 'value="accept"' not in html
    assert not SubmittedReport.objects.exists()


def test_a_workbook_whose_columns_do_not_balance_names_the_four_cells(intake_office):
    report = sample_report()
    report.table_three.values["new"]["research"] += 2
    report.table_three.values["new"]["total"] += 2
    reading = intake.read_workbook(hand_made_workbook(report), 2021)
    checks = intake.intake_checks(intake_office, 2021, reading.report)
    found = intake.disagreements(checks, reading)
    assert [item.refs for item in found] == [
        ["Sheet1!G13", "Sheet1!G14", "Sheet1!G36", "Sheet1!G37"],
        ["Sheet1!K13", "Sheet1!K14", "Sheet1!K36", "Sheet1!K37"],
    ]
    assert found[0].detail.startswith("科研机构：一 ")


def test_without_last_years_figures_the_cross_year_checks_say_they_cannot_be_made(intake_office):
    checks = intake.intake_checks(intake_office, 2021, sample_report())
    cross = next(check for check in checks if check.code == "cross_year")
    assert cross.status == "warning"
    assert "无法核对" in cross.explanation
    assert not any(check.code in ("overdue_applications", "long_open_cases") for check in checks)


def test_cross_year_check_compares_with_last_years_accepted_workbook(district_admin, intake_office):
    last_year = sample_report(2020, seed=2)
    accepted_submission(intake_office, last_year, district_admin)
    checks = intake.intake_checks(intake_office, 2021, sample_report())
    cross = next(check for check in checks if check.code == "cross_year")
    assert cross.status == "fail"
    assert "与2020年度已接收的报送工作簿（第1版）比较" in cross.explanation


# --- Preview, accept, history ------------------------------------------------------------


def test_upload_preview_then_accept_counts_in_the_rollup(
    district_client, district_admin, district, intake_office, office, other_office
):
    report = sample_report()
    response = post_intake(district_client, district, intake_office, hand_made_workbook(report))
    pending = SubmittedReport.objects.get()
    assert landed(response) == submission_url(district, pending)
    assert (pending.version, pending.accepted_at, pending.uploaded_by) == (
        None,
        None,
        district_admin,
    )
    assert "待接收" in response.content.decode()
    assert (
        districts.rollup(
            district, 2021, [office, other_office, intake_office]
        ).report.table_three.values["new"]["total"]
        == 0
    )

    response = district_client.post(landed(response), {"action": "accept"})
    assert response.status_code == 302
    accepted = SubmittedReport.objects.get()
    assert (accepted.version, accepted.accepted_by) == (1, district_admin)
    assert accepted.accepted_at == TODAY
    assert bytes(accepted.workbook) == hand_made_workbook(report)
    rolled = districts.rollup(district, 2021, [office, other_office, intake_office])
    assert rolled.report.table_three.as_json() == report.table_three.as_json()
    event = AuditEvent.objects.get(action=AuditEvent.Action.REPORT_INTAKE)
    assert (event.user, event.organization) == (district_admin, intake_office)
    assert "接收洛阳市洛龙区安乐镇人民政府报送的2021年度报告工作簿（第1版" in event.detail


def test_a_second_accepted_workbook_is_version_two_and_the_first_stays(
    district_client, district, intake_office, office, other_office
):
    for seed in (1, 3):
        response = post_intake(
            district_client, district, intake_office, hand_made_workbook(sample_report(seed=seed))
        )
        district_client.post(landed(response), {"action": "accept"})
    first, second = SubmittedReport.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    rolled = districts.rollup(district, 2021, [office, other_office, intake_office])
    assert rolled.report.table_three.as_json() == sample_report(seed=3).table_three.as_json()
    html = district_client.get(
        reverse("reports:submission", args=[district.pk, 2021, first.pk])
    ).content.decode()
    assert "汇总采用的是较新的第2版" in html
    assert reverse("reports:submission", args=[district.pk, 2021, second.pk]) in html


def test_an_accepted_workbook_cannot_be_changed_or_deleted(district_admin, intake_office):
    item = accepted_submission(intake_office, sample_report(), district_admin)
    item.figures = {}
    with pytest.raises(ValidationError):
        item.save()
    with pytest.raises(ValidationError):
        item.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        SubmittedReport.objects.filter(pk=item.pk).update(version=5)
    assert SubmittedReport.objects.get().version == 1


def test_discarding_a_pending_workbook_stores_nothing(district_client, district, intake_office):
    response = post_intake(
        district_client, district, intake_office, hand_made_workbook(sample_report())
    )
    response = district_client.post(landed(response), {"action": "discard"})
    assert response.status_code == 302
    assert not SubmittedReport.objects.exists()


def test_the_original_workbook_can_be_downloaded(district_client, district, intake_office):
    content = hand_made_workbook(sample_report())
    post_intake(district_client, district, intake_office, content)
    pending = SubmittedReport.objects.get()
    download = district_client.get(
        reverse("reports:submission_workbook", args=[district.pk, 2021, pending.pk])
    )
    assert download.status_code == 200
    assert download.content == content


# --- Who may upload ----------------------------------------------------------------------


def test_uploading_needs_the_intake_permission(client, django_user_model, district, intake_office):
    client.force_login(district_user(django_user_model, district, "kanban", intake=False))
    assert client.get(intake_url(district)).status_code == 403
    assert (
        post_intake(
            client, district, intake_office, hand_made_workbook(sample_report())
        ).status_code
        == 403
    )
    assert not SubmittedReport.objects.exists()


def test_another_districts_intake_is_not_found(district_client, other_district):
    assert district_client.get(intake_url(other_district)).status_code == 404


def test_the_target_must_be_an_office_of_the_district(district_client, district, other_district):
    outsider = other_district.children.get()
    response = post_intake(district_client, district, outsider, hand_made_workbook(sample_report()))
    assert response.status_code == 200
    assert "请从列表中选择本区的下级机关。" in response.content.decode()
    assert not SubmittedReport.objects.exists()


# --- Upload safety -----------------------------------------------------------------------


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "报表.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "这是旧版Excel（.xls）文件或设置了打开密码的工作簿，无法读取",
        ),
        (
            "报表.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "这是旧版Excel（.xls）文件或设置了打开密码的工作簿，无法读取",
        ),
        (
            "报表.xlsx",
            b"just some text, not a zip",
            "文件不是Excel工作簿（.xlsx），可能是其他类型的文件改了扩展名",
        ),
        (
            "报表.xlsx",
            zip_bytes({"word/document.xml": "<w/>", "[Content_Types].xml": "<Types/>"}),
            "文件不是Excel工作簿（.xlsx）",
        ),
        (
            "报表.xlsx",
            zip_bytes(
                {
                    "[Content_Types].xml": "<Types/>",
                    "xl/workbook.xml": "<workbook/>",
                    "xl/vbaProject.bin": "x",
                }
            ),
            "含有宏",
        ),
        (
            "报表.xlsx",
            zip_bytes(
                {
                    "[Content_Types].xml": "<Types/>",
                    "xl/workbook.xml": "<workbook/>",
                    "xl/worksheets/sheet1.xml": b"0" * (21 * 1024 * 1024),
                }
            ),
            "工作簿解压后有 21.0 MB，超过了 20.0 MB 的上限",
        ),
        (
            "报表.xlsx",
            zip_bytes(
                {
                    "[Content_Types].xml": "<Types/>",
                    "xl/workbook.xml": "<workbook/>",
                    "xl/worksheets/sheet1.xml": b"0" * (2 * 1024 * 1024),
                }
            ),
            "超过了 100 倍的上限，可能是恶意构造的文件",
        ),
        (
            "报表.xlsx",
            b"PK\x03\x04" + b"x" * (2 * 1024 * 1024 + 10),
            "文件有 2,097,166 字节，超过了 2.0 MB 的上限",
        ),
    ],
)
def test_unsafe_or_wrong_files_are_refused_before_parsing(
    district_client, district, intake_office, name, content, message
):
    response = post_intake(district_client, district, intake_office, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SubmittedReport.objects.exists()


def test_the_upload_guard_passes_a_real_report_workbook():
    scan = check_workbook(BytesIO(hand_made_workbook(sample_report())), INTAKE_LIMITS, "年报.xlsx")
    assert scan.sheets["Sheet1"].rows > 40
