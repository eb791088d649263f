"""Offices' own templates: checked against a sample application before they are saved."""

import io

import pytest
from django.urls import reverse
from docx import Document

from accounts.roles import SYSTEM_ADMIN
from letters.defaults import default_template_bytes
from letters.issuing import issue_letter
from letters.kinds import KINDS
from letters.models import LetterTemplate
from tests.support.factories import make_user
from tests.support.letters import D, ledger_application, letter_text


def docx_with(*lines):
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "本机关模板.docx"
    return buffer


@pytest.fixture
def sysadmin_client(client, letter_office):
    user = make_user("sysadmin", letter_office.parent, [SYSTEM_ADMIN])
    client.force_login(user)
    return client


def upload(client, office, kind, file):
    return client.post(
        reverse("admin:letters_lettertemplate_add"),
        {"organization": office.pk, "kind": kind, "upload": file},
    )


def test_template_with_a_misspelt_placeholder_is_refused_naming_it(sysadmin_client, letter_office):
    bad = docx_with("{{ office_name }}", "{{ applicant_nmae }}：", "{{ relief }}")
    response = upload(sysadmin_client, letter_office, "3.1", bad)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["upload"]
    assert errors == [
        "模板中有不认识的占位符：{{ applicant_nmae }}。请核对拼写，可用的占位符见本页下方的列表。"
    ]
    assert not LetterTemplate.objects.exists()


def test_template_with_broken_braces_is_refused(sysadmin_client, letter_office):
    response = upload(sysadmin_client, letter_office, "3.1", docx_with("{{ office_name }"))
    assert "占位符写法有误" in response.context["adminform"].form.errors["upload"][0]
    assert not LetterTemplate.objects.exists()


def test_a_file_that_is_not_docx_is_refused(sysadmin_client, letter_office):
    file = io.BytesIO(b"not a word file")
    file.name = "模板.doc"
    response = upload(sysadmin_client, letter_office, "3.1", file)
    assert "不是 .docx 文件" in response.context["adminform"].form.errors["upload"][0]


def test_a_good_template_is_saved_and_used_for_the_offices_letters(sysadmin_client, letter_office):
    good = docx_with(
        "{{ office_name }}（本机关格式）",
        "{{ doc_number }}",
        "{{ addressee }}：您于{{ received_on }}申请的“{{ content }}”，{{ reason }}依据{{ article }}不予公开。",
        "{{ relief }}",
        "{{ letter_date }}",
    )
    response = upload(sysadmin_client, letter_office, "3.1", good)
    assert response.status_code == 302
    template = LetterTemplate.objects.get()
    assert (template.organization, template.kind, template.filename) == (
        letter_office,
        "3.1",
        "本机关模板.docx",
    )
    application = ledger_application(letter_office, answered_on=D(2021, 3, 26), outcome="3.1")
    letter = issue_letter(application, KINDS["3.1"], None, {"reason": "经定密，"})
    text = letter_text(letter.content)
    assert "洛阳市洛龙区学府街道办事处（本机关格式）" in text
    assert "李四：您于2021年3月1日申请的" in text
    assert letter.template_source == "本机关模板（本机关模板.docx）"


def test_default_templates_can_be_downloaded_and_uploaded_back_unchanged(
    sysadmin_client, letter_office
):
    response = sysadmin_client.get(reverse("admin:letters_lettertemplate_default") + "?kind=4.1")
    assert response.status_code == 200
    assert response.content == default_template_bytes("4.1")
    file = io.BytesIO(response.content)
    file.name = "默认.docx"
    assert upload(sysadmin_client, letter_office, "4.1", file).status_code == 302


@pytest.mark.parametrize("code", list(KINDS))
def test_every_default_template_uses_only_known_placeholders(code):
    from letters.rendering import check_template

    check_template(KINDS[code], default_template_bytes(code))


def test_upload_page_lists_the_placeholders(sysadmin_client):
    body = sysadmin_client.get(reverse("admin:letters_lettertemplate_add")).content.decode()
    assert "{{ applicant_name }}</code>：申请人姓名或名称" in body
