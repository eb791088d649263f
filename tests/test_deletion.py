import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.test import Client
from django.urls import reverse

from applications import deletion
from applications.deletion import applications_locked_from_deletion
from applications.models import Application
from reports.signoff import sign_off


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_clerk_cannot_delete_anything(world):
    client = client_for(world.users.clerk)
    for name, obj in [
        ("admin:applications_application_delete", world.a_plain),
        ("admin:applications_administrativereview_delete", world.a_review),
    ]:
        url = reverse(name, args=[obj.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=world.a_plain.pk).exists()


def test_deleting_an_application_with_a_review_is_refused_in_chinese(world):
    client = client_for(world.users.superuser)
    url = reverse("admin:applications_application_delete", args=[world.a_app.pk])
    for response in (client.get(url), client.post(url, {"post": "yes"})):
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "admin:applications_application_change", args=[world.a_app.pk]
        )
        message = messages_of(response)[-1]
        assert message.startswith(
            f"不能删除：{world.a_app.number}（已登记行政复议、已登记行政诉讼）"
        )
        assert "不要删除" in message
    assert Application.objects.filter(pk=world.a_app.pk).exists()


def test_refusal_is_shown_on_the_record_page(world):
    client = client_for(world.users.superuser)
    url = reverse("admin:applications_application_delete", args=[world.a_app.pk])
    page = client.get(url, follow=True)
    assert "已登记行政复议" in page.content.decode()


def test_bulk_delete_with_one_kept_application_deletes_none(world):
    client = client_for(world.users.superuser)
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [world.a_app.pk, world.a_plain.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert Application.objects.filter(pk__in=[world.a_app.pk, world.a_plain.pk]).count() == 2
    (message,) = messages_of(response)
    assert world.a_app.number in message and "已登记行政诉讼" in message


def test_bulk_delete_confirmation_page_is_not_even_shown_for_kept_applications(world):
    client = client_for(world.users.superuser)
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "delete_selected", "_selected_action": [world.a_app.pk]},
    )
    assert response.status_code == 302
    assert "不能删除" in messages_of(response)[0]


def test_application_without_review_or_lawsuit_can_be_deleted_by_a_superuser(world):
    client = client_for(world.users.superuser)
    response = client.post(
        reverse("admin:applications_application_delete", args=[world.a_plain.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Application.objects.filter(pk=world.a_plain.pk).exists()


def test_lock_lists_every_kept_application_with_its_reasons_in_one_query(
    world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        locked = applications_locked_from_deletion(Application.objects.all())
    assert {(application.pk, tuple(reasons)) for application, reasons in locked} == {
        (world.a_app.pk, ("已登记行政复议", "已登记行政诉讼")),
        (world.b_app.pk, ("已登记行政复议", "已登记行政诉讼")),
    }


def test_database_refuses_deleting_an_application_with_a_review(world):
    with pytest.raises(ProtectedError):
        world.a_app.delete()


def test_application_counted_in_a_signed_off_report_is_kept_on_every_route(world):
    sign_off(world.a_plain.organization, 2021, world.users.superuser)
    with (
        pytest.raises(deletion.ApplicationDeletionRefused, match="已计入已定稿的年度报告"),
        transaction.atomic(),
    ):
        world.a_plain.delete()
    client = client_for(world.users.superuser)
    response = client.post(
        reverse("admin:applications_application_delete", args=[world.a_plain.pk]), {"post": "yes"}
    )
    assert "已计入已定稿的年度报告" in messages_of(response)[0]
    assert Application.objects.filter(pk=world.a_plain.pk).exists()


def test_signed_off_year_locks_only_the_applications_it_counts(world):
    """A 2020 sign-off does not count an application received in 2021; a 2022 one counts it only if still open."""
    office = world.a_plain.organization
    sign_off(office, 2020, world.users.superuser)
    assert applications_locked_from_deletion(Application.objects.filter(pk=world.a_plain.pk)) == []
    world.a_plain.answered_on, world.a_plain.outcome = None, ""
    world.a_plain.save()
    sign_off(office, 2022, world.users.superuser)
    [(application, reasons)] = applications_locked_from_deletion(
        Application.objects.filter(pk=world.a_plain.pk)
    )
    assert reasons == ["已计入已定稿的年度报告"]
