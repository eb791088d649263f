import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from tests.support.factories import PASSWORD

T0 = datetime.datetime(2021, 3, 1, 9, 0, tzinfo=datetime.UTC)


def attempt(password, username="clerk_a", ip="10.1.2.3"):
    return Client(REMOTE_ADDR=ip).post(
        reverse("admin:login"), {"username": username, "password": password}
    )


def test_five_failures_lock_that_username_from_that_address_for_30_minutes(world):
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(4):
            assert attempt("wrong-password").status_code == 200
        locked = attempt("wrong-password")
        assert locked.status_code == 429
        body = locked.content.decode()
        assert "登录失败次数过多，账号已暂时锁定" in body
        assert "30分钟" in body
        # Even the right password is refused while locked.
        assert attempt(PASSWORD).status_code == 429
        # The same account from another address, and another account from this one, still sign in.
        assert attempt(PASSWORD, ip="10.1.2.4").status_code == 302
        assert attempt(PASSWORD, username="official_a").status_code == 302
        traveller.shift(datetime.timedelta(minutes=29))
        assert attempt(PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=2))
        assert attempt(PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_failure_count(world):
    for _ in range(4):
        attempt("wrong-password")
    assert attempt(PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt("wrong-password").status_code == 200


def test_lockout_is_in_the_audit_log(world):
    for _ in range(5):
        attempt("wrong-password")
    details = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details[-1] == "登录失败次数过多，已暂时锁定"
    assert len(details) == 5


def test_session_ends_after_30_minutes_without_a_request(world):
    with time_machine.travel(T0, tick=False) as traveller:
        client = Client()
        client.force_login(world.users.clerk)
        home = reverse("applications:home")
        traveller.shift(datetime.timedelta(minutes=25))
        assert client.get(home).status_code == 200
        traveller.shift(
            datetime.timedelta(minutes=25)
        )  # 50 minutes in, but 25 since the last request
        assert client.get(home).status_code == 200
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get(home)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def newcomer(world):
    user = User.objects.get(username="clerk_a")
    user.must_change_password = True
    user.save()
    return user


def test_user_with_an_initial_password_is_sent_to_change_it(newcomer):
    client = Client()
    client.force_login(newcomer)
    for url in [reverse("applications:home"), reverse("admin:applications_application_changelist")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:password_change")
    page = client.get(reverse("admin:password_change"), follow=True)
    assert page.status_code == 200
    assert "请先修改初始密码" in page.content.decode()


def change_password(client, old, new):
    return client.post(
        reverse("admin:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_new_password_must_differ_and_pass_the_validators(newcomer):
    client = Client()
    client.force_login(newcomer)
    same = change_password(client, PASSWORD, PASSWORD)
    assert "新密码不能与原密码相同" in same.content.decode()
    weak = change_password(client, PASSWORD, "12345678")
    assert weak.status_code == 200
    body = weak.content.decode()
    assert "密码太短：至少需要10个字符" in body
    newcomer.refresh_from_db()
    assert newcomer.must_change_password


def test_changing_the_password_lifts_the_requirement(newcomer):
    client = Client()
    client.force_login(newcomer)
    response = change_password(client, PASSWORD, "Xuefu-own-choice-2021")
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.check_password("Xuefu-own-choice-2021")
    assert client.get(reverse("applications:home")).status_code == 200


def test_users_created_in_the_admin_must_change_their_password_by_default(world):
    client = Client()
    client.force_login(world.users.sysadmin)
    form = client.get(reverse("admin:accounts_user_add")).context["adminform"].form
    assert form.initial["must_change_password"] is True


def test_timestamps_come_from_the_frozen_clock(world):
    with time_machine.travel(T0, tick=False):
        attempt("wrong-password")
        assert (
            AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED).created_at
            == timezone.now()
        )


def test_superuser_lifts_a_lockout_by_deleting_its_record(world):
    from accounts.models import LoginLockout

    for _ in range(5):
        attempt("wrong-password")
    lockout = LoginLockout.objects.get(username="clerk_a")
    client = Client()
    client.force_login(world.users.superuser)
    listing = client.get(reverse("admin:accounts_loginlockout_changelist")).content.decode()
    assert "clerk_a" in listing and "连续失败次数" in listing
    client.post(reverse("admin:accounts_loginlockout_delete", args=[lockout.pk]), {"post": "yes"})
    assert attempt(PASSWORD).status_code == 302


def test_roles_cannot_see_lockouts(world):
    client = Client()
    client.force_login(world.users.sysadmin)
    assert client.get(reverse("admin:accounts_loginlockout_changelist")).status_code == 403
