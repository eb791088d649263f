"""The automatic 申请编号: format, per-office-and-year sequence, and safety under concurrent saves."""

import datetime
import threading

import pytest
from django.db import connection, connections

from applications.models import Application
from tests.support import factories

D = datetime.date


@pytest.mark.django_db
def test_number_is_short_name_year_and_sequence(make_application):
    first = make_application(received_on=D(2021, 1, 4))
    second = make_application(received_on=D(2021, 12, 31))
    next_year = make_application(received_on=D(2022, 1, 1))
    assert [first.number, second.number, next_year.number] == [
        "学府街道〔2021〕1号",
        "学府街道〔2021〕2号",
        "学府街道〔2022〕1号",
    ]


@pytest.mark.django_db
def test_sequences_are_kept_per_office(make_application, other_office):
    make_application()
    assert make_application(organization=other_office).number == "开元路街道〔2021〕1号"


@pytest.mark.django_db
def test_number_typed_by_hand_is_kept_and_skipped_by_the_sequence(make_application):
    make_application(number="学府街道〔2021〕1号")
    make_application(number="学府街道〔2021〕2号")
    assert make_application().number == "学府街道〔2021〕3号"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; SQLite serialises all writers",
)
def test_concurrent_saves_get_distinct_numbers(office):
    threads_count, per_thread = 6, 5
    barrier = threading.Barrier(threads_count)
    errors = []

    def worker():
        try:
            barrier.wait()
            for _ in range(per_thread):
                factories.make_application(
                    office,
                    received_on=D(2021, 6, 1),
                    applicant_type="natural_person",
                    applicant_name="并发测试",
                    content="并发保存",
                )
        except Exception as error:  # noqa: BLE001 - collected and re-raised in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(Application.objects.values_list("number", flat=True))
    assert len(numbers) == threads_count * per_thread
    assert sorted(numbers) == sorted(
        {f"学府街道〔2021〕{n}号" for n in range(1, threads_count * per_thread + 1)}
    )
