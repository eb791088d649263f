"""Issuing, listing and downloading letters from the application's page, by role."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import CLERK, DISTRICT, OFFICIAL
from letters.models import IssuedLetter
from tests.support.factories import make_user
from tests.support.letters import D, ledger_application


@pytest.fixture
def answered(letter_office):
    return ledger_application(letter_office, answered_on=D(2021, 3, 26), outcome="3.5")


def login(client, username, office, role):
    client.force_login(make_user(username, office, [role]))
    return client


def issue_url(application):
    return reverse("admin:letters_issuedletter_issue", args=[application.pk])


def test_clerk_issues_the_answer_and_it_is_listed_and_logged(client, letter_office, answered):
    login(client, "clerk", letter_office, CLERK)
    page = client.get(issue_url(answered))
    assert "依据：《中华人民共和国政府信息公开条例》第十六条第一款" in page.content.decode()
    response = client.post(issue_url(answered), {"kind": "3.5", "reason": "属于内部人事管理信息。"})
    assert response.status_code == 302
    letter = IssuedLetter.objects.get()
    assert (letter.number, letter.version, letter.issued_by.username) == (
        "学府依申〔2021〕1号",
        1,
        "clerk",
    )
    change = client.get(reverse("admin:applications_application_change", args=[answered.pk]))
    body = change.content.decode()
    assert "学府依申〔2021〕1号" in body and "第1版" in body
    assert reverse("admin:letters_issuedletter_download", args=[letter.pk]) in body
    event = AuditEvent.objects.get(action=AuditEvent.Action.LETTER_ISSUE)
    assert event.detail.startswith("学府依申〔2021〕1号") and event.organization == letter_office


def test_issue_page_names_the_missing_ledger_field(client, letter_office):
    pending = ledger_application(letter_office)
    login(client, "clerk", letter_office, CLERK)
    response = client.post(
        issue_url(pending),
        {"kind": "extension", "extension_reason": "量大", "letter_date": "2021-03-05"},
    )
    assert response.status_code == 200
    assert "请先在申请中勾选“延期答复”。" in response.content.decode()
    assert not IssuedLetter.objects.exists()


def test_missing_detail_is_a_form_error(client, letter_office, answered):
    login(client, "clerk", letter_office, CLERK)
    response = client.post(issue_url(answered), {"kind": "3.5", "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not IssuedLetter.objects.exists()


def test_official_downloads_but_does_not_issue(client, letter_office, answered):
    from letters.issuing import issue_letter
    from letters.kinds import KINDS

    letter = issue_letter(answered, KINDS["3.5"], None, {"reason": "理由"})
    login(client, "official", letter_office, OFFICIAL)
    assert client.get(issue_url(answered)).status_code == 403
    response = client.get(reverse("admin:letters_issuedletter_download", args=[letter.pk]))
    assert response.status_code == 200
    assert response.content == bytes(letter.content)
    assert "attachment" in response["Content-Disposition"]
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.LETTER_DOWNLOAD, user__username="official"
        ).count()
        == 1
    )


def test_district_reads_the_offices_letters_but_cannot_issue(client, letter_office, answered):
    from letters.issuing import issue_letter
    from letters.kinds import KINDS

    letter = issue_letter(answered, KINDS["3.5"], None, {"reason": "理由"})
    login(client, "district", letter_office.parent, DISTRICT)
    assert (
        client.get(reverse("admin:letters_issuedletter_download", args=[letter.pk])).status_code
        == 200
    )
    assert client.get(issue_url(answered)).status_code == 403
    assert (
        client.get(reverse("admin:letters_issuedletter_change", args=[letter.pk])).status_code
        == 200
    )


def test_issued_letters_are_read_only_in_the_admin(admin_client, letter_office, answered):
    from letters.issuing import issue_letter
    from letters.kinds import KINDS

    letter = issue_letter(answered, KINDS["3.5"], None, {"reason": "理由"})
    url = reverse("admin:letters_issuedletter_change", args=[letter.pk])
    admin_client.post(url, {"number": "改"})
    assert (
        admin_client.get(reverse("admin:letters_issuedletter_delete", args=[letter.pk])).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:letters_issuedletter_add")).status_code == 403
    assert IssuedLetter.objects.get().number == "学府依申〔2021〕1号"


def test_clerk_computes_the_fee_step_by_step_then_records_it(client, letter_office):
    application = ledger_application(letter_office)
    login(client, "clerk", letter_office, CLERK)
    url = reverse("admin:letters_issuedletter_fee", args=[application.pk])
    shown = client.post(url, {"method": "pages", "pages": "101", "compute": "1"}).content.decode()
    assert "第101页共1页，每页20元，计20元；" in shown and "信息处理费：720元" in shown
    application.refresh_from_db()
    assert application.fee_yuan is None
    assert client.post(url, {"method": "pages", "pages": "101", "record": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.fee_yuan == 720
    assert AuditEvent.objects.filter(action=AuditEvent.Action.FEE_RECORD).count() == 1


def test_fee_by_pages_without_pages_is_a_form_error(client, letter_office):
    application = ledger_application(letter_office)
    login(client, "clerk", letter_office, CLERK)
    response = client.post(
        reverse("admin:letters_issuedletter_fee", args=[application.pk]), {"method": "pages"}
    )
    assert response.context["form"].errors["pages"] == [
        "选择按量计收时，请填写提供的政府信息页数。"
    ]


def test_application_page_lists_versions_in_fixed_queries(
    client, letter_office, answered, django_assert_max_num_queries
):
    from letters.issuing import issue_letter
    from letters.kinds import KINDS

    login(client, "clerk", letter_office, CLERK)
    url = reverse("admin:applications_application_change", args=[answered.pk])
    issue_letter(answered, KINDS["3.5"], None, {"reason": "理由"})
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for _ in range(4):
        issue_letter(answered, KINDS["3.5"], None, {"reason": "理由"})
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert "第5版" in body and "第1版" in body


def test_application_with_an_issued_letter_cannot_be_deleted(admin_client, answered):
    from letters.issuing import issue_letter
    from letters.kinds import KINDS

    issue_letter(answered, KINDS["3.5"], None, {"reason": "理由"})
    url = reverse("admin:applications_application_delete", args=[answered.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    from django.contrib.messages import get_messages

    message = str(list(get_messages(response.wsgi_request))[-1])
    assert message.startswith(f"不能删除：{answered.number}（已出具告知书）")
    assert IssuedLetter.objects.filter(application=answered).exists()


def test_letter_settings_refuse_a_number_pattern_without_seq(client, letter_office):
    from accounts.roles import SYSTEM_ADMIN

    login(client, "sysadmin", letter_office.parent, SYSTEM_ADMIN)
    settings = letter_office.letter_settings
    url = reverse("admin:letters_lettersettings_change", args=[settings.pk])
    response = client.post(
        url,
        {
            "organization": letter_office.pk,
            "review_body": "洛阳市洛龙区人民政府",
            "court": "洛阳市洛龙区人民法院",
            "number_pattern": "学府依申〔{year}〕{sq}号",
            "correction_days": 10,
            "payment_days": 20,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["number_pattern"] == [
        "文号格式中有不认识的占位符：{sq}；只能使用 {year}（年份）、{seq}（序号）、{short_name}（机关简称）。"
    ]


def test_entered_letter_date_before_receipt_is_a_form_error(client, letter_office):
    application = ledger_application(letter_office)
    login(client, "clerk", letter_office, CLERK)
    response = client.post(
        issue_url(application),
        {"kind": "correction", "correction_items": "请写明文件名称", "letter_date": "2021-02-26"},
    )
    assert response.context["form"].errors["letter_date"] == [
        "告知书日期不能早于收到申请的日期，请核对。"
    ]
    assert not IssuedLetter.objects.exists()


def test_new_letter_settings_suggest_the_district_as_review_body(client, letter_office):
    from accounts.roles import SYSTEM_ADMIN

    login(client, "sysadmin", letter_office.parent, SYSTEM_ADMIN)
    form = client.get(reverse("admin:letters_lettersettings_add")).context["adminform"].form
    assert form.initial["review_body"] == "洛阳市洛龙区人民政府"
