"""Issue 16 item 7 and issue 13: history in Chinese, child changes on the application's
timeline, and personal data masked in history."""

import re

import pytest
from django.urls import reverse

from tests.support.world import build_world

from .test_history import application_form_data, client_for


@pytest.fixture
def world(db):
    return build_world(with_reports=False)


def history(client, application):
    url = reverse("admin:applications_application_history", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html):
    return re.sub(r"<[^>]+>", " ", html)


def test_history_shows_labels_in_chinese_not_codes_or_none(world):
    client = client_for(world.users.clerk)
    text = visible_text(history(client, world.a_app))
    assert "办理结果" in text and "（一）予以公开" in text
    assert "答复日期 ：（空） → 2021年3月20日" in re.sub(r"\s+", " ", text)
    for raw in ["Changes", "None", "Change reason", "→ 1 ", "2021-03-20"]:
        assert raw not in text, raw


def test_adding_a_clock_stop_shows_on_the_applications_history(world):
    client = client_for(world.users.clerk)
    application = world.a_plain
    data = application_form_data(
        client,
        application,
        **{
            "clock_stops-TOTAL_FORMS": "1",
            "clock_stops-0-application": application.pk,
            "clock_stops-0-kind": "fee_notice",
            "clock_stops-0-started_on": "2021年5月6日",
        },
    )
    response = client.post(
        reverse("admin:applications_application_change", args=[application.pk]), data
    )
    assert response.status_code == 302
    text = re.sub(r"\s+", " ", visible_text(history(client, application)))
    assert "不计入答复期限的期间：收费通知到缴费（2021年5月6日起，尚未结束）" in text
    assert "开始日期 ：2021年5月6日" in text
    assert world.users.clerk.username in text


def test_reviews_and_lawsuits_show_on_the_applications_history(world):
    text = visible_text(history(client_for(world.users.clerk), world.a_app))
    assert "行政复议（2021年4月1日）" in text
    assert "行政诉讼（2021年7月1日）" in text
    assert "维持" in text


def test_history_masks_numbers_even_for_the_own_office(world):
    client = client_for(world.users.clerk)
    application = world.a_plain
    response = client.post(
        reverse("admin:applications_application_change", args=[application.pk]),
        application_form_data(
            client,
            application,
            applicant_id_number="410302199202025678",
            applicant_phone="13700001111",
        ),
    )
    assert response.status_code == 302
    html = history(client, application)
    assert "4103**********5678" in html and "137****1111" in html
    for full in ["410302199202025678", "13700001111"]:
        assert full not in html
    version = application.history.order_by("-history_id").first()
    page = client.get(
        reverse(
            "admin:applications_application_simple_history",
            args=[application.pk, version.history_id],
        )
    ).content.decode()
    assert "4103**********5678" in page
    assert "410302199202025678" not in page and "13700001111" not in page
    # The application's own page still shows its office the full numbers.
    own = client.get(
        reverse("admin:applications_application_change", args=[application.pk])
    ).content.decode()
    assert "410302199202025678" in own


def test_other_history_pages_are_in_chinese(world):
    client = client_for(world.users.sysadmin)
    url = reverse("admin:applications_organization_history", args=[world.office_a.pk])
    text = visible_text(client.get(url).content.decode())
    assert "修改内容" in text
    for raw in ["Changes", "None", "Object", "Date/time"]:
        assert raw not in text, raw
