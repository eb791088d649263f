"""Benchmark a district's rollup on a throw-away SQLite ledger: N offices, M applications each.

    .venv/bin/python scripts/bench_rollup.py 50 400

Prints the queries and seconds taken by the rollup (tables and checks of every office),
the charts, the rollup workbook and the Word document of one office. It builds its own
database in a temporary folder and never touches db.sqlite3 or DATABASE_URL.
"""

import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.pop("DATABASE_URL", None)
WORKDIR = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ["SQLITE_PATH"] = str(WORKDIR / "bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from applications.choices import ApplicantType, OrganizationKind, Outcome  # noqa: E402
from applications.models import Application, Organization  # noqa: E402
from reports import signoff  # noqa: E402
from reports.figures import district as districts  # noqa: E402


def build(offices, per_office):
    district = Organization.objects.create(
        name="基准测试区人民政府", short_name="基准区", kind=OrganizationKind.COUNTY
    )
    user = get_user_model().objects.create_user("bench", organization=district)
    outcomes, kinds = list(Outcome.values), list(ApplicantType.values)
    children = []
    for number in range(offices):
        office = Organization.objects.create(
            name=f"基准第{number}街道办事处", short_name=f"基准{number}", parent=district
        )
        children.append(office)
        rows = []
        for index in range(per_office):
            received = datetime.date(2019, 1, 1) + datetime.timedelta(
                days=(index * 7 + number) % 1200
            )
            answered = received + datetime.timedelta(days=index % 40) if index % 9 else None
            rows.append(
                Application(
                    organization=office,
                    number=f"基准{number}〔基准〕{index}号",
                    received_on=received,
                    applicant_type=kinds[index % len(kinds)],
                    applicant_name=f"申请人{index}",
                    content="基准测试",
                    answered_on=answered,
                    outcome=outcomes[index % len(outcomes)] if answered else "",
                )
            )
        Application.objects.bulk_create(rows, batch_size=2000)
        if number % 3 == 0:
            signoff.sign_off(office, 2021, user)
    return district, children


def measure(label, function):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    print(f"{label:<24} {len(queries):>3} 次查询  {seconds:7.3f} 秒")
    return result


def main():
    offices = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    per_office = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    call_command("migrate", verbosity=0)
    district, children = build(offices, per_office)
    print(f"{offices} 个下级机关，每个 {per_office} 件申请")
    result = measure("汇总（表格和校验）", lambda: districts.rollup(district, 2021, children))
    charts = measure("图表", lambda: districts.rollup_charts(result))
    measure("汇总工作簿", lambda: districts.rollup_workbook(result, charts))
    contents = signoff.current_contents(children[1], 2021)
    measure("一个机关的Word文档", lambda: signoff.current_document(contents))


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        shutil.rmtree(WORKDIR, ignore_errors=True)
