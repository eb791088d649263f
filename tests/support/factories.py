"""The one way tests build offices, users, applications, clock stops, reviews and lawsuits.

Plain functions with sensible defaults; any model field can be overridden by keyword.
Fixtures (tests/support/fixtures.py, the ledgers and the world) are built from these.

Signing off a report for real (reports.signoff.sign_off) also draws its workbook and Word
file, which is slow: only the tests about sign-off do it. Other tests that need an office
to have a signed-off report use make_sign_off, which stores the same figures, text and
checks with placeholder files.
"""

import datetime
import functools

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import User
from applications.choices import ApplicantType, ClockStopKind, OrganizationKind, Outcome
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit, Organization
from reports.models import ReportSignOff
from reports.signoff import current_contents

PASSWORD = "Gongkai-test-pw-2021"


@functools.cache
def password_hash():
    """PASSWORD hashed once per test run: the real hasher is slow on purpose."""
    return make_password(PASSWORD)


def make_office(short_name="学府街道", name=None, parent=None, **fields):
    """A 街道办事处 (or any kind of office: pass kind=OrganizationKind.…)."""
    district = parent.short_name.removesuffix("区") if parent else "洛龙"
    fields.setdefault("name", name or f"洛阳市{district}区{short_name}办事处")
    return Organization.objects.create(short_name=short_name, parent=parent, **fields)


def make_district(short_name="洛龙区", name=None, **fields):
    """A 区县人民政府."""
    return Organization.objects.create(
        name=name or f"洛阳市{short_name}人民政府",
        short_name=short_name,
        kind=OrganizationKind.COUNTY,
        **fields,
    )


def make_user(username, organization=None, groups=(), password=None, **fields):
    """A staff user of the organization in the named groups (roles); signs in with PASSWORD
    unless another password is given."""
    fields.setdefault("is_staff", True)
    user = User.objects.create(
        username=username,
        password=make_password(password) if password else password_hash(),
        organization=organization,
        **fields,
    )
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


def make_superuser(username="root", **fields):
    return make_user(username, is_superuser=True, **fields)


def make_application(organization, history_user=None, **fields):
    """An application of the organization, received 2021-03-01 unless told otherwise.

    Given answered_on without an outcome, it is 予以公开. `history_user` is recorded as
    the person who saved it (django-simple-history).
    """
    fields.setdefault("received_on", datetime.date(2021, 3, 1))
    fields.setdefault("applicant_type", ApplicantType.NATURAL_PERSON)
    fields.setdefault("applicant_name", "张三")
    fields.setdefault("content", "申请公开2020年辖区老旧小区改造项目清单")
    if fields.get("answered_on") and "outcome" not in fields:
        fields["outcome"] = Outcome.DISCLOSED
    application = Application(organization=organization, **fields)
    if history_user is not None:
        application._history_user = history_user
    application.save()
    return application


def make_clock_stop(application, **fields):
    fields.setdefault("kind", ClockStopKind.THIRD_PARTY_OPINION)
    fields.setdefault("started_on", application.received_on + datetime.timedelta(days=4))
    return ClockStop.objects.create(application=application, **fields)


def make_review(application, **fields):
    fields.setdefault("filed_on", datetime.date(2021, 4, 1))
    return AdministrativeReview.objects.create(application=application, **fields)


def make_lawsuit(application, **fields):
    fields.setdefault("filed_on", datetime.date(2021, 7, 1))
    return Lawsuit.objects.create(application=application, **fields)


# Stand-ins for the stored files of a sign-off made by make_sign_off (real files start "PK").
PLACEHOLDER_FILE = b"PK placeholder"


def make_sign_off(organization, year, user, version=1):
    """A signed-off version of the year's report as the ledger stands: the figures, text and
    checks sign_off() would store, without drawing the workbook and Word file."""
    contents = current_contents(organization, year)
    return ReportSignOff.objects.create(
        organization=organization,
        year=year,
        version=version,
        figures=contents.report.as_json(),
        narrative=contents.narrative,
        checks=[check.as_json() for check in contents.checks],
        workbook=PLACEHOLDER_FILE,
        document=PLACEHOLDER_FILE,
        signed_by=user,
    )
