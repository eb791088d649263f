"""The report as a Word document: sections, tables in the official layout, fonts, page, storage."""

import datetime
import io
import zipfile
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from accounts.models import AuditEvent
from reports import signoff
from reports.figures import tables
from reports.models import ReportSignOff
from tests.support.pages import cell_texts, table_html

TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def download(client, office, year=2021):
    response = client.get(reverse("reports:document", args=[office.pk, year]))
    assert response.status_code == 200
    return response


def open_document(content):
    return Document(io.BytesIO(content))


def unique_cells(table):
    """The table's cells in reading order, each merged cell once."""
    seen, cells = set(), []
    for row in table.rows:
        for cell in row.cells:
            if cell._tc not in seen:
                seen.add(cell._tc)
                cells.append(cell.text)
    return cells


def test_download_is_a_docx_named_for_the_office_and_is_audited(reviewer_client, reviewer, office):
    response = download(reviewer_client, office)
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.REPORT_DOWNLOAD)
    assert (event.user, event.organization) == (reviewer, office)


def test_docx_has_the_title_and_sections_one_to_six_in_order_with_the_narrative(
    reviewer_client, office, ledger
):
    document = open_document(download(reviewer_client, office).content)
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0].replace("\n", "") == "洛阳市洛龙区学府街道办事处2021年政府信息公开工作年度报告"
    order = [
        "一、总体情况",
        "（一）主动公开情况。",
        "全年主动公开各类信息500余条。",
        "（二）依申请公开办理情况。",
        "严格按照条例规定的期限答复。",
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
    positions = [texts.index(text) for text in order]
    assert positions == sorted(positions)
    assert (
        document.core_properties.title == "洛阳市洛龙区学府街道办事处2021年政府信息公开工作年度报告"
    )


def test_empty_narrative_prints_none(reviewer_client, office):
    texts = [
        paragraph.text
        for paragraph in open_document(download(reviewer_client, office).content).paragraphs
    ]
    assert texts[texts.index("（二）依申请公开办理情况。") + 1] == "无"
    assert texts[texts.index("五、存在的主要问题及改进情况") + 1] == "无"


def test_docx_has_every_label_of_tables_three_and_four_in_order(reviewer_client, office, ledger):
    two, three, four = open_document(download(reviewer_client, office).content).tables
    labels = [text for text in unique_cells(three) if not text.isdigit()]
    expected = [row.label for row in tables.TABLE_THREE_ROWS]
    assert [label for label in labels if label in expected] == expected
    # The header in reading order: caption, 申请人情况, then 自然人 | 法人或其他组织 (its five) | 总计.
    assert labels[:10] == [
        tables.TABLE_THREE_CAPTION,
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    four_labels = [text for text in unique_cells(four) if not text.isdigit()]
    assert (
        four_labels
        == ["行政复议", "行政诉讼"]
        + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        + ["未经复议直接起诉", "复议后起诉"]
        + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    )
    assert unique_cells(two)[0] == "第二十条第（一）项"


def test_docx_tables_have_the_figures_of_the_page(reviewer_client, office, ledger):
    page = reviewer_client.get(reverse("reports:report", args=[office.pk, 2021]))
    two, three, four = open_document(download(reviewer_client, office).content).tables
    for table, css_class in (
        (two, "report-table-two"),
        (three, "report-table-three"),
        (four, "report-table-four"),
    ):
        assert unique_cells(table) == cell_texts(table_html(page, css_class)), css_class


def test_docx_tables_merge_header_cells_and_have_borders(reviewer_client, office):
    _, three, four = open_document(download(reviewer_client, office).content).tables
    header = three.rows[0].cells
    assert header[0]._tc is header[2]._tc  # the caption spans three columns …
    assert three.rows[2].cells[0]._tc is header[0]._tc  # … and three rows
    assert {cell._tc for cell in three.rows[0].cells[3:]} == {
        three.rows[0].cells[3]._tc
    }  # 申请人情况 over seven
    results = {three.rows[row].cells[0]._tc for row in range(5, 27)}
    assert len(results) == 1  # 三、本年度办理结果 spans its 22 rows
    borders = four._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders} == dict.fromkeys(
        ["top", "left", "bottom", "right", "insideH", "insideV"], "single"
    )
    header_rows = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in three.rows]
    assert header_rows[:4] == [True, True, True, False]


def test_docx_names_east_asian_fonts_on_a4_portrait_with_tables_inside_the_margins(
    reviewer_client, office, ledger
):
    document = open_document(download(reviewer_client, office).content)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    title_run = document.paragraphs[0].runs[0]
    assert title_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    heading = next(p for p in document.paragraphs if p.text == "一、总体情况")
    assert heading.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    cell_run = document.tables[1].rows[4].cells[4].paragraphs[0].runs[0]
    assert cell_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        text_width = section.page_width - section.left_margin - section.right_margin
        for table in document.tables:
            assert sum(column.width for column in table.columns) <= text_width
    assert text_width > Mm(150)
    # Nothing embedded from outside: no fonts, no pictures.
    names = zipfile.ZipFile(io.BytesIO(download(reviewer_client, office).content)).namelist()
    assert not any(name.startswith(("word/fonts/", "word/media/")) for name in names)


def test_sign_off_stores_the_document_and_the_download_is_that_document(
    reviewer_client, reviewer, office, ledger
):
    with time_machine.travel(
        datetime.datetime(2022, 1, 20, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        reviewer_client.post(reverse("reports:sign_off", args=[office.pk, 2021]))
    # Back to today: the session touched in January 2022 has long expired (30 minutes idle).
    reviewer_client.force_login(reviewer)
    sign_off = ReportSignOff.objects.get()
    assert sign_off.document
    stored = open_document(bytes(sign_off.document))
    assert (
        stored.core_properties.comments == "定稿第1版：李审核（shenhe）于2022年1月20日 09:30定稿。"
    )
    ledger["open"].answered_on = datetime.date(2021, 12, 30)
    ledger["open"].outcome = "1"
    ledger["open"].save()
    response = reviewer_client.get(reverse("reports:signed_document", args=[office.pk, 2021, 1]))
    assert response.status_code == 200
    assert response.content == bytes(sign_off.document)
    html = reviewer_client.get(reverse("reports:report", args=[office.pk, 2021])).content.decode()
    assert reverse("reports:signed_document", args=[office.pk, 2021, 1]) in html
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportSignOff.objects.filter(pk=sign_off.pk).update(document=b"changed")


def test_a_version_signed_off_without_a_stored_document_gets_one_from_its_figures(
    reviewer, office, ledger
):
    sign_off = signoff.sign_off(office, 2021, reviewer)
    legacy = ReportSignOff.objects.create(
        organization=office,
        year=2021,
        version=2,
        figures=sign_off.figures,
        narrative=sign_off.narrative,
        checks=sign_off.checks,
        workbook=b"PK",
        signed_by=reviewer,
    )
    document = open_document(signoff.signed_document(legacy))
    assert [row.label for row in tables.TABLE_THREE_ROWS][0] in [
        cell for cell in unique_cells(document.tables[1])
    ]
    assert document.core_properties.comments.startswith("定稿第2版")


def test_another_offices_documents_are_not_found(clerk_client, other_office):
    assert (
        clerk_client.get(reverse("reports:document", args=[other_office.pk, 2021])).status_code
        == 404
    )
    assert (
        clerk_client.get(
            reverse("reports:signed_document", args=[other_office.pk, 2021, 1])
        ).status_code
        == 404
    )


def test_report_page_has_the_word_button(reviewer_client, office):
    html = reviewer_client.get(reverse("reports:report", args=[office.pk, 2021])).content.decode()
    assert reverse("reports:document", args=[office.pk, 2021]) in html
    assert "下载Word文档" in html


def test_command_writes_the_docx(ledger, office, tmp_path):
    output = tmp_path / "report.docx"
    call_command(
        "annual_report",
        "--org",
        "学府街道",
        "--year",
        "2021",
        "--output",
        str(output),
        stdout=StringIO(),
    )
    document = Document(str(output))
    assert (
        document.paragraphs[0].text.replace("\n", "")
        == "洛阳市洛龙区学府街道办事处2021年政府信息公开工作年度报告"
    )
    assert len(document.tables) == 3
