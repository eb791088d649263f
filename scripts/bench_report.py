"""Benchmark the annual report on a throw-away SQLite ledger of N applications.

    .venv/bin/python scripts/bench_report.py 20000

Prints the queries and seconds taken by the tables, the checks and the workbook. It builds
its own database in a temporary folder and never touches db.sqlite3 or DATABASE_URL.
"""

import datetime
import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.pop("DATABASE_URL", None)
WORKDIR = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ["SQLITE_PATH"] = str(WORKDIR / "bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from applications.choices import ApplicantType, Outcome  # noqa: E402
from applications.models import AdministrativeReview, Application, Organization  # noqa: E402
from reports.outputs.xlsx import build_workbook  # noqa: E402
from reports.signoff import current_contents  # noqa: E402


def build(count):
    office = Organization.objects.create(name="洛阳市洛龙区学府街道办事处", short_name="学府街道")
    outcomes, kinds = list(Outcome.values), list(ApplicantType.values)
    applications = []
    for index in range(count):
        received = datetime.date(2019, 1, 1) + datetime.timedelta(days=index % 1400)
        answered = received + datetime.timedelta(days=index % 45) if index % 9 else None
        applications.append(
            Application(
                organization=office,
                number=f"学府街道〔基准〕{index}号",
                received_on=received,
                applicant_type=kinds[index % len(kinds)],
                applicant_name=f"申请人{index}",
                content="基准测试",
                answered_on=answered,
                outcome=outcomes[index % len(outcomes)] if answered else "",
                fee_yuan=Decimal("100") if index % 13 == 0 else None,
            )
        )
    Application.objects.bulk_create(applications, batch_size=2000)
    for application in Application.objects.filter(organization=office)[: count // 50]:
        AdministrativeReview.objects.create(
            application=application, filed_on=application.received_on + datetime.timedelta(days=30)
        )
    return office


def measure(label, function):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    print(f"{label:<24} {len(queries):>3} 次查询  {seconds:7.3f} 秒")
    return result


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    call_command("migrate", verbosity=0)
    office = build(count)
    print(f"台账：{count} 件申请")
    contents = measure("表二、三、四和校验", lambda: current_contents(office, 2021))
    measure(
        "Excel 工作簿",
        lambda: build_workbook(
            office.name, contents.report, contents.checks, contents.narrative, "基准测试"
        ),
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        shutil.rmtree(WORKDIR, ignore_errors=True)
