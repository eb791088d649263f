"""Which figures stand for an office-year (reports.figures.standing.standing_reports), and
the same cross-year verdict on the office's page, in the district rollup and in the intake.

The disagreeing case of before: an office that sent the district a workbook for 2021
(accepted, no sign-off) and keeps its ledger in gongkai from 2022. Its page compared 2022's
二、上年结转 with the ledger's 2021 (sign-offs only), the rollup with the accepted workbook.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import DISTRICT, OFFICIAL
from applications.choices import ApplicantType, OrganizationKind, Outcome
from applications.models import Application, Organization
from reports import intake
from reports.figures import checks, district, standing, tables
from reports.models import SubmittedReport
from reports.signoff import current_contents, sign_off

D = datetime.date
TODAY = datetime.datetime(2023, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


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


def user_in(django_user_model, office, role, username):
    user = django_user_model.objects.create_user(
        username, password="pw-for-tests-only-1", organization=office
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def application(office, received_on, answered_on=None):
    return Application.objects.create(
        organization=office,
        received_on=received_on,
        applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="张三",
        content="申请公开辖区道路改造资金",
        answered_on=answered_on,
        outcome=Outcome.DISCLOSED if answered_on else "",
    )


def workbook_carrying_out(office, user, carried_out, year=2021, accepted_at=None):
    """An accepted workbook for the year whose only figures are `carried_out` natural persons
    received in the year and carried into the next."""
    report = tables.empty_report(year)
    three = report.table_three.values
    for row in (tables.NEW, tables.CARRIED_OUT):
        three[row][ApplicantType.NATURAL_PERSON.value] = carried_out
        three[row][tables.TOTAL] = carried_out
    return SubmittedReport.objects.create(
        organization=office,
        year=year,
        version=1,
        figures=report.as_json(),
        checks=[],
        workbook=b"PK",
        filename="报送.xlsx",
        uploaded_by=user,
        accepted_by=user,
        accepted_at=accepted_at or timezone.now(),
    )


def cross_year(results):
    return next(check for check in results if check.code == "cross_year")


def verdicts(county, street, year=2022):
    """The cross-year check's status on the office's page, in the rollup, in the intake."""
    page = cross_year(current_contents(street, year).checks).status
    rollup = district.rollup(county, year, [street])
    board = cross_year(next(row for row in rollup.rows if row.office == street).checks).status
    ledger_report = tables.annual_report(street, year)
    received = cross_year(intake.intake_checks(street, year, ledger_report)).status
    return page, board, received


def test_accepted_workbook_stands_for_a_year_without_sign_off(street, django_user_model):
    quji = user_in(django_user_model, street.parent, DISTRICT, "quji")
    submission = workbook_carrying_out(street, quji, 3)
    found = standing.standing_reports([street.pk], [2021, 2022])
    assert found[(street.pk, 2021)].kind == standing.SUBMITTED
    assert found[(street.pk, 2021)].settled.record == submission
    assert found[(street.pk, 2022)].kind == standing.LIVE
    assert not found[(street.pk, 2022)].is_settled


def test_live_figures_stand_where_nothing_is_settled(street):
    application(street, D(2021, 5, 6))
    found = standing.standing_reports([street.pk], [2021])[(street.pk, 2021)]
    assert found.kind == standing.LIVE
    assert found.report.as_json() == tables.annual_report(street, 2021).as_json()


def test_later_sign_off_stands_over_an_earlier_accepted_workbook(street, django_user_model):
    quji = user_in(django_user_model, street.parent, DISTRICT, "quji")
    shenhe = user_in(django_user_model, street, OFFICIAL, "shenhe")
    workbook_carrying_out(street, quji, 3, accepted_at=timezone.now() - datetime.timedelta(days=1))
    signed = sign_off(street, 2021, shenhe)
    found = standing.standing_reports([street.pk], [2021])[(street.pk, 2021)]
    assert (found.kind, found.settled.record.pk) == (standing.SIGNED, signed.pk)


def test_page_rollup_and_intake_agree_when_an_accepted_workbook_disagrees_with_the_ledger(
    county, street, django_user_model
):
    quji = user_in(django_user_model, county, DISTRICT, "quji")
    workbook_carrying_out(street, quji, 3)  # the ledger has nothing from 2021
    application(street, D(2022, 2, 1), D(2022, 2, 20))
    assert verdicts(county, street) == (checks.FAIL, checks.FAIL, checks.FAIL)


def test_page_rollup_and_intake_agree_when_the_ledger_carries_the_workbook_on(
    county, street, django_user_model
):
    quji = user_in(django_user_model, county, DISTRICT, "quji")
    workbook_carrying_out(street, quji, 2)
    for day in (3, 4):
        application(street, D(2021, 12, day), D(2022, 1, 10))
    assert verdicts(county, street) == (checks.PASS, checks.PASS, checks.PASS)


def test_page_compares_with_the_accepted_workbook_and_says_so(street, django_user_model):
    quji = user_in(django_user_model, street.parent, DISTRICT, "quji")
    workbook_carrying_out(street, quji, 3)
    check = cross_year(current_contents(street, 2022).checks)
    assert check.explanation.startswith("与2021年度已接收的报送工作簿（第1版）比较。")
    assert check.details == [
        f"{label}：本年“二、上年结转” 0，2021年“四、结转下年度继续办理” 3"
        for label in (ApplicantType.NATURAL_PERSON.label, "总计")
    ]
