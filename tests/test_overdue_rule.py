"""The report's overdue warning reads the stored deadline in the database; it must name
the same applications, with the same deadlines, as working each deadline out as it stood
on the day (deadlines.deadline_for with as_of), whatever the clock stops."""

import datetime

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from applications.choices import ApplicantType, ClockStopKind
from applications.deadlines import deadline_for
from applications.models import Application, ClockStop, Organization
from reports.figures import checks

D = datetime.date


def later(start, days):
    return st.integers(0, days).map(lambda n: start + datetime.timedelta(days=n))


@st.composite
def applications(draw):
    received_on = draw(st.dates(D(2021, 9, 1), D(2022, 2, 28)))
    stops = draw(
        st.lists(
            st.fixed_dictionaries(
                {"started_on": later(received_on, 60), "length": st.none() | st.integers(0, 60)}
            ),
            max_size=2,
        )
    )
    return {
        "received_on": received_on,
        "answered_on": draw(st.none() | later(received_on, 120)),
        "correction_received_on": draw(st.none() | later(received_on, 20)),
        "extended": draw(st.booleans()),
        "stops": stops,
    }


def build(office, specs):
    for spec in specs:
        application = Application(
            organization=office,
            received_on=spec["received_on"],
            answered_on=spec["answered_on"],
            outcome="1" if spec["answered_on"] else "",
            correction_received_on=spec["correction_received_on"],
            extended=spec["extended"],
            applicant_type=ApplicantType.NATURAL_PERSON,
            applicant_name="张三",
            content="申请公开辖区道路改造项目清单",
        )
        application.save()
        for stop in spec["stops"]:
            length = stop["length"]
            ClockStop.objects.create(
                application=application,
                kind=ClockStopKind.THIRD_PARTY_OPINION,
                started_on=stop["started_on"],
                ended_on=None
                if length is None
                else stop["started_on"] + datetime.timedelta(length),
            )


def worked_out_one_by_one(office, as_of):
    """The rule itself: unanswered on the day, and the deadline as it stood then passed."""
    found = []
    for application in Application.objects.filter(organization=office).order_by(
        "received_on", "pk"
    ):
        if application.received_on > as_of:
            continue
        if application.answered_on is not None and application.answered_on <= as_of:
            continue
        deadline = deadline_for(application, as_of=as_of).due_on
        if deadline is not None and deadline < as_of:
            found.append((application.pk, deadline))
    return found


class OverdueFromStoredDeadlines(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = Organization.objects.create(
            name="洛阳市洛龙区学府街道办事处", short_name="学府街道"
        )

    @given(
        specs=st.lists(applications(), min_size=1, max_size=6),
        as_of=st.dates(D(2021, 10, 1), D(2022, 6, 30)),
    )
    def test_the_database_names_what_the_rule_names(self, specs, as_of):
        build(self.office, specs)
        found = [
            (a.pk, deadline) for a, deadline in checks.overdue_applications(self.office, as_of)
        ]
        assert found == worked_out_one_by_one(self.office, as_of)
        counted = checks.overdue_counts_by_office([self.office.pk], as_of)
        assert counted.get(self.office.pk, 0) == len(found)

    def test_a_stop_begun_after_the_day_does_not_move_that_days_deadline(self):
        build(
            self.office,
            [
                {
                    "received_on": D(2021, 11, 1),
                    "answered_on": None,
                    "correction_received_on": None,
                    "extended": False,
                    "stops": [{"started_on": D(2021, 12, 15), "length": 30}],
                }
            ],
        )
        application = Application.objects.get()
        as_of = D(2021, 12, 10)
        assert application.due_on > as_of  # the stored deadline counts the later stop
        [(found, deadline)] = checks.overdue_applications(self.office, as_of)
        assert found.pk == application.pk
        assert deadline == deadline_for(application, as_of=as_of).due_on < as_of
        assert checks.overdue_counts_by_office([self.office.pk], as_of) == {self.office.pk: 1}
