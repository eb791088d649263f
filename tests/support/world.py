"""The isolation world: a small but complete ledger in two districts, and one user per role.

District A (洛龙区) has the office 学府街道, where our role users sit; district B (西工区)
has 王城路街道, whose records no user of A may reach. Every B record carries a
sentinel text (FOREIGN_SENTINELS) that must never appear on a page an A user gets.
"""

import copy
import datetime
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client

from accounts.audit import record
from accounts.models import AuditEvent, LoginLockout, User
from accounts.roles import CLERK, DISTRICT, OFFICIAL, SYSTEM_ADMIN
from applications.choices import ApplicantType, CaseResult, Outcome
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit, Organization
from reports.models import (
    AnnualFigures,
    DocumentKind,
    NormativeDocument,
    ReportNarrative,
    SubmittedReport,
)
from tests.support.factories import (
    make_application,
    make_clock_stop,
    make_district,
    make_lawsuit,
    make_office,
    make_review,
    make_sign_off,
    make_superuser,
    make_user,
)
from tests.support.urlwalk import complete_foreign_objects

FOREIGN_SENTINELS = ["王城路街道", "西工区", "王五乙", "4103031988", "13999990000", "clerk_b"]

ROLE_NAMES = ["clerk", "official", "district", "sysadmin", "nobody_admin"]


def make_ledger(office, applicant_name, id_number, phone, clerk):
    application = make_application(
        office,
        history_user=clerk,
        applicant_name=applicant_name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        applicant_address="洛阳市某路1号",
    )
    application.answered_on = datetime.date(2021, 3, 20)
    application.outcome = Outcome.DISCLOSED
    application._history_user = clerk
    application.save()
    clock_stop = make_clock_stop(application, started_on=datetime.date(2021, 3, 5))
    review = make_review(
        application,
        review_body="洛阳市人民政府",
        result=CaseResult.UPHELD,
        concluded_on=datetime.date(2021, 6, 1),
    )
    lawsuit = make_lawsuit(application, after_review=True)
    # A second application, without review or lawsuit, that could be deleted.
    plain = make_application(
        office,
        received_on=datetime.date(2021, 5, 1),
        applicant_type=ApplicantType.COMMERCIAL,
        applicant_name=f"{applicant_name}公司",
        content="申请公开辖区企业名录",
    )
    return application, clock_stop, review, lawsuit, plain


def make_report_inputs(office, signer):
    """The office's report inputs for 2021 and a signed-off version of its 2021 report
    (recorded with make_sign_off: the files are placeholders)."""
    document = NormativeDocument.objects.create(
        organization=office,
        number=f"{office.short_name}〔2021〕1号",
        title="关于规范公开工作的通知",
        kind=DocumentKind.NORMATIVE_DOCUMENT,
        issued_on=datetime.date(2021, 2, 1),
    )
    figures = AnnualFigures.objects.create(organization=office, year=2021, licensing_decisions=2)
    narrative = ReportNarrative.objects.create(
        organization=office, year=2021, platform=f"{office.short_name}政务公开专栏"
    )
    signed = make_sign_off(office, 2021, signer)
    # A workbook the district was sent for this office (as if it did not use gongkai), not yet accepted.
    submitted = SubmittedReport.objects.create(
        organization=office,
        year=2021,
        figures=signed.figures,
        checks=signed.checks,
        workbook=signed.workbook,
        filename=f"{office.short_name}2021年报告.xlsx",
        uploaded_by=signer,
    )
    return [document, figures, narrative, signed, submitted]


def build_world(with_reports=True):
    """Both districts with full ledgers, the role users of A, a superuser, lockout and audit rows.

    With `with_reports`, both offices also have report inputs, a signed-off 2021 report
    (recorded, not drawn: see factories.make_sign_off) and a workbook sent to the district.
    A sign-off locks the applications it counts from deletion.
    """
    district_a = make_district("洛龙区")
    office_a = make_office("学府街道", parent=district_a)
    district_b = make_district("西工区")
    office_b = make_office("王城路街道", parent=district_b)

    users = SimpleNamespace(
        clerk=make_user("clerk_a", office_a, [CLERK], first_name="一", last_name="张"),
        official=make_user("official_a", office_a, [OFFICIAL]),
        district=make_user("district_a", district_a, [DISTRICT]),
        sysadmin=make_user("sysadmin_a", district_a, [SYSTEM_ADMIN]),
        nobody_admin=make_user("sysadmin_of_nothing", None, [SYSTEM_ADMIN]),
        superuser=make_superuser("root_matrix"),
    )
    clerk_b = make_user("clerk_b", office_b, [CLERK], first_name="乙", last_name="王")
    official_b = make_user("official_b", office_b, [OFFICIAL])

    a_app, a_stop, a_review, a_lawsuit, a_plain = make_ledger(
        office_a, "张三甲", "410302199001011234", "13812345678", users.clerk
    )
    b_app, b_stop, b_review, b_lawsuit, b_plain = make_ledger(
        office_b, "王五乙", "410303198807076543", "13999990000", clerk_b
    )
    # Sign-offs lock applications from deletion; the deletion tests build a world without them.
    a_report = make_report_inputs(office_a, users.official) if with_reports else []
    b_report = make_report_inputs(office_b, official_b) if with_reports else []
    b_event = record(
        None, AuditEvent.Action.LEDGER_EXPORT, detail="导出王城路街道台账", user=clerk_b
    )
    a_event = record(
        None, AuditEvent.Action.LEDGER_EXPORT, detail="导出学府街道台账", user=users.clerk
    )
    b_attempt = AccessAttempt.objects.create(
        username="clerk_b",
        ip_address="10.0.0.9",
        user_agent="test",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )

    foreign = {
        Organization: [office_b, district_b],
        Application: [b_app, b_plain],
        ClockStop: [b_stop],
        AdministrativeReview: [b_review],
        Lawsuit: [b_lawsuit],
        User: [clerk_b, official_b],
        AuditEvent: [b_event],
        LoginLockout: [LoginLockout.objects.get(pk=b_attempt.pk)],
        Group: list(Group.objects.filter(name=CLERK)),
        **{type(obj): [obj] for obj in b_report},
    }
    own = {
        Organization: [office_a],
        Application: [a_app, a_plain],
        ClockStop: [a_stop],
        AdministrativeReview: [a_review],
        Lawsuit: [a_lawsuit],
        AuditEvent: [a_event],
        **{type(obj): [obj] for obj in a_report},
    }
    return SimpleNamespace(
        district_a=district_a,
        office_a=office_a,
        district_b=district_b,
        office_b=office_b,
        users=users,
        clerk_b=clerk_b,
        a_app=a_app,
        a_plain=a_plain,
        a_review=a_review,
        b_app=b_app,
        b_plain=b_plain,
        b_stop=b_stop,
        b_review=b_review,
        b_lawsuit=b_lawsuit,
        foreign=foreign,
        own=own,
    )


def world_once(django_db_blocker, build):
    """Build a world once for a module, inside a transaction rolled back when the module is
    done. Each test runs in a savepoint of it (pytest-django's `db`), so what a test writes
    is undone after it; tests get a deep copy, so in-memory changes are undone too.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        world = build()
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_complete_world():
    world = build_world(with_reports=True)
    complete_foreign_objects(world.foreign)
    return world


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    yield from world_once(django_db_blocker, lambda: build_world(with_reports=False))


@pytest.fixture(scope="module")
def _complete_world(django_db_setup, django_db_blocker):
    yield from world_once(django_db_blocker, build_complete_world)


@pytest.fixture
def world(_world, db):
    """The two-district world without reports (so its applications can be deleted), built
    once per test module."""
    return copy.deepcopy(_world)


@pytest.fixture
def complete_world(_complete_world, db):
    """The world with both offices' report inputs, signed-off 2021 reports and submitted
    workbooks, and an other-office record of every model in the admin: for walking every
    URL. Built once per test module (a module uses either this or `world`, never both)."""
    return copy.deepcopy(_complete_world)


def client_as(world, role):
    """A test client signed in as one of the world's role users ("anonymous": not signed in)."""
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world.users, role))
    return client
