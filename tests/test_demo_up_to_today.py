"""Issue 16 item 10: the demo ledger runs up to today, with nothing stale left overdue."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from applications.models import Organization

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 3)


@time_machine.travel(
    datetime.datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
)
def test_demo_has_applications_every_year_up_to_today_and_none_stale_overdue():
    call_command("seed_demo")
    applications = Organization.objects.get(short_name="学府街道").applications.all()
    years = set(applications.values_list("received_on__year", flat=True))
    assert years == set(range(2020, 2027))
    for year in (2024, 2025, 2026):
        assert applications.answered().filter(received_on__year=year).count() >= 21
    # Only the handful received in the last weeks are open; nothing older sits overdue.
    assert (
        not applications.pending()
        .filter(received_on__lt=TODAY - datetime.timedelta(days=30))
        .exists()
    )
    assert not applications.overdue(TODAY).exists()
    assert not applications.filter(answered_on__gt=TODAY).exists()
    assert applications.due_soon(TODAY).exists()
