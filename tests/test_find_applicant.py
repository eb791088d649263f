"""Issue 16, find by the applicant: the ledger search, and a person's other applications."""

import datetime

import pytest
from django.urls import reverse

from applications.choices import ApplicantType
from applications.models import Application
from tests.support.world import build_world

from .test_history import client_for

ID_NUMBER = "410302199001011234"  # 张三甲's, in tests/world.py
PHONE = "13812345678"


@pytest.fixture
def world(db):
    world = build_world(with_reports=False)
    # The same person again, under a slightly different name, known by phone only.
    world.repeat = Application.objects.create(
        organization=world.office_a,
        received_on=datetime.date(2021, 9, 1),
        applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="张 三甲",
        applicant_phone=PHONE,
        content="再次申请公开老旧小区改造项目清单",
    )
    return world


def search(client, term):
    response = client.get(reverse("admin:applications_application_changelist"), {"q": term})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("term", ["张三甲", ID_NUMBER, PHONE])
def test_ledger_search_finds_the_applicant_by_name_id_number_or_phone(world, term):
    response = search(client_for(world.users.clerk), term)
    found = {application.pk for application in response.context["cl"].result_list}
    assert world.a_app.pk in found


@pytest.mark.parametrize("term", [ID_NUMBER, PHONE])
def test_search_by_number_shows_it_masked(world, term):
    html = search(client_for(world.users.clerk), term).content.decode()
    assert "4103**********1234" in html and "138****5678" in html
    assert f">{ID_NUMBER}<" not in html and f">{PHONE}<" not in html


def test_part_of_a_number_finds_nothing(world):
    response = search(client_for(world.users.clerk), ID_NUMBER[:10])
    assert list(response.context["cl"].result_list) == []


def test_applications_page_lists_the_persons_other_applications(world):
    client = client_for(world.users.clerk)
    url = reverse("admin:applications_application_change", args=[world.a_app.pk])
    response = client.get(url)
    assert list(response.context["same_applicant"]) == [world.repeat]
    html = response.content.decode()
    assert "同一申请人的其他申请" in html
    assert reverse("admin:applications_application_change", args=[world.repeat.pk]) in html


def test_other_applications_never_cross_offices(world):
    # 王五乙 of the other district has a different person; no A user sees B's records anyway.
    client = client_for(world.users.clerk)
    world.b_app.applicant_phone = PHONE
    world.b_app.save()
    url = reverse("admin:applications_application_change", args=[world.a_app.pk])
    assert world.b_app not in list(client.get(url).context["same_applicant"])
