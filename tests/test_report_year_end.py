"""An application still unanswered on 31 December while its third-party consultation
(征求意见) runs across the new year: every report path builds, and the deadline the
report's warnings use is the ledger's own, as it stood on 31 December."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import DISTRICT, OFFICIAL
from applications.choices import ApplicantType, ClockStopKind, OrganizationKind, Outcome
from applications.deadlines import deadline_for
from applications.models import Application, ClockStop, Organization
from reports.figures import checks, district, tables
from reports.signoff import current_contents, current_document, current_workbook
from tests.support.jobs import rollup_through_the_web

D = datetime.date
CONSULTATION_ENDS = D(2022, 1, 10)
TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def county(db):
    return Organization.objects.create(
        name="洛阳市洛龙区人民政府", short_name="洛龙区", kind=OrganizationKind.COUNTY
    )


@pytest.fixture
def street(county):
    return Organization.objects.create(
        name="洛阳市洛龙区学府街道办事处", short_name="学府街道", parent=county
    )


def consultation_across_new_year(office, ended_on=CONSULTATION_ENDS, answered_on=None):
    application = Application.objects.create(
        organization=office,
        received_on=D(2021, 12, 10),
        applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="张三",
        content="申请公开辖区拆迁补偿协议",
        answered_on=answered_on,
        outcome=Outcome.DISCLOSED if answered_on else "",
    )
    ClockStop.objects.create(
        application=application,
        kind=ClockStopKind.THIRD_PARTY_OPINION,
        started_on=D(2021, 12, 20),
        ended_on=ended_on,
    )
    return application


def user_in(django_user_model, office, role, username):
    user = django_user_model.objects.create_user(
        username, password="pw-for-tests-only-1", organization=office
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def test_consultation_across_new_year_leaves_no_deadline_on_31_december(street):
    application = consultation_across_new_year(street)
    as_of = D(2021, 12, 31)
    assert deadline_for(application, as_of=as_of).is_suspended
    assert not deadline_for(application).is_suspended
    assert checks.overdue_applications(street, as_of) == []


def test_consultation_that_ended_before_31_december_still_counts_its_days(street):
    application = consultation_across_new_year(street, ended_on=D(2021, 12, 22))
    ledger_deadline = deadline_for(application).due_on
    assert deadline_for(application, as_of=D(2021, 12, 31)).due_on == ledger_deadline
    assert [
        (found.pk, deadline)
        for found, deadline in checks.overdue_applications(street, D(2022, 3, 1))
    ] == [(application.pk, ledger_deadline)]


def test_consultation_begun_after_the_day_is_not_counted_yet(street):
    application = consultation_across_new_year(street)
    assert (
        deadline_for(application, as_of=D(2021, 12, 15)).due_on
        == deadline_for(application, clock_stops=[]).due_on
    )


def test_report_of_a_year_end_consultation_builds_in_every_output(street, django_user_model):
    consultation_across_new_year(street)
    contents = current_contents(street, 2021)
    assert contents.report.table_three.values[tables.CARRIED_OUT][tables.TOTAL] == 1
    assert current_workbook(contents)[:2] == b"PK"
    assert current_document(contents)[:2] == b"PK"


def test_report_page_and_downloads_of_a_year_end_consultation(client, street, django_user_model):
    consultation_across_new_year(street, answered_on=D(2022, 1, 20))
    client.force_login(user_in(django_user_model, street, OFFICIAL, "shenhe"))
    for name in ("report", "workbook", "document"):
        response = client.get(reverse(f"reports:{name}", args=[street.pk, 2021]))
        assert response.status_code == 200, name


def test_rollup_and_board_of_a_year_end_consultation(client, county, street, django_user_model):
    consultation_across_new_year(street)
    result = district.rollup(county, 2021, [street])
    assert result.report.table_three.values[tables.CARRIED_OUT][tables.TOTAL] == 1
    user = user_in(django_user_model, county, DISTRICT, "quji")
    client.force_login(user)
    assert client.get(reverse("reports:district", args=[county.pk, 2021])).status_code == 200
    rollup_through_the_web(client, user, county)
