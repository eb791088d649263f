"""The daily deadline digest (每日答复期限提醒): one per office and working day.

For each office with applications overdue or due within DUE_SOON_WORKDAYS working days,
every active 登记员 of the office gets an in-app notification, and an email when the
site has a mail server (settings.DIGEST_EMAIL_ENABLED, set by EMAIL_URL). An office with
nothing due gets nothing; a day that is not a working day gets nothing (the next working
day's digest lists it all); a digest is never made twice for the same office and day
(DigestRun's unique constraint).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import CLERK
from applications.deadlines import DUE_SOON_WORKDAYS, chinese_date, due_soon_until
from applications.models import Application, Organization
from workdays.calendar import WorkdayCalendar

from .models import DigestRun, Notification


@dataclass
class OfficeDigest:
    office: Organization
    today: object
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)

    @property
    def title(self):
        return (
            f"{self.office.short_name}{chinese_date(self.today)}答复期限提醒："
            f"已逾期未答复{len(self.overdue)}件，即将到期{len(self.due_soon)}件"
        )

    def body(self):
        lines = [f"{self.office.name}，截至{chinese_date(self.today)}："]
        for heading, applications in (
            ("已逾期未答复", self.overdue),
            (f"即将到期（{DUE_SOON_WORKDAYS}个工作日内）", self.due_soon),
        ):
            if not applications:
                continue
            lines.append(f"{heading}{len(applications)}件：")
            lines += [
                f"· {item.number}　{item.applicant_name}　答复期限{chinese_date(item.due_on)}"
                for item in applications
            ]
        return "\n".join(lines)


def office_digests(today, calendar):
    """What each office has overdue or due soon today, in one query; offices with nothing left out."""
    due = (
        Application.objects.pending()
        .filter(due_on__lte=due_soon_until(today, calendar))
        .select_related("organization")
        .order_by("organization__name", "due_on", "id")
    )
    digests = {}
    for application in due:
        office = application.organization
        digest = digests.setdefault(office.pk, OfficeDigest(office, today))
        (digest.overdue if application.due_on < today else digest.due_soon).append(application)
    return list(digests.values())


def clerks_by_office(office_ids):
    clerks = defaultdict(list)
    for user in User.objects.filter(
        organization__in=office_ids, is_active=True, groups__name=CLERK
    ).order_by("username"):
        clerks[user.organization_id].append(user)
    return clerks


def send_daily_digests(today=None, calendar=None):
    """Make today's digests; returns the DigestRuns made (empty on a day off or a second run)."""
    today = today or timezone.localdate()
    calendar = calendar or WorkdayCalendar()
    if not calendar.is_workday(today):
        return []
    digests = office_digests(today, calendar)
    clerks = clerks_by_office([digest.office.pk for digest in digests])
    link = reverse("applications:home")
    made = []
    for digest in digests:
        try:
            with transaction.atomic():
                run = DigestRun.objects.create(
                    organization=digest.office,
                    day=today,
                    overdue=len(digest.overdue),
                    due_soon=len(digest.due_soon),
                )
                notifications = Notification.objects.bulk_create(
                    Notification(
                        recipient=clerk,
                        digest=run,
                        title=digest.title,
                        body=digest.body(),
                        link=link,
                    )
                    for clerk in clerks[digest.office.pk]
                )
        except IntegrityError:
            continue  # Already made today (another run got there first).
        made.append(run)
        if settings.DIGEST_EMAIL_ENABLED:
            email_digest(digest, notifications)
    return made


def email_digest(digest, notifications):
    body = digest.body() + "\n\n请登录政府信息公开工作平台查看和办理。"
    for notification in notifications:
        address = notification.recipient.email
        if not address:
            continue
        send_mail(digest.title, body, None, [address])
        Notification.objects.filter(pk=notification.pk).update(emailed=True)
