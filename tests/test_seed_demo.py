import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count

from applications.choices import ApplicantType, Outcome
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit, Organization
from reports.models import AnnualFigures, ReportNarrative

pytestmark = pytest.mark.django_db


def ledger_counts():
    return (
        Organization.objects.count(),
        Application.objects.count(),
        AdministrativeReview.objects.count(),
        Lawsuit.objects.count(),
        ClockStop.objects.count(),
        Application.history.count(),
        ReportNarrative.objects.count(),
        AnnualFigures.objects.count(),
    )


def test_seed_demo_twice_adds_nothing_the_second_time(django_user_model):
    call_command("seed_demo")
    first = ledger_counts()
    call_command("seed_demo")
    assert ledger_counts() == first
    assert django_user_model.objects.filter(username="admin").count() == 1


@time_machine.travel(
    datetime.datetime(2025, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
)
def test_seed_demo_builds_a_full_ledger():
    call_command("seed_demo")
    office = Organization.objects.get(name="洛阳市洛龙区学府街道办事处")
    assert office.parent.name == "洛阳市洛龙区人民政府"
    applications = office.applications.all()
    assert 250 <= applications.count() <= 400
    assert set(applications.values_list("received_on__year", flat=True)) == {
        2020,
        2021,
        2022,
        2023,
        2024,
        2025,
    }
    # A few applications in hand now, so the home page has deadlines coming up.
    assert applications.due_soon().exists()
    assert applications.filter(received_on__year=2025, clock_stops__isnull=False).exists()
    assert set(applications.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    assert set(applications.values_list("applicant_type", flat=True)) == set(ApplicantType.values)
    # Some applications straddle a year end, and some are still open.
    assert (
        applications.filter(answered_on__year=2021, received_on__year=2020).exists()
        or applications.filter(answered_on__year=2022, received_on__year=2021).exists()
    )
    assert applications.pending().exists()
    assert (
        AdministrativeReview.objects.exists() and Lawsuit.objects.filter(after_review=True).exists()
    )
    assert Lawsuit.objects.filter(after_review=False).exists()
    per_year = dict(applications.values_list("received_on__year").annotate(n=Count("id")))
    assert all(per_year[year] > 40 for year in (2020, 2021, 2022, 2023))


def test_seed_demo_gives_each_year_the_sample_reports_narrative():
    call_command("seed_demo")
    narrative = ReportNarrative.objects.get(organization__short_name="学府街道", year=2021)
    assert narrative.platform.startswith("街道主要依托洛龙区政府网站平台")
    assert "2021年" in narrative.active_disclosure
    assert ReportNarrative.objects.count() == AnnualFigures.objects.count() == 4


def test_seed_demo_creates_one_user_per_role_who_can_sign_in(client):
    call_command("seed_demo")
    call_command("seed_demo")
    for username, role in [("dengji", "登记员"), ("shenhe", "审核人"), ("quji", "区级管理员")]:
        user = django_user_model_get(username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert client.login(username=username, password="gongkai-demo-2021")
    assert django_user_model_get("shenhe").has_perm("reports.sign_off_report")
    assert django_user_model_get("quji").organization.name == "洛阳市洛龙区人民政府"


def django_user_model_get(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
