import datetime
import zipfile
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from applications.choices import OUTCOME_GROUPS
from reports.figures import tables
from reports.outputs.xlsx import GRID_FIRST_ROW
from tests.support.report_ledger import EXPECTED_FOUR, EXPECTED_THREE, FORMULA

TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
FIRST = GRID_FIRST_ROW  # first row of each table's header


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def download(client, office, year=2021):
    response = client.get(reverse("reports:workbook", args=[office.pk, year]))
    assert response.status_code == 200
    return response


def open_workbook(response):
    return load_workbook(BytesIO(response.content))


def sheet_values(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_download_is_an_xlsx_named_for_the_office_and_year_and_is_audited(
    reviewer_client, reviewer, office
):
    response = download(reviewer_client, office)
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.REPORT_DOWNLOAD)
    assert (event.user, event.organization) == (reviewer, office)


def test_sheets_come_in_the_official_order(reviewer_client, office):
    assert open_workbook(download(reviewer_client, office)).sheetnames == [
        "表二",
        "表三",
        "表四",
        "校验",
        "文字部分",
        "图表",
    ]


def test_table_three_labels_and_order_match_the_definition(reviewer_client, office, ledger):
    sheet = open_workbook(download(reviewer_client, office))["表三"]
    assert (
        sheet.cell(FIRST, 1).value
        == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    )
    assert sheet.cell(FIRST, 4).value == "申请人情况"
    assert [sheet.cell(FIRST + 1, col).value for col in (4, 5, 10)] == [
        "自然人",
        "法人或其他组织",
        "总计",
    ]
    assert [sheet.cell(FIRST + 2, col).value for col in range(5, 10)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    body = range(FIRST + 3, FIRST + 3 + len(tables.TABLE_THREE_ROWS))
    row_labels = [
        next(sheet.cell(row, col).value for col in (3, 2, 1) if sheet.cell(row, col).value)
        for row in body
    ]
    assert row_labels == [row.label for row in tables.TABLE_THREE_ROWS]
    assert sheet.cell(FIRST + 5, 1).value == "三、本年度办理结果"
    group_labels = [sheet.cell(row, 2).value for row in body if sheet.cell(row, 2).value]
    assert group_labels == [group.label for group in OUTCOME_GROUPS] + ["（七）总计"]


def test_table_three_headers_are_merged_like_the_format(reviewer_client, office):
    merged = {
        str(cell_range)
        for cell_range in open_workbook(download(reviewer_client, office))[
            "表三"
        ].merged_cells.ranges
    }
    f = FIRST
    assert {
        f"A{f}:C{f + 2}",
        f"D{f}:J{f}",
        f"D{f + 1}:D{f + 2}",
        f"E{f + 1}:I{f + 1}",
        f"J{f + 1}:J{f + 2}",
    } <= merged
    assert f"A{f + 5}:A{f + 26}" in merged  # 三、本年度办理结果 spans its 22 rows
    assert f"A{f + 3}:C{f + 3}" in merged and f"A{f + 27}:C{f + 27}" in merged


def test_table_three_figures_are_numbers_and_balance_in_every_column(
    reviewer_client, office, ledger
):
    sheet = open_workbook(download(reviewer_client, office))["表三"]
    rows = {row.code: FIRST + 3 + index for index, row in enumerate(tables.TABLE_THREE_ROWS)}
    for code, expected in EXPECTED_THREE[2021].items():
        assert [sheet.cell(rows[code], col).value for col in range(4, 11)] == expected, code
    for col in range(4, 11):
        figure = {code: sheet.cell(row, col).value for code, row in rows.items()}
        assert all(isinstance(value, int) for value in figure.values())
        assert figure["new"] + figure["carried_in"] == figure["total"] + figure["carried_out"]
        assert figure["total"] == sum(figure[code] for code in tables.OUTCOME_CODES)


def test_table_four_is_laid_out_in_three_groups_with_the_figures(reviewer_client, office, ledger):
    sheet = open_workbook(download(reviewer_client, office))["表四"]
    assert (sheet.cell(FIRST, 1).value, sheet.cell(FIRST, 6).value) == ("行政复议", "行政诉讼")
    names = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [sheet.cell(FIRST + 1, col).value for col in range(1, 12)] == [
        *names,
        "未经复议直接起诉",
        None,
        None,
        None,
        None,
        "复议后起诉",
    ]
    assert [sheet.cell(FIRST + 2, col).value for col in range(6, 16)] == names * 2
    expected = (
        EXPECTED_FOUR[2021]["review"]
        + EXPECTED_FOUR[2021]["lawsuit_direct"]
        + EXPECTED_FOUR[2021]["lawsuit_after_review"]
    )
    assert [sheet.cell(FIRST + 3, col).value for col in range(1, 16)] == expected
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {
        f"A{FIRST}:E{FIRST}",
        *(f"{col}{FIRST + 1}:{col}{FIRST + 2}" for col in "ABCDE"),
        f"F{FIRST}:O{FIRST}",
        f"F{FIRST + 1}:J{FIRST + 1}",
        f"K{FIRST + 1}:O{FIRST + 1}",
    } <= merged


def test_table_two_blocks_and_the_fee_with_four_decimals(reviewer_client, office, ledger):
    sheet = open_workbook(download(reviewer_client, office))["表二"]
    labels = [row[0] for row in sheet_values(sheet)[FIRST - 1 :]]
    assert labels == [
        "第二十条第（一）项", "信息内容", "规章", "行政规范性文件",
        "第二十条第（五）项", "信息内容", "行政许可",
        "第二十条第（六）项", "信息内容", "行政处罚", "行政强制",
        "第二十条第（八）项", "信息内容", "行政事业性收费",
    ]  # fmt: skip
    documents = FIRST + 3
    assert [sheet.cell(documents, col).value for col in (2, 3, 4)] == [2, 2, 1]
    assert sheet.cell(FIRST + 1, 4).value == "现行有效件数"
    assert sheet.cell(FIRST + 12, 2).value == "本年收费金额（单位：万元，保留4位小数）"
    fee = sheet.cell(FIRST + 13, 2)
    assert fee.number_format == "0.0000"
    assert Decimal(str(fee.value)) == Decimal("0.1250")


def test_sheets_have_borders_widths_and_a4_print_setup(reviewer_client, office):
    workbook = open_workbook(download(reviewer_client, office))
    for name in ("表二", "表三", "表四"):
        sheet = workbook[name]
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.cell(FIRST, 1).border.left.style == "thin"
    assert workbook["表四"].page_setup.orientation == "landscape"
    assert workbook["表四"].column_dimensions["A"].width >= 10  # 结果维持: four Chinese characters
    assert workbook["表三"].column_dimensions["C"].width >= 30  # the long outcome labels
    assert workbook["表三"].print_title_rows == f"${FIRST}:${FIRST + 2}"


def test_checks_sheet_lists_every_check_with_its_result(reviewer_client, office, ledger):
    rows = sheet_values(open_workbook(download(reviewer_client, office))["校验"])
    assert rows[2] == ["序号", "检查项", "结果", "说明", "不一致的数字或涉及的记录"]
    titles = [row[1] for row in rows[3:] if row[1]]
    assert titles[0] == "表三勾稽关系：每一列 一 + 二 = （七）总计 + 四"
    assert "跨年度衔接：本年“二、上年结转”等于2020年“四、结转下年度继续办理”" in titles
    overdue = next(row for row in rows if row[1] == "超过答复期限仍未答复的申请")
    assert overdue[2] == "提示"
    assert ledger["open"].number in overdue[4]


def test_narrative_sheet_has_the_sections_and_the_fee_sentence(reviewer_client, office, ledger):
    texts = [
        row[0] for row in sheet_values(open_workbook(download(reviewer_client, office))["文字部分"])
    ]
    assert texts[0] == "洛阳市洛龙区学府街道办事处2021年政府信息公开工作年度报告"
    order = [
        "一、总体情况",
        "（一）主动公开情况。",
        "全年主动公开各类信息500余条。",
        "（五）政府信息公开监督保障情况。",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert [texts.index(text) for text in order] == sorted(texts.index(text) for text in order)
    six = texts.index("六、其他需要报告的事项")
    assert texts[six + 1 : six + 3] == [
        "本年度共对2件政府信息公开申请收取信息处理费，合计120.50元。",
        "无其他需要报告的事项。",
    ]


def test_formula_looking_applicant_and_narrative_stay_text(reviewer_client, office, ledger):
    ledger["open"].number = FORMULA
    ledger["open"].applicant_name = FORMULA
    ledger["open"].save()
    ledger["narrative_2021"].problems = FORMULA
    ledger["narrative_2021"].save()
    content = download(reviewer_client, office).content
    workbook = load_workbook(BytesIO(content))
    checks = next(
        cell
        for row in workbook["校验"].iter_rows()
        for cell in row
        if str(cell.value).startswith(FORMULA)
    )
    narrative = next(
        cell for row in workbook["文字部分"].iter_rows() for cell in row if cell.value == FORMULA
    )
    for cell in (checks, narrative):
        assert cell.data_type == "s"
        assert cell.quotePrefix
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        ]
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets)


def test_empty_year_workbook_has_zeros(reviewer_client, office):
    sheet = open_workbook(download(reviewer_client, office))["表三"]
    figures = [
        sheet.cell(row, col).value for row in range(FIRST + 3, FIRST + 28) for col in range(4, 11)
    ]
    assert figures == [0] * 175


def test_a_clerk_reads_the_page_but_cannot_download_the_workbook(clerk_client, office):
    response = clerk_client.get(reverse("reports:workbook", args=[office.pk, 2021]))
    assert response.status_code == 403
    assert "您没有下载年度报告（工作簿、Word文档）的权限" in response.content.decode()
    page = clerk_client.get(reverse("reports:report", args=[office.pk, 2021]))
    assert page.status_code == 200
    assert reverse("reports:workbook", args=[office.pk, 2021]) not in page.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REPORT_DOWNLOAD).exists()
