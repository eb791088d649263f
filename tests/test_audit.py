from django.test import Client
from django.urls import reverse

from accounts.audit import record
from accounts.models import AuditEvent
from tests.support.factories import PASSWORD


def sign_in(username, password, ip="10.1.2.3"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("admin:login"), {"username": username, "password": password})
    return client, response


def test_sign_in_is_logged_with_user_office_time_and_ip(world):
    _, response = sign_in("clerk_a", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.user == world.users.clerk
    assert event.username == "clerk_a"
    assert event.organization == world.office_a
    assert event.ip_address == "10.1.2.3"
    assert event.created_at is not None


def test_failed_sign_in_is_logged_with_the_username_typed_and_ip(world):
    _, response = sign_in("clerk_a", "wrong-password", ip="10.9.8.7")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.username == "clerk_a"
    assert event.user is None
    assert event.organization == world.office_a
    assert event.ip_address == "10.9.8.7"
    assert event.detail == "用户名或密码错误"


def test_failed_sign_in_with_an_unknown_name_is_logged_too(world):
    sign_in("no_such_person", "whatever")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.username == "no_such_person"
    assert event.organization is None


def test_sign_out_is_logged(world):
    client, _ = sign_in("clerk_a", PASSWORD)
    assert client.post(reverse("admin:logout")).status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT)
    assert event.user == world.users.clerk
    assert event.ip_address == "10.1.2.3"


def test_record_files_an_event_under_the_users_office(world):
    event = record(
        None, AuditEvent.Action.LEDGER_EXPORT, detail="导出2021年台账", user=world.users.official
    )
    assert event.organization == world.office_a


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_system_admin_reads_the_log_of_their_offices_only(world):
    client = client_for(world.users.sysadmin)
    body = client.get(reverse("admin:accounts_auditevent_changelist")).content.decode()
    assert "导出学府街道台账" in body
    assert "导出王城路街道台账" not in body


def test_nobody_can_add_change_or_delete_log_entries(world):
    event = AuditEvent.objects.filter(organization=world.office_a).first()
    for user in [world.users.sysadmin, world.users.superuser]:
        client = client_for(user)
        assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
        page = client.get(reverse("admin:accounts_auditevent_change", args=[event.pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert (
            client.post(
                reverse("admin:accounts_auditevent_change", args=[event.pk]), {"detail": "改写"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
    event.refresh_from_db()
    assert event.detail == "导出学府街道台账"


def test_clerks_cannot_read_the_log(world):
    client = client_for(world.users.clerk)
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 403
