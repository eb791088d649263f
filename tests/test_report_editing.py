"""Issue 16 item 2: the report's text and table 二's figures edited from the report page."""

import decimal

import pytest
from django.urls import reverse

from reports.models import AnnualFigures, ReportNarrative
from tests.support.world import build_world

from .test_history import client_for


@pytest.fixture
def world(db):
    return build_world()


def edit_url(office, year=2021):
    return reverse("reports:report_edit", args=[office.pk, year])


def form_data(**changes):
    data = {
        "narrative-active_disclosure": "全年主动公开政府信息120条。",
        "narrative-on_request": "",
        "narrative-information_management": "",
        "narrative-platform": "学府街道政务公开专栏",
        "narrative-oversight": "",
        "narrative-problems": "时效性还需提高。",
        "narrative-other_matters": "",
        "figures-licensing_decisions": "5",
        "figures-penalty_decisions": "1",
        "figures-coercion_decisions": "0",
        "figures-fee_amount_wan": "1.2345",
    }
    data.update(changes)
    return data


def test_report_page_links_the_official_to_the_editing_page(world):
    html = (
        client_for(world.users.official)
        .get(reverse("reports:report", args=[world.office_a.pk, 2021]))
        .content.decode()
    )
    assert edit_url(world.office_a) in html


def test_official_saves_text_and_table_two_figures_shown_on_the_report(world):
    client = client_for(world.users.official)
    page = client.get(edit_url(world.office_a))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="narrative-active_disclosure"' in html and 'name="figures-fee_amount_wan"' in html
    assert 'name="narrative-organization"' not in html and 'name="figures-year"' not in html
    response = client.post(edit_url(world.office_a), form_data())
    assert response.status_code == 302
    narrative = ReportNarrative.objects.get(organization=world.office_a, year=2021)
    figures = AnnualFigures.objects.get(organization=world.office_a, year=2021)
    assert narrative.active_disclosure == "全年主动公开政府信息120条。"
    assert (figures.licensing_decisions, figures.fee_amount_wan) == (5, decimal.Decimal("1.2345"))
    report = client.get(response["Location"] + "?live=1").content.decode()
    assert "全年主动公开政府信息120条。" in report


def test_a_year_without_inputs_gets_them_created(world):
    client = client_for(world.users.official)
    response = client.post(edit_url(world.office_a, 2022), form_data())
    assert response.status_code == 302
    assert ReportNarrative.objects.filter(organization=world.office_a, year=2022).exists()
    assert AnnualFigures.objects.filter(organization=world.office_a, year=2022).exists()


def test_a_negative_figure_is_a_form_error_in_chinese(world):
    client = client_for(world.users.official)
    response = client.post(edit_url(world.office_a), form_data(**{"figures-fee_amount_wan": "-1"}))
    assert response.status_code == 200
    assert "行政事业性收费金额不能是负数。" in str(response.context["figures_form"].errors)
    html = response.content.decode()
    assert "有内容需要改正" in html and "行政事业性收费金额不能是负数。" in html


@pytest.mark.parametrize("role", ["clerk", "district", "sysadmin"])
def test_roles_without_the_admins_permissions_cannot_edit(world, role):
    client = client_for(getattr(world.users, role))
    assert client.get(edit_url(world.office_a)).status_code in {403, 404}
    assert client.post(edit_url(world.office_a), form_data()).status_code in {403, 404}


def test_another_offices_report_cannot_be_edited(world):
    client = client_for(world.users.official)
    assert client.get(edit_url(world.office_b)).status_code == 404
