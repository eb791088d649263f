"""Deleting never reaches another office's records (a world without sign-offs, which
would lock the applications these tests delete)."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from applications.models import Application
from tests.support.world import client_as


def test_admin_action_on_a_crafted_selection_touches_only_visible_records(world):
    world.users.clerk.user_permissions.add(Permission.objects.get(codename="delete_application"))
    client = client_as(world, "clerk")
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [world.a_plain.pk, world.b_plain.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Application.objects.filter(pk=world.a_plain.pk).exists()
    assert Application.objects.filter(pk=world.b_plain.pk).exists()


def test_history_of_another_offices_deleted_record_answers_404(world):
    foreign = reverse("admin:applications_application_history", args=[world.b_plain.pk])
    own = reverse("admin:applications_application_history", args=[world.a_plain.pk])
    world.b_plain.delete()
    world.a_plain.delete()
    client = client_as(world, "clerk")
    assert client.get(foreign).status_code == 404
    assert client.get(own).status_code == 200
