"""lib.bulk_history: history rows for many records in one statement, as simple_history writes them."""

import pytest
from simple_history.utils import bulk_update_with_history

from applications.models import Application
from lib import bulk_history
from lib.bulk_history import CHANGED, copy_to_history, create_with_history
from tests.support.factories import make_user

IGNORED = {"history_id", "history_date"}


def history_row(history):
    return {
        field.attname: getattr(history, field.attname)
        for field in history._meta.concrete_fields
        if field.attname not in IGNORED
    }


def test_a_copied_history_row_is_the_one_simple_history_writes(make_application):
    user = make_user("clerk")
    application = make_application(notes="旧备注")
    application.notes = "新备注"
    bulk_update_with_history(
        [application], Application, ["notes"], default_user=user, default_change_reason="改备注"
    )
    theirs = application.history.latest()

    copy_to_history(Application, [application.pk], CHANGED, user=user, reason="改备注")

    ours = application.history.latest()
    assert ours.history_id != theirs.history_id
    assert history_row(ours) == history_row(theirs)
    assert (ours.history_type, ours.history_user, ours.notes) == ("~", user, "新备注")


def test_no_history_is_copied_when_history_is_off(make_application, settings):
    application = make_application()
    settings.SIMPLE_HISTORY_ENABLED = False

    copy_to_history(Application, [application.pk], CHANGED)

    assert application.history.count() == 1


@pytest.mark.parametrize("returns_ids", [True, False])
def test_created_records_get_their_history_whether_or_not_the_database_returns_ids(
    office, monkeypatch, returns_ids
):
    monkeypatch.setattr(bulk_history, "returns_ids", lambda model: returns_ids)
    user = make_user("clerk")
    applications = [
        Application(
            organization=office,
            number=f"学府街道〔2021〕{n}号",
            received_on="2021-09-28",
            applicant_type="natural_person",
            applicant_name="张三",
            content="申请公开",
        )
        for n in range(1, 4)
    ]

    create_with_history(applications, Application, user=user, reason="导入台账")

    history = Application.history.order_by("id")
    assert list(
        history.values_list("id", "history_type", "history_user", "history_change_reason")
    ) == [
        (application.pk, "+", user.pk, "导入台账")
        for application in Application.objects.order_by("pk")
    ]
