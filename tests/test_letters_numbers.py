"""文号: safe when several clerks issue letters at the same moment (needs PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from applications.models import Application, Organization
from letters.issuing import issue_letter
from letters.kinds import KINDS
from letters.models import IssuedLetter, LetterSettings
from tests.support.letters import D, ledger_application


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL; SQLite serialises all writers",
)
def test_concurrent_issues_get_distinct_numbers():
    office = Organization.objects.create(name="洛阳市洛龙区学府街道办事处", short_name="学府街道")
    LetterSettings.objects.create(
        organization=office,
        review_body="洛龙区人民政府",
        court="洛龙区人民法院",
        number_pattern="学府依申〔{year}〕{seq}号",
    )
    threads_count, per_thread = 5, 3
    for _ in range(threads_count * per_thread):
        ledger_application(office, answered_on=D(2021, 3, 26), outcome="3.3")
    ids = list(Application.objects.values_list("pk", flat=True))
    batches = [ids[i::threads_count] for i in range(threads_count)]
    barrier = threading.Barrier(threads_count)
    errors = []

    def worker(batch):
        try:
            barrier.wait()
            for pk in batch:
                issue_letter(Application.objects.get(pk=pk), KINDS["3.3"], None, {"reason": "理由"})
        except Exception as error:  # noqa: BLE001 - collected and re-raised in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(IssuedLetter.objects.values_list("number", flat=True))
    assert numbers == sorted(
        f"学府依申〔2021〕{n}号" for n in range(1, threads_count * per_thread + 1)
    )
