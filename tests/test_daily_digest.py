"""Issue 16, reminders: the daily deadline digest per office, in-app and by email."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.roles import CLERK, OFFICIAL
from applications.choices import ApplicantType
from applications.models import Application, Organization
from notifications.digest import send_daily_digests
from notifications.models import DigestRun, Notification
from tests.support.factories import make_user

D = datetime.date
WORKING_DAY = datetime.datetime(2026, 12, 3, 8, 0, tzinfo=datetime.UTC)  # Thursday
SATURDAY = datetime.datetime(2026, 12, 5, 8, 0, tzinfo=datetime.UTC)
NATIONAL_DAY = datetime.datetime(2026, 10, 5, 8, 0, tzinfo=datetime.UTC)  # Monday, a holiday


def apply(office, received_on, name):
    return Application.objects.create(
        organization=office,
        received_on=received_on,
        applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name=name,
        content="申请公开辖区道路维修计划",
    )


@pytest.fixture
def offices(db):
    busy = Organization.objects.create(name="洛阳市洛龙区学府街道办事处", short_name="学府街道")
    quiet = Organization.objects.create(
        name="洛阳市洛龙区开元路街道办事处", short_name="开元路街道"
    )
    # Received 2 November: 20 working days run out on 30 November, overdue by 3 December.
    overdue = apply(busy, D(2026, 11, 2), "李逾期")
    # Received 9 November: due 7 December, within 5 working days of 3 December.
    soon = apply(busy, D(2026, 11, 9), "王将至")
    # Received 1 December: due in January, not yet worth a reminder.
    apply(busy, D(2026, 12, 1), "赵从容")
    apply(quiet, D(2026, 12, 1), "钱不急")
    assert (overdue.due_on, soon.due_on) == (D(2026, 11, 30), D(2026, 12, 7))
    clerks = [
        make_user("clerk_one", busy, [CLERK], email="one@example.gov.cn"),
        make_user("clerk_two", busy, [CLERK], email=""),
    ]
    make_user("clerk_quiet", quiet, [CLERK], email="quiet@example.gov.cn")
    make_user("official_busy", busy, [OFFICIAL], email="official@example.gov.cn")
    return busy, quiet, clerks


@time_machine.travel(WORKING_DAY, tick=False)
def test_working_day_digest_goes_to_each_clerk_of_an_office_with_something_due(offices, settings):
    settings.DIGEST_EMAIL_ENABLED = True
    busy, _, clerks = offices
    call_command("send_digests")
    notes = Notification.objects.order_by("recipient__username")
    assert [note.recipient for note in notes] == clerks
    assert notes[0].title == "学府街道2026年12月3日答复期限提醒：已逾期未答复1件，即将到期1件"
    assert "李逾期　答复期限2026年11月30日" in notes[0].body
    assert "王将至　答复期限2026年12月7日" in notes[0].body
    assert "赵从容" not in notes[0].body
    # Email only to the clerk with an address; the official and the quiet office get none.
    assert [message.to for message in mail.outbox] == [["one@example.gov.cn"]]
    assert mail.outbox[0].subject == notes[0].title
    assert "李逾期" in mail.outbox[0].body


@time_machine.travel(WORKING_DAY, tick=False)
def test_office_with_nothing_due_gets_no_digest(offices, settings):
    settings.DIGEST_EMAIL_ENABLED = True
    _, quiet, _ = offices
    send_daily_digests()
    assert not DigestRun.objects.filter(organization=quiet).exists()
    assert not Notification.objects.filter(recipient__username="clerk_quiet").exists()


@time_machine.travel(WORKING_DAY, tick=False)
def test_digest_is_never_sent_twice_for_the_same_day(offices, settings):
    settings.DIGEST_EMAIL_ENABLED = True
    assert len(send_daily_digests()) == 1
    assert send_daily_digests() == []
    call_command("send_digests")
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 1


@time_machine.travel(WORKING_DAY, tick=False)
def test_without_a_mail_server_the_digest_is_kept_in_app_only(offices, settings):
    settings.DIGEST_EMAIL_ENABLED = False
    send_daily_digests()
    assert Notification.objects.count() == 2
    assert mail.outbox == []


@pytest.mark.parametrize("day", [SATURDAY, NATIONAL_DAY], ids=["weekend", "holiday"])
def test_no_digest_on_a_day_off(offices, settings, day):
    settings.DIGEST_EMAIL_ENABLED = True
    with time_machine.travel(day, tick=False):
        call_command("send_digests")
    assert DigestRun.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@time_machine.travel(WORKING_DAY, tick=False)
def test_clerk_reads_notifications_and_marks_them_read(offices):
    _, _, (clerk, other) = offices
    send_daily_digests()
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("notifications:list"))
    assert "未读 1 条" in page.content.decode()
    note = Notification.objects.get(recipient=clerk)
    mine = client.post(reverse("notifications:mark_read"), {"id": note.pk})
    assert mine.status_code == 302
    note.refresh_from_db()
    assert note.is_read
    assert "未读 0 条" in client.get(reverse("notifications:list")).content.decode()


@time_machine.travel(WORKING_DAY, tick=False)
def test_nobody_can_mark_or_see_anothers_notifications(offices):
    _, _, (clerk, other) = offices
    send_daily_digests()
    theirs = Notification.objects.get(recipient=other)
    client = Client()
    client.force_login(clerk)
    client.post(reverse("notifications:mark_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert not theirs.is_read
    page = client.get(reverse("notifications:list"))
    assert list(page.context["page"]) == [Notification.objects.get(recipient=clerk)]
