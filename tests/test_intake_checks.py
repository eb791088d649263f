"""The intake's failures, tried as a district user would: every problem in one list with its
sheet and cell, misprinted labels proposed and confirmed, the title's office and year
confirmed, advice that fits a workbook, and hostile files refused in Chinese, never a 500."""

import datetime
import io
import time
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from lib.uploads import INTAKE_LIMITS
from lib.workbooks import check_workbook
from reports import intake
from reports.intake import Place
from reports.models import SubmittedReport
from tests.support.district_ledger import landed, post_intake, sample_report
from tests.support.intake_workbooks import dense_figures, office_workbook, save

TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MISPRINT = {"3.2": "2.其他法律行政止公开"}  # as printed in 洪泽区's 2023 report


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


# --- A misprinted label ------------------------------------------------------------------


def test_a_misprinted_row_label_is_named_by_its_cell_with_the_nearest_official_label():
    report = sample_report()
    reading = intake.read_workbook(office_workbook(report, labels=MISPRINT), 2021)
    assert reading.errors == []
    [problem] = reading.confirmations
    assert problem.severity == intake.CHECK
    assert (problem.sheet, problem.cells) == ("年度报告", "A29")
    assert problem.message.startswith(
        "年度报告!A29的行名“2.其他法律行政止公开”与国家格式的行名都不相同，最接近的是“2.其他法律行政法规禁止公开”"
    )
    assert reading.report.table_three.values["3.2"] == report.table_three.values["3.2"]


def test_a_misprinted_label_must_be_confirmed_in_the_preview_and_the_confirmation_is_kept(
    district_client, district, intake_office
):
    response = post_intake(
        district_client, district, intake_office, office_workbook(sample_report(), labels=MISPRINT)
    )
    page = response.content.decode()
    assert 'name="confirm" value="0"' in page
    assert "确认：年度报告!A29的“2.其他法律行政止公开”就是“2.其他法律行政法规禁止公开”" in page

    refused = district_client.post(landed(response), {"action": "accept"}, follow=True)
    assert "请逐项勾选确认“请核对”中的1项后再接收" in refused.content.decode()
    assert SubmittedReport.objects.get().accepted_at is None

    district_client.post(landed(response), {"action": "accept", "confirm": ["0"]})
    accepted = SubmittedReport.objects.get()
    assert accepted.version == 1
    assert accepted.confirmations[0]["confirmed"] is True
    assert accepted.confirmations[0]["cell"] == "A29"
    assert "接收时确认的事项" in district_client.get(landed(response)).content.decode()


def test_a_row_label_far_from_every_official_label_is_a_must_fix_problem():
    reading = intake.read_workbook(office_workbook(sample_report(), labels={"3.2": "备注"}), 2021)
    assert reading.report is None
    assert "缺少以下行：2.其他法律行政法规禁止公开" in reading.errors[0]


# --- A misprinted column name or heading ------------------------------------------------


def retyped(content, place, text):
    """The workbook with one cell typed again."""
    workbook = load_workbook(io.BytesIO(content))
    workbook[place.sheet].cell(place.row, place.col).value = text
    return save(workbook)


def header_above(content, key, rows_up=1):
    """The header cell `rows_up` rows above the figure at `key` in a workbook."""
    figure = intake.read_workbook(content, 2021).cells[key]
    return Place(figure.sheet, figure.row - rows_up, figure.col)


def test_a_misprinted_column_name_in_table_three_is_named_by_its_cell_with_the_nearest_name():
    report = sample_report()
    content = office_workbook(report)
    header = header_above(content, ("three", "new", "public_welfare"))
    reading = intake.read_workbook(retyped(content, header, "社会公益组识"), 2021)
    assert reading.errors == []
    [problem] = reading.confirmations
    assert (problem.sheet, problem.cells) == ("年度报告", header.cell)
    assert problem.message.startswith(
        f"年度报告!{header.cell}的列名“社会公益组识”与国家格式的列名都不相同，"
        "最接近的是“社会公益组织”，已按“社会公益组织”读取这一列的数字。"
    )
    assert reading.report.table_three.as_json() == report.table_three.as_json()


def test_a_misprinted_column_name_in_table_four_is_named_by_its_cell_with_the_nearest_name():
    report = sample_report()
    content = office_workbook(report, four_layout="sample")
    header = header_above(content, ("four", "lawsuit_after_review", "corrected"))
    reading = intake.read_workbook(retyped(content, header, "结果纠证"), 2021)
    assert reading.errors == []
    [problem] = reading.confirmations
    assert problem.cells == header.cell
    assert "的列名“结果纠证”与国家格式的列名都不相同，最接近的是“结果纠正”" in problem.message
    assert reading.report.table_four.as_json() == report.table_four.as_json()


@pytest.mark.parametrize(
    ("group", "typed"),
    [("lawsuit_after_review", "复议后起拆"), ("lawsuit_direct", "未经复议直接起拆")],
)
def test_a_misprinted_heading_of_table_four_is_proposed_too(group, typed):
    report = sample_report()
    content = office_workbook(report, four_layout="sample")
    heading = header_above(content, ("four", group, "upheld"), rows_up=2)
    reading = intake.read_workbook(retyped(content, heading, typed), 2021)
    assert reading.errors == []
    [problem] = reading.confirmations
    assert problem.cells == heading.cell
    assert f"的表头“{typed}”与国家格式的表头都不相同" in problem.message
    assert reading.report.table_four.as_json() == report.table_four.as_json()


def test_a_column_name_far_from_every_official_name_is_a_must_fix_problem():
    content = office_workbook(sample_report())
    header = header_above(content, ("three", "new", "research"))
    reading = intake.read_workbook(retyped(content, header, "备注"), 2021)
    assert reading.report is None
    assert "缺少列“科研机构”" in reading.errors[0]


def test_a_misprinted_column_name_is_confirmed_in_the_preview_and_kept(
    district_client, district, intake_office
):
    content = office_workbook(sample_report())
    header = header_above(content, ("three", "new", "legal_service"))
    response = post_intake(
        district_client, district, intake_office, retyped(content, header, "法律服务机购")
    )
    confirm = f"年度报告!{header.cell}的“法律服务机购”就是“法律服务机构”"
    assert f"确认：{confirm}" in response.content.decode()
    district_client.post(landed(response), {"action": "accept", "confirm": ["0"]})
    kept = SubmittedReport.objects.get()
    assert kept.version == 1 and kept.confirmations[0]["confirm"] == confirm


# --- Every problem in one list -----------------------------------------------------------


def broken_workbook():
    """Blank, "/", negative and fractional figures in three tables, and a misprinted label."""
    content = office_workbook(sample_report(), labels=MISPRINT)
    reading = intake.read_workbook(content, 2021)
    workbook = load_workbook(io.BytesIO(content))
    for key, value in [
        (("two", "licensing", "decisions"), None),
        (("three", "new", "research"), "/"),
        (("three", "1", "other"), -2),
        (("four", "review", "pending"), 1.5),
    ]:
        place = reading.cells[key]
        workbook[place.sheet].cell(place.row, place.col).value = value
    return save(workbook)


def test_every_problem_is_listed_at_once_with_its_sheet_and_cell():
    reading = intake.read_workbook(broken_workbook(), 2021)
    must_fix = [(p.sheet, p.cells) for p in reading.problems if p.severity == intake.MUST_FIX]
    assert must_fix == [
        ("年度报告", "B11"),
        ("年度报告", "D24"),
        ("年度报告", "G26"),
        ("年度报告", "D54"),
    ]
    assert [p.cells for p in reading.problems if p.severity == intake.CHECK] == ["A29"]


def test_the_rejection_page_groups_the_problems_as_must_fix_and_check(
    district_client, district, intake_office
):
    html = post_intake(district_client, district, intake_office, broken_workbook()).content.decode()
    assert "共4处必须修改" in html
    assert 'data-group="必须修改"' in html and 'data-group="请核对"' in html
    assert html.index('data-group="必须修改"') < html.index('data-group="请核对"')
    assert "年度报告!D24（一、本年新收政府信息公开申请数量 · 科研机构）填的是“/”" in html
    assert "不能是负数" in html and "应是整数（件数）" in html and "是空白" in html
    assert not SubmittedReport.objects.exists()


# --- The title's office and year ---------------------------------------------------------


def test_a_title_naming_another_office_needs_explicit_confirmation(
    district_client, district, intake_office
):
    content = office_workbook(
        sample_report(), title="洛阳市洛龙区关林镇人民政府2021年政府信息公开工作年度报告"
    )
    response = post_intake(district_client, district, intake_office, content)
    page = response.content.decode()
    assert (
        "标题写的机关是“洛阳市洛龙区关林镇人民政府”，而您选择的报送机关是“洛阳市洛龙区安乐镇人民政府”"
        in page
    )
    district_client.post(landed(response), {"action": "accept"})
    assert SubmittedReport.objects.get().accepted_at is None
    district_client.post(landed(response), {"action": "accept", "confirm": ["0"]})
    assert SubmittedReport.objects.get().accepted_at is not None


def test_a_title_naming_the_office_by_its_short_name_needs_no_confirmation(intake_office):
    content = office_workbook(sample_report(), title="安乐镇2021年政府信息公开工作年度报告")
    reading = intake.read_workbook(content, 2021, intake_office)
    assert reading.confirmations == []


# --- Advice that fits a workbook ---------------------------------------------------------


def test_a_balance_that_fails_gives_advice_for_the_workbook_not_the_ledger(intake_office):
    report = sample_report()
    report.table_three.values["new"]["research"] += 2
    report.table_three.values["new"]["total"] += 2
    checks = intake.intake_checks(intake_office, 2021, report)
    balance = next(check for check in checks if check.code == "table_three_balance")
    assert balance.status == "fail"
    assert "收到日期" not in balance.explanation and "台账" not in balance.explanation
    assert "请报送机关核对工作簿表三中这些列" in balance.explanation


# --- Hostile and damaged files -----------------------------------------------------------


def with_part(content, name, transform):
    """The workbook with one of its XML parts rewritten."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item.filename, transform(data) if item.filename == name else data)
    return buffer.getvalue()


ENTITIES = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


def without_declaration(data):
    return data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data


def late_entity_payload(data):
    """The declaration after a long comment: past the guard's look at the prolog, caught by
    the parser."""
    prolog, body = ENTITIES.split(b"?>", 1)
    padding = b"<!--" + b" " * 5000 + b"-->"
    return (
        prolog + b"?>" + padding + body + without_declaration(data).replace(b"<v>", b"<v>&lol2;", 1)
    )


def entity_payload(data):
    return ENTITIES + without_declaration(data).replace(b"<v>", b"<v>&lol2;", 1)


@pytest.mark.parametrize(
    ("part", "transform", "message"),
    [
        ("xl/worksheets/sheet1.xml", entity_payload, "含有 XML 实体或文档类型声明"),
        ("xl/worksheets/sheet1.xml", late_entity_payload, "含有 XML 实体或文档类型声明"),
        ("xl/workbook.xml", lambda data: ENTITIES + without_declaration(data), "含有 XML 实体"),
        ("xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 2], "XML 格式有误"),
        (
            "xl/worksheets/sheet1.xml",
            lambda data: data.replace(b"&#21333;&#20301;", b"&#21333;\x01&#20301;"),
            "含有控制字符",
        ),
        (
            "xl/worksheets/sheet1.xml",
            lambda data: data.replace(b"&#21333;&#20301;", b"&#21333;&#1;&#20301;"),
            "含有控制字符",
        ),
    ],
)
def test_hostile_or_damaged_xml_gets_a_chinese_error_never_a_500(
    district_client, district, intake_office, part, transform, message
):
    content = with_part(office_workbook(sample_report()), part, transform)
    response = post_intake(district_client, district, intake_office, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SubmittedReport.objects.exists()


def xml_bytes(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(item.file_size for item in archive.infolist() if item.filename.endswith(".xml"))


def test_a_workbook_at_the_parsing_bounds_is_read_within_five_seconds(intake_office):
    """Figures in every one of the intake's 100 columns, rows up to its bound on XML."""
    content = dense_figures(700, INTAKE_LIMITS.max_columns)
    assert 0.9 * INTAKE_LIMITS.max_xml_bytes < xml_bytes(content) < INTAKE_LIMITS.max_xml_bytes
    check_workbook(io.BytesIO(content), INTAKE_LIMITS, "年报.xlsx")  # within every limit
    started = time.monotonic()
    result = intake.preview(intake_office, 2021, content, "年报.xlsx")
    assert time.monotonic() - started < 5
    assert result.reading.errors[0].startswith("没有找到表二")


def test_sheets_beyond_the_parsing_bounds_are_refused_before_parsing(
    district_client, district, intake_office
):
    workbook = Workbook()
    for row in range(1, 1001):
        workbook.active.append([f"第{row}行第{col}列" for col in range(1, 60)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = post_intake(district_client, district, intake_office, buffer.getvalue())
    assert response.status_code == 200
    assert "工作簿中的表格内容过多" in response.content.decode()


# --- Text against tables -----------------------------------------------------------------


def test_a_workbooks_text_is_checked_against_its_tables_quoting_the_cell(intake_office):
    report = sample_report()
    new = report.table_three.values["new"]["total"]
    text = f"二、依申请公开情况。全年共收到政府信息公开申请{new + 1}件。"
    content = office_workbook(report, fee_text=text)
    result = intake.preview(intake_office, 2021, content)
    check = next(check for check in result.checks if check.code == "text_against_tables")
    assert check.status == "fail"
    [detail] = check.details
    assert detail.startswith(f"“全年共收到政府信息公开申请{new + 1}件。”（年度报告!A")
    assert detail.endswith(f"的总计是{new}（年度报告!H24）。")


def test_a_title_with_the_year_first_is_compared_too(intake_office):
    content = office_workbook(sample_report(), title="2021年洛龙区关林镇政府信息公开工作年度报告")
    reading = intake.read_workbook(content, 2021, intake_office)
    [problem] = reading.confirmations
    assert "标题写的机关是“洛龙区关林镇”" in problem.message


def test_a_title_naming_only_the_district_needs_confirmation(intake_office):
    content = office_workbook(sample_report(), title="洛龙区2021年政府信息公开工作年度报告")
    assert len(intake.read_workbook(content, 2021, intake_office).confirmations) == 1


# --- Section 五 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("five", "fee_text", "said"),
    [
        ("无", "六、其他需要报告的事项\n本年度未收取信息处理费。", "只写了“无”"),
        ("", "六、其他需要报告的事项\n本年度未收取信息处理费。", "是空白"),
        (None, "五、存在的主要问题及改进情况：无。\n六、其他需要报告的事项\n无。", "只写了“无。”"),
    ],
)
def test_a_section_five_that_says_nothing_must_be_confirmed_quoting_it(five, fee_text, said):
    content = office_workbook(sample_report(), five=five, fee_text=fee_text)
    reading = intake.read_workbook(content, 2021)
    [problem] = reading.confirmations
    assert problem.severity == intake.CHECK and problem.sheet == "年度报告"
    assert problem.message.startswith(
        f"年度报告!{problem.cells}的“五、存在的主要问题及改进情况”{said}。"
    )
    assert problem.confirm == f"“五、存在的主要问题及改进情况”{said}，仍接收这份工作簿"


def test_a_written_section_five_needs_no_confirmation():
    content = office_workbook(sample_report(), five="一是主动公开的内容还不够全面。")
    assert intake.read_workbook(content, 2021).confirmations == []
