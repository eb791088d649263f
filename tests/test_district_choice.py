"""Issue 16 item 3: the district's report choice leads to its rollup and board."""

import pytest
from django.urls import reverse

from tests.support.world import build_world

from .test_history import client_for


@pytest.fixture
def world(db):
    return build_world()


def test_choosing_the_district_opens_its_rollup_board(world):
    client = client_for(world.users.district)
    response = client.get(
        reverse("reports:index"), {"organization": world.district_a.pk, "year": 2021}
    )
    assert response["Location"] == reverse("reports:district", args=[world.district_a.pk, 2021])
    assert client.get(response["Location"]).status_code == 200


def test_choosing_an_office_still_opens_its_report(world):
    client = client_for(world.users.district)
    response = client.get(
        reverse("reports:index"), {"organization": world.office_a.pk, "year": 2021}
    )
    assert response["Location"] == reverse("reports:report", args=[world.office_a.pk, 2021])


def test_district_links_cover_every_year_with_data(world):
    html = client_for(world.users.district).get(reverse("reports:index")).content.decode()
    # The ledger of tests/world.py is all in 2021, years before "today" (2026).
    assert reverse("reports:district", args=[world.district_a.pk, 2021]) in html


def test_the_districts_own_report_links_to_its_rollup(world):
    client = client_for(world.users.district)
    html = client.get(reverse("reports:report", args=[world.district_a.pk, 2021])).content.decode()
    assert 'id="district-rollup-link"' in html
    assert reverse("reports:district", args=[world.district_a.pk, 2021]) in html
    office = client.get(reverse("reports:report", args=[world.office_a.pk, 2021])).content.decode()
    assert 'id="district-rollup-link"' not in office
