import datetime

import pytest
import time_machine
from django.urls import reverse

from applications.choices import Outcome
from tests.support.factories import make_user

D = datetime.date
# Wednesday 27 October 2021: the 5th working day after it is Wednesday 3 November.
TODAY = datetime.datetime(2021, 10, 27, 9, 0)


@pytest.fixture
def clerk(db, office, django_user_model):
    return make_user("clerk", is_staff=True, organization=office)


def numbers(response, key):
    return [application.number for application in response.context[key]]


@time_machine.travel(TODAY, tick=False)
def test_home_lists_due_soon_overdue_and_recently_answered(client, clerk, make_application):
    make_application(number="今天到期", received_on=D(2021, 9, 24))  # due 27 October
    make_application(number="周一到期", received_on=D(2021, 9, 28))  # due 1 November
    make_application(number="还早", received_on=D(2021, 10, 20))  # due 17 November
    make_application(number="逾期", received_on=D(2021, 9, 1))  # due 29 September
    make_application(number="刚答复", received_on=D(2021, 9, 1), answered_on=D(2021, 10, 26))
    make_application(
        number="早答复",
        received_on=D(2021, 9, 1),
        answered_on=D(2021, 9, 10),
        outcome=Outcome.NOT_HELD,
    )
    client.force_login(clerk)

    response = client.get(reverse("applications:home"))

    assert numbers(response, "due_soon") == ["今天到期", "周一到期"]
    assert numbers(response, "overdue") == ["逾期"]
    assert numbers(response, "recently_answered") == ["刚答复", "早答复"]
    assert (response.context["due_soon_count"], response.context["overdue_count"]) == (2, 1)
    text = response.content.decode()
    assert "2021年11月3日前" in text
    assert "逾期答复" in text  # 刚答复 was answered after its deadline of 29 September


@time_machine.travel(TODAY, tick=False)
def test_home_shows_only_the_users_offices(client, clerk, make_application, other_office):
    make_application(number="本街道", received_on=D(2021, 9, 1))
    make_application(number="别的街道", received_on=D(2021, 9, 1), organization=other_office)
    client.force_login(clerk)

    response = client.get(reverse("applications:home"))

    assert numbers(response, "overdue") == ["本街道"]
    assert response.context["overdue_count"] == 1
    assert "别的街道" not in response.content.decode()


@time_machine.travel(datetime.datetime(2026, 12, 30, 9, 0), tick=False)
def test_home_marks_provisional_deadlines(client, clerk, make_application):
    make_application(
        number="跨年", received_on=D(2026, 12, 29)
    )  # due in 2027, a year the calendar does not know
    client.force_login(clerk)

    response = client.get(reverse("applications:home"))

    assert "2027年1月26日（待确认）" in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
@time_machine.travel(TODAY, tick=False)
def test_home_runs_a_fixed_number_of_queries(
    client, clerk, make_application, django_assert_max_num_queries, count
):
    for index in range(count):
        make_application(number=f"到期{index}", received_on=D(2021, 9, 28))
        make_application(number=f"逾期{index}", received_on=D(2021, 9, 1))
        make_application(
            number=f"答复{index}", received_on=D(2021, 9, 1), answered_on=D(2021, 9, 20)
        )
    client.force_login(clerk)

    # The same bound for 3 and 75 applications. It includes what every signed-in request costs:
    # session and user, the role's two permission look-ups, and the idle-timeout session save
    # (savepoint, update, release); the open applications and all applications are counted
    # apart (answered = all − open), each from its own index.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("applications:home"))

    assert len(response.context["overdue"]) == min(count, 20)


def test_home_requires_sign_in(client, db):
    response = client.get(reverse("applications:home"))

    assert response.status_code == 302
