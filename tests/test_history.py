from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import OFFICIAL
from applications.models import Application, ClockStop


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def application_form_data(client, application, **changes):
    """The change form's current values, as the browser would post them back."""
    response = client.get(reverse("admin:applications_application_change", args=[application.pk]))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data |= {management.add_prefix(name): value for name, value in management.initial.items()}
        for inline_form in formset.formset.initial_forms:
            for name in inline_form.fields:
                value = inline_form.initial.get(name)
                if name == "application":
                    value = application.pk
                if value not in (None, False):
                    data[inline_form.add_prefix(name)] = "on" if value is True else value
    data.update(changes)
    return data


def test_changing_an_application_records_who_when_and_before_after(world):
    clerk = world.users.clerk
    client = client_for(clerk)
    application = world.a_plain
    response = client.post(
        reverse("admin:applications_application_change", args=[application.pk]),
        application_form_data(client, application, applicant_name="张三丙", notes="更正申请人姓名"),
    )
    assert response.status_code == 302
    latest, previous = application.history.order_by("-history_date", "-history_id")[:2]
    assert latest.history_user == clerk
    assert latest.history_type == "~"
    delta = latest.diff_against(previous)
    changes = {change.field: (change.old, change.new) for change in delta.changes}
    assert changes["applicant_name"] == ("张三甲公司", "张三丙")
    assert changes["notes"] == ("", "更正申请人姓名")


def test_history_page_shows_the_change_from_the_record(world):
    client = client_for(world.users.clerk)
    application = world.a_plain
    client.post(
        reverse("admin:applications_application_change", args=[application.pk]),
        application_form_data(client, application, applicant_name="张三丙"),
    )
    change_page = client.get(
        reverse("admin:applications_application_change", args=[application.pk])
    ).content.decode()
    history_url = reverse("admin:applications_application_history", args=[application.pk])
    assert history_url in change_page
    history = client.get(history_url).content.decode()
    assert "申请人" in history
    assert "张三甲公司" in history and "张三丙" in history
    assert world.users.clerk.username in history


def test_history_of_an_inline_clock_stop_is_kept_with_its_author(world):
    client = client_for(world.users.clerk)
    application = world.a_plain
    data = application_form_data(
        client,
        application,
        **{
            "clock_stops-TOTAL_FORMS": "1",
            "clock_stops-0-application": application.pk,
            "clock_stops-0-kind": "fee_notice",
            "clock_stops-0-started_on": "2021-05-06",
        },
    )
    assert (
        client.post(
            reverse("admin:applications_application_change", args=[application.pk]), data
        ).status_code
        == 302
    )
    stop = ClockStop.objects.get(application=application)
    assert stop.history.get().history_user == world.users.clerk


def test_past_versions_cannot_be_restored(world):
    superuser = world.users.superuser
    client = client_for(superuser)
    application = world.a_app
    first = application.history.order_by("history_date", "history_id").first()
    url = reverse(
        "admin:applications_application_simple_history", args=[application.pk, first.history_id]
    )
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    data = application_form_data(client, application)
    response = client.post(url, data)
    assert response.status_code == 405
    application.refresh_from_db()
    assert application.answered_on is not None  # the first version had no answer yet
    history_page = client.get(
        reverse("admin:applications_application_history", args=[application.pk])
    ).content.decode()
    assert "恢复" not in history_page and "Revert" not in history_page


def test_deleted_record_keeps_its_history(world):
    client = client_for(world.users.superuser)
    application = world.a_plain
    pk = application.pk
    response = client.post(
        reverse("admin:applications_application_delete", args=[pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Application.objects.filter(pk=pk).exists()
    deletion = Application.history.filter(id=pk).latest("history_date")
    assert deletion.history_type == "-"
    assert deletion.history_user == world.users.superuser
    assert (
        client.get(reverse("admin:applications_application_history", args=[pk])).status_code == 200
    )


def test_user_changes_are_recorded_without_the_password(world):
    clerk = world.users.clerk
    client = client_for(world.users.sysadmin)
    response = client.post(
        reverse("admin:accounts_user_change", args=[clerk.pk]),
        {
            "username": clerk.username,
            "first_name": clerk.first_name,
            "last_name": clerk.last_name,
            "is_active": "on",
            "is_staff": "on",
            "organization": clerk.organization_id,
            "groups": [Group.objects.get(name=OFFICIAL).pk],
        },
    )
    assert response.status_code == 302
    latest = clerk.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == world.users.sysadmin
    assert list(latest.groups.values_list("group__name", flat=True)) == [OFFICIAL]
    assert not hasattr(latest, "password")
    history = client.get(reverse("admin:accounts_user_history", args=[clerk.pk])).content.decode()
    assert "sysadmin_a" in history


def test_role_given_from_the_group_side_is_recorded_too(world):
    clerk = world.users.clerk
    before = clerk.history.count()
    Group.objects.get(name=OFFICIAL).user_set.add(clerk)
    assert clerk.history.count() == before + 1


def test_signing_in_does_not_count_as_a_change_to_the_account(world):
    clerk = world.users.clerk
    before = clerk.history.count()
    client = Client()
    assert (
        client.post(
            reverse("admin:login"), {"username": clerk.username, "password": "Gongkai-test-pw-2021"}
        ).status_code
        == 302
    )
    clerk.refresh_from_db()
    assert clerk.last_login is not None
    assert clerk.history.count() == before


def test_history_is_not_editable_through_any_admin_page(world):
    """No historical model has an admin of its own: history is only read, from the record."""
    from django.contrib import admin

    for model in admin.site._registry:
        assert not model.__name__.startswith("Historical")
    assert User.history.model not in admin.site._registry
