"""Issue 16 items 5 and 6: the application form's 办理结果 drop-down and its date fields."""

import datetime

import pytest
from django.urls import reverse

from applications.choices import OUTCOME_GROUPS, outcome_full_label
from lib.dates import NoSuchDay, NotADate, parse_date_text
from tests.support.world import build_world

from .test_history import application_form_data, client_for


@pytest.fixture
def world(db):
    return build_world(with_reports=False)


@pytest.mark.parametrize("text", ["2026-12-3", "2026/12/3", "2026.12.3", "2026年12月3日"])
def test_every_accepted_form_reads_as_the_same_day(text):
    assert parse_date_text(text) == datetime.date(2026, 12, 3)


def test_text_that_is_no_date_and_a_day_that_does_not_exist_are_told_apart():
    with pytest.raises(NotADate):
        parse_date_text("12月3日")
    with pytest.raises(NoSuchDay):
        parse_date_text("2026年2月30日")


def change_url(application):
    return reverse("admin:applications_application_change", args=[application.pk])


@pytest.mark.parametrize("typed", ["2021年5月20日", "2021/5/20", "2021.5.20", "2021-5-20"])
def test_application_form_accepts_the_date_as_gongkai_prints_it(world, typed):
    client = client_for(world.users.clerk)
    application = world.a_plain
    data = application_form_data(client, application, answered_on=typed, outcome="1")
    response = client.post(change_url(application), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    application.refresh_from_db()
    assert application.answered_on == datetime.date(2021, 5, 20)


def test_date_fields_show_the_accepted_forms_under_the_field(world):
    response = client_for(world.users.clerk).get(change_url(world.a_plain))
    html = response.content.decode()
    assert "日期可写作 2026-12-3、2026/12/3、2026.12.3 或 2026年12月3日。" in html


def test_a_wrong_date_says_which_forms_are_accepted(world):
    client = client_for(world.users.clerk)
    data = application_form_data(client, world.a_plain, answered_on="三月二十日", outcome="1")
    response = client.post(change_url(world.a_plain), data)
    assert response.status_code == 200
    assert (
        "请按 2026-12-3、2026/12/3、2026.12.3 或 2026年12月3日 的写法填写日期。"
        in response.context["adminform"].form.errors["answered_on"]
    )


def test_outcome_is_grouped_one_to_six_with_full_labels(world):
    response = client_for(world.users.clerk).get(change_url(world.a_plain))
    field = response.context["adminform"].form.fields["outcome"]
    groups = [label for label, _ in field.choices[1:]]
    assert groups == [group.label for group in OUTCOME_GROUPS]
    html = response.content.decode()
    assert '<optgroup label="（六）其他处理">' in html
    assert outcome_full_label("6.3") == "（六）其他处理 · 3.其他"
    assert '<option value="6.3">（六）其他处理 · 3.其他</option>' in html
