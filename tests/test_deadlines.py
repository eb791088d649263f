import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from applications.choices import ClockStopKind, Outcome
from applications.deadlines import DeadlineStatus, compute_deadline, deadline_status
from applications.models import Application, ClockStop
from tests.support.factories import make_clock_stop
from workdays.calendar import WorkdayCalendar
from workdays.models import WorkdayOverride

D = datetime.date


@pytest.mark.django_db
def test_deadline_spans_national_day_and_its_make_up_saturday():
    deadline = compute_deadline(D(2021, 9, 28))

    assert deadline.due_on == D(2021, 11, 1)
    assert not deadline.is_provisional
    text = "\n".join(deadline.lines())
    assert "2021年10月1日（星期五，国庆节）" in text
    assert "2021年10月9日（星期六，国庆节调休）" in text
    assert "起算日后第 20 个工作日" in text


@pytest.mark.django_db
def test_received_on_a_saturday_counts_from_the_next_working_day():
    # 2021-03-06 is a Saturday; Qingming (4–5 April) lies just after the deadline.
    assert compute_deadline(D(2021, 3, 6)).due_on == D(2021, 4, 2)


@pytest.mark.django_db
def test_correction_restarts_the_period_from_the_corrected_receipt():
    deadline = compute_deadline(D(2021, 3, 1), correction_received_on=D(2021, 3, 10))

    assert deadline.start_on == D(2021, 3, 10)
    assert deadline.start_reason == "收到补正后申请之日"
    # 20 working days after Wed 10 March: 11–12, 15–19, 22–26, 29 Mar–2 Apr, 6–8 April (Qingming 5 April).
    assert deadline.due_on == D(2021, 4, 8)


@pytest.mark.django_db
def test_extension_adds_twenty_working_days():
    deadline = compute_deadline(D(2021, 9, 28), extended=True)

    assert deadline.due_on == D(2021, 11, 29)
    assert [addition.days for addition in deadline.additions] == [20, 20]
    assert "延期答复" in deadline.lines()[2]


@pytest.mark.django_db
def test_clock_stop_adds_its_working_days_start_exclusive_end_inclusive():
    stop = ClockStop(
        kind=ClockStopKind.THIRD_PARTY_OPINION, started_on=D(2021, 3, 8), ended_on=D(2021, 3, 15)
    )

    deadline = compute_deadline(D(2021, 3, 1), clock_stops=[stop])

    # (8 March, 15 March] holds 9–12 and 15 March: 5 working days; 29 March + 5 working days = 6 April... minus Qingming.
    assert deadline.additions[-1].days == 5
    assert compute_deadline(D(2021, 3, 1)).due_on == D(2021, 3, 29)
    assert deadline.due_on == D(2021, 4, 6)
    assert "征求第三方意见（2021年3月8日至2021年3月15日" in deadline.lines()[2]


@pytest.mark.django_db
def test_overlapping_clock_stops_count_each_day_once():
    stops = [
        ClockStop(
            kind=ClockStopKind.THIRD_PARTY_OPINION,
            started_on=D(2021, 3, 8),
            ended_on=D(2021, 3, 15),
        ),
        ClockStop(
            kind=ClockStopKind.FEE_NOTICE, started_on=D(2021, 3, 12), ended_on=D(2021, 3, 16)
        ),
    ]

    deadline = compute_deadline(D(2021, 3, 1), clock_stops=stops)

    assert [addition.days for addition in deadline.additions] == [20, 5, 1]


@pytest.mark.django_db
def test_unfinished_clock_stop_suspends_the_deadline():
    stop = ClockStop(
        kind=ClockStopKind.THIRD_PARTY_OPINION, started_on=D(2021, 3, 8), ended_on=None
    )

    deadline = compute_deadline(D(2021, 3, 1), clock_stops=[stop])

    assert deadline.due_on is None
    assert deadline.label == "暂停计算（待定）"
    assert "尚未结束" in deadline.suspended_by
    assert deadline_status(None, None, D(2030, 1, 1)) == DeadlineStatus.PENDING


@pytest.mark.django_db
def test_override_wins_over_the_package():
    WorkdayOverride.objects.create(date=D(2021, 10, 29), is_workday=False, note="临时停工")

    assert compute_deadline(D(2021, 9, 28)).due_on == D(2021, 11, 2)


@pytest.mark.django_db
def test_unknown_year_is_computed_on_weekdays_and_marked_provisional():
    deadline = compute_deadline(D(2026, 12, 20))

    assert deadline.due_on == D(2027, 1, 15)
    assert deadline.is_provisional
    assert deadline.unknown_years == (2027,)
    assert "2027年的法定节假日和调休安排尚未收录" in deadline.warning
    assert deadline.label == "2027年1月15日（待确认）"


@pytest.mark.django_db
def test_an_override_in_an_unknown_year_makes_that_year_known():
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="2027年元旦")

    deadline = compute_deadline(D(2026, 12, 20))

    assert not deadline.is_provisional
    assert deadline.due_on == D(2027, 1, 18)


@pytest.mark.django_db
def test_calendar_reads_overrides_once_for_many_deadlines(django_assert_max_num_queries):
    WorkdayOverride.objects.create(date=D(2021, 10, 29), is_workday=False)
    calendar = WorkdayCalendar()

    with django_assert_max_num_queries(1):
        for day in range(1, 29):
            compute_deadline(D(2021, 9, day), calendar=calendar, extended=True)


@pytest.mark.django_db
def test_saving_an_application_stores_its_deadline(make_application):
    application = make_application(received_on=D(2021, 9, 28))

    application.refresh_from_db()
    assert application.due_on == D(2021, 11, 1)
    assert application.due_is_provisional is False

    application.extended = True
    application.save()
    application.refresh_from_db()
    assert application.due_on == D(2021, 11, 29)


@pytest.mark.django_db
def test_saving_and_deleting_a_clock_stop_updates_the_stored_deadline(make_application):
    application = make_application(received_on=D(2021, 3, 1))
    stop = make_clock_stop(
        application,
        kind=ClockStopKind.THIRD_PARTY_OPINION,
        started_on=D(2021, 3, 8),
        ended_on=None,
    )
    application.refresh_from_db()
    assert application.due_on is None

    stop.ended_on = D(2021, 3, 15)
    stop.save()
    application.refresh_from_db()
    assert application.due_on == D(2021, 4, 6)

    stop.delete()
    application.refresh_from_db()
    assert application.due_on == D(2021, 3, 29)


@pytest.mark.django_db
def test_deadline_status_for_every_case(make_application):
    due = D(2021, 11, 1)
    assert deadline_status(D(2021, 11, 1), due) == DeadlineStatus.ON_TIME
    assert deadline_status(D(2021, 11, 2), due) == DeadlineStatus.LATE
    assert deadline_status(None, due, today=D(2021, 11, 1)) == DeadlineStatus.PENDING
    assert deadline_status(None, due, today=D(2021, 11, 2)) == DeadlineStatus.OVERDUE


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2021, 11, 2, 10, 0), tick=False)
def test_status_annotation_matches_the_property(make_application):
    make_application(number="A", received_on=D(2021, 9, 28))
    make_application(number="B", received_on=D(2021, 9, 28), answered_on=D(2021, 11, 1))
    make_application(number="C", received_on=D(2021, 9, 28), answered_on=D(2021, 11, 2))
    make_application(number="D", received_on=D(2021, 10, 25))

    rows = {a.number: a for a in Application.objects.with_deadline_status()}

    assert {number: a.status_now for number, a in rows.items()} == {
        "A": DeadlineStatus.OVERDUE,
        "B": DeadlineStatus.ON_TIME,
        "C": DeadlineStatus.LATE,
        "D": DeadlineStatus.PENDING,
    }
    assert all(a.status_now == a.deadline_status for a in rows.values())
    assert rows["A"].deadline_status_label == "已逾期未答复"


@pytest.mark.django_db
def test_admin_saving_an_override_recomputes_affected_deadlines(admin_client, make_application):
    affected = make_application(number="A", received_on=D(2021, 9, 28))
    untouched = make_application(number="B", received_on=D(2021, 3, 1))

    response = admin_client.post(
        reverse("admin:workdays_workdayoverride_add"),
        {"date": "2021-10-29", "is_workday": "", "note": "临时停工"},
    )

    assert response.status_code == 302
    affected.refresh_from_db()
    untouched.refresh_from_db()
    assert affected.due_on == D(2021, 11, 2)
    assert untouched.due_on == D(2021, 3, 29)


@pytest.mark.django_db
def test_adding_the_missing_year_in_the_admin_confirms_provisional_deadlines(
    admin_client, make_application
):
    application = make_application(received_on=D(2026, 12, 20))
    application.refresh_from_db()
    assert application.due_is_provisional

    admin_client.post(
        reverse("admin:workdays_workdayoverride_add"),
        {"date": "2027-01-01", "is_workday": "", "note": "元旦"},
    )

    application.refresh_from_db()
    assert application.due_is_provisional is False
    assert application.due_on == D(2027, 1, 18)


@pytest.mark.django_db
def test_admin_deleting_an_override_recomputes_deadlines(admin_client, make_application):
    override = WorkdayOverride.objects.create(date=D(2021, 10, 29), is_workday=False)
    application = make_application(received_on=D(2021, 9, 28))
    application.refresh_from_db()
    assert application.due_on == D(2021, 11, 2)

    admin_client.post(
        reverse("admin:workdays_workdayoverride_delete", args=[override.pk]), {"post": "yes"}
    )

    application.refresh_from_db()
    assert application.due_on == D(2021, 11, 1)


@pytest.mark.django_db
def test_recompute_deadlines_command_fixes_stale_deadlines(make_application, capsys):
    application = make_application(received_on=D(2021, 9, 28))
    Application.objects.filter(pk=application.pk).update(due_on=D(2000, 1, 1))

    call_command("recompute_deadlines")

    application.refresh_from_db()
    assert application.due_on == D(2021, 11, 1)
    assert "其中 1 件有变化" in capsys.readouterr().out


@pytest.mark.django_db
def test_application_page_explains_the_deadline(admin_client, make_application):
    application = make_application(received_on=D(2021, 9, 28), extended=True)

    response = admin_client.get(
        reverse("admin:applications_application_change", args=[application.pk])
    )

    text = response.content.decode()
    assert "起算日：2021年9月28日（收到申请之日，当日不计入）" in text
    assert "加 20 个工作日：经批准延期答复" in text
    assert "答复期限：2021年11月29日（起算日后第 40 个工作日）" in text


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2021, 10, 27, 10, 0), tick=False)
def test_admin_list_filters_due_soon_and_overdue(admin_client, make_application):
    make_application(
        number="到期快", received_on=D(2021, 9, 28)
    )  # due 1 November: within 5 working days
    make_application(number="已逾期", received_on=D(2021, 9, 1))  # due 29 September
    make_application(number="还早", received_on=D(2021, 10, 20))
    make_application(number="已答复", received_on=D(2021, 9, 1), answered_on=D(2021, 9, 20))
    url = reverse("admin:applications_application_changelist")

    soon = admin_client.get(url, {"deadline": "due_soon"}).context["cl"].result_list
    overdue = admin_client.get(url, {"deadline": "overdue"}).context["cl"].result_list

    assert [a.number for a in soon] == ["到期快"]
    assert [a.number for a in overdue] == ["已逾期"]


@pytest.mark.django_db
def test_admin_list_sorts_by_deadline(
    admin_client, make_application, django_assert_max_num_queries
):
    make_application(number="B", received_on=D(2021, 5, 6))
    make_application(number="A", received_on=D(2021, 3, 1))
    make_application(
        number="C",
        received_on=D(2021, 9, 28),
        answered_on=D(2021, 10, 8),
        outcome=Outcome.DISCLOSED,
    )
    url = reverse("admin:applications_application_changelist")
    changelist = admin_client.get(url).context["cl"]
    column = changelist.list_display.index("due_display")

    with django_assert_max_num_queries(12):
        response = admin_client.get(url, {"o": str(column)})

    assert [a.number for a in response.context["cl"].result_list] == ["A", "B", "C"]
    assert "2021年3月29日" in response.content.decode()


@pytest.mark.django_db
def test_override_list_says_which_years_the_package_knows(admin_client):
    WorkdayOverride.objects.create(date=D(2027, 2, 6), is_workday=True, note="2027年春节调休上班")

    response = admin_client.get(reverse("admin:workdays_workdayoverride_changelist"))

    text = response.content.decode()
    assert "内置日历已收录2004—2026年" in text
    assert "2027年春节调休上班" in text and "星期六" in text


@pytest.mark.django_db
def test_admin_form_with_a_clock_stop_stores_the_deadline_including_it(admin_client, office):
    data = {
        "organization": office.pk,
        "number": "",
        "received_on": "2021-03-01",
        "channel": "in_person",
        "content": "申请公开某项目清单",
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "applicant_id_number": "",
        "applicant_phone": "",
        "applicant_address": "",
        "correction_received_on": "",
        "answered_on": "",
        "outcome": "",
        "fee_yuan": "",
        "notes": "",
        "clock_stops-TOTAL_FORMS": "1",
        "clock_stops-INITIAL_FORMS": "0",
        "clock_stops-0-kind": "third_party_opinion",
        "clock_stops-0-started_on": "2021-03-08",
        "clock_stops-0-ended_on": "2021-03-15",
        "clock_stops-0-notes": "",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
        "lawsuits-TOTAL_FORMS": "0",
        "lawsuits-INITIAL_FORMS": "0",
    }

    response = admin_client.post(reverse("admin:applications_application_add"), data)

    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    application = Application.objects.get()
    assert application.due_on == D(2021, 4, 6)
    page = admin_client.get(
        reverse("admin:applications_application_change", args=[application.pk])
    ).content.decode()
    assert "加 5 个工作日：征求第三方意见（2021年3月8日至2021年3月15日" in page
