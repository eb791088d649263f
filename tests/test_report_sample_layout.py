"""Section 一 and tables 二 and 四 as the sample prints them, the same on the page, in the
workbook and in the Word document: the opening paragraph, the five lead-ins (defaults or
the office's own), the fee header, and table 四's three header rows."""

import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from accounts.roles import OFFICIAL
from applications.models import Organization
from reports.models import DEFAULT_LEAD_INS, ReportNarrative
from reports.signoff import current_contents, current_document, current_workbook

TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OPENING = "2021年，学府街道认真贯彻落实《中华人民共和国政府信息公开条例》。现将2021年度政府信息公开工作报告如下："
SAMPLE_LEAD_INS = [
    "（一）主动公开情况。",
    "（二）依申请公开办理情况。",
    "（三）政府信息化管理情况。",
    "（四）政府信息公开平台建设情况。",
    "（五）政府信息公开监督保障情况。",
]
FEE_HEADER = "本年收费金额（单位：万元，保留4位小数）"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def street(db):
    return Organization.objects.create(name="洛阳市洛龙区学府街道办事处", short_name="学府街道")


def narrative(street, **fields):
    return ReportNarrative.objects.create(
        organization=street, year=2021, opening=OPENING, active_disclosure="公开500余条。", **fields
    )


def docx_paragraphs(street):
    document = Document(BytesIO(current_document(current_contents(street, 2021))))
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text]


def xlsx_texts(street):
    workbook = load_workbook(BytesIO(current_workbook(current_contents(street, 2021))))
    return [row[0] for row in workbook["文字部分"].iter_rows(values_only=True) if row[0]]


def page_text(client, django_user_model, street):
    user = django_user_model.objects.create_user(
        "shenhe", password="pw-for-tests-only-1", organization=street
    )
    user.groups.add(Group.objects.get(name=OFFICIAL))
    client.force_login(user)
    return client.get(reverse("reports:report", args=[street.pk, 2021])).content.decode()


def section_one(texts):
    start = texts.index("一、总体情况")
    return texts[start + 1 : texts.index("二、主动公开政府信息情况")]


def test_default_lead_ins_are_the_samples(db):
    assert list(DEFAULT_LEAD_INS.values()) == SAMPLE_LEAD_INS
    assert ReportNarrative().active_disclosure_lead_in == "（一）主动公开情况。"


def test_word_prints_the_opening_then_the_five_lead_ins(street):
    narrative(street)
    assert section_one(docx_paragraphs(street)) == [
        OPENING,
        SAMPLE_LEAD_INS[0],
        "公开500余条。",
        *(item for lead_in in SAMPLE_LEAD_INS[1:] for item in (lead_in, "无")),
    ]


def test_workbook_prints_the_opening_then_the_five_lead_ins(street):
    narrative(street)
    assert section_one(xlsx_texts(street)) == [
        OPENING,
        SAMPLE_LEAD_INS[0],
        "公开500余条。",
        *(item for lead_in in SAMPLE_LEAD_INS[1:] for item in (lead_in, "无")),
    ]


def test_page_prints_the_opening_before_the_lead_ins(client, django_user_model, street):
    narrative(street)
    html = page_text(client, django_user_model, street)
    positions = [html.index(text) for text in (OPENING, *SAMPLE_LEAD_INS)]
    assert positions == sorted(positions)


def test_a_reworded_lead_in_is_printed_everywhere(client, django_user_model, street):
    narrative(street, on_request_lead_in="（二）依申请公开工作情况。")
    assert "（二）依申请公开工作情况。" in docx_paragraphs(street)
    assert "（二）依申请公开工作情况。" in xlsx_texts(street)
    html = page_text(client, django_user_model, street)
    assert "（二）依申请公开工作情况。" in html
    assert "（二）依申请公开办理情况。" not in html


def test_a_blank_lead_in_falls_back_to_the_samples(street):
    narrative(street, platform_lead_in="")
    assert "（四）政府信息公开平台建设情况。" in docx_paragraphs(street)


def test_without_a_narrative_the_sample_lead_ins_are_printed(street):
    assert section_one(docx_paragraphs(street)) == [
        item for lead_in in SAMPLE_LEAD_INS for item in (lead_in, "无")
    ]


def test_fee_header_as_the_sample_in_every_output(client, django_user_model, street):
    contents = current_contents(street, 2021)
    document = Document(BytesIO(current_document(contents)))
    assert FEE_HEADER in {cell.text for row in document.tables[0].rows for cell in row.cells}
    sheet = load_workbook(BytesIO(current_workbook(contents)))["表二"]
    assert FEE_HEADER in {value for row in sheet.iter_rows(values_only=True) for value in row}
    assert FEE_HEADER in page_text(client, django_user_model, street)


def test_word_table_four_header_rows_as_the_sample(street):
    document = Document(BytesIO(current_document(current_contents(street, 2021))))
    table = document.tables[2]
    names = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [[cell.text for cell in row.cells] for row in table.rows[:3]]
    assert rows[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert rows[1] == names + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert rows[2] == names + names * 2
    assert table.rows[1].cells[0]._tc is table.rows[2].cells[0]._tc  # merged down
