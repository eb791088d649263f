#!/usr/bin/env python
"""Performance at a province's scale: N applications over M offices under one district.

    .venv/bin/python scripts/bench_scale.py [--applications 1000000] [--offices 1000]
        [--repeats 3] [--database postgres://postgres@127.0.0.1:5432/gongkai_bench]
        [--reuse] [--only rollup,admin_list] [--import-rows 50000]
    .venv/bin/python scripts/bench_scale.py --write-ledger ledger.xlsx --import-rows 200000

Loads the ledger into a scratch PostgreSQL database with COPY (constraints and triggers
on; the database is dropped and made again unless --reuse finds one of the same size),
then times every operation beside its floor (what the database or openpyxl alone needs
for the same work), `--repeats` times each, the floor right after each run, and prints a
table of medians. Every run happens in a child forked from one lean parent, so the peak
RSS of each run is comparable to its floor's; the parent has served the light pages once
for a small office first, as a running server would have. The last line is one JSON object:

    {"rows": N, "offices": M, "ops": {"<name>": {"median_s", "floor_s", "ratio",
                                                 "queries", "peak_rss_mb"}}}

A benchmark, not a test: read the ratios, the machine may be shared. The data: one office
of min(100,000, N/10) applications (the report page's office), the rest spread evenly;
received over 2021–2025; 5% answered in a later year, 1% still open, 5% with a clock stop,
3% with a review, 2% with a lawsuit (each four in five concluded), 1% with a fee; the report year is 2025.
"""

import argparse
import datetime
import gc
import io
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
FIRST_DAY = datetime.date(2021, 1, 1)
DAYS = (datetime.date(YEAR, 12, 31) - FIRST_DAY).days + 1
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"]
NULL = "\\N"  # COPY's text format
OPS = [
    "rollup",
    "district_board",
    "rollup_workbook",
    "admin_list",
    "admin_search",
    "admin_pending",
    "report_page",
    "report_xlsx",
    "home_district",
    "import_50k",
    "export_50k",
]


# --- Database and Django --------------------------------------------------------------


def admin_url(url):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_rows(url):
    """How many applications the scratch database holds (None if it does not exist)."""
    import psycopg2

    try:
        with psycopg2.connect(url) as connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM applications_application a"
                " JOIN applications_organization o ON o.id = a.organization_id"
                " JOIN applications_organization d ON d.id = o.parent_id"
                " WHERE d.short_name = '基准区'"
            )
            return cursor.fetchone()[0]
    except psycopg2.Error:
        return None


def recreate_database(url):
    import psycopg2

    name = urlsplit(url).path.lstrip("/")
    connection = psycopg2.connect(admin_url(url))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Production settings: DEBUG on would keep the SQL of every query in memory.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    import django

    django.setup()
    import logging

    logging.getLogger("gongkai").setLevel(logging.ERROR)  # startup notes, not results


# --- Loading ---------------------------------------------------------------------------


def office_sizes(applications, offices):
    """[size of office 1, …]: the first office is the report page's big one."""
    big = min(100_000, applications // 10)
    rest, extra = divmod(applications - big, offices - 1)
    return [big] + [rest + (1 if index < extra else 0) for index in range(offices - 1)]


class Loader:
    """Generates the ledger row by row and writes it with COPY."""

    def __init__(self, cursor, calendar):
        from applications.choices import ApplicantType, Outcome
        from applications.deadlines import compute_deadline

        self.cursor = cursor
        self.calendar = calendar
        self.compute_deadline = compute_deadline
        self.outcomes = list(Outcome.values)
        self.types = list(ApplicantType.values)
        self.rng = random.Random(2025)
        self.due_cache = {}
        self.application_id = 0
        self.buffers = {name: io.StringIO() for name in ("applications", "stops", "cases")}
        self.reviews, self.lawsuits = io.StringIO(), io.StringIO()
        self.now = datetime.datetime.now(datetime.UTC).isoformat()

    def due(self, received, extended, stop):
        if stop is None:
            key = (received, extended)
            if key not in self.due_cache:
                self.due_cache[key] = self.compute_deadline(
                    received, None, extended, (), self.calendar
                ).due_on
            return self.due_cache[key]
        return self.compute_deadline(received, None, extended, [stop], self.calendar).due_on

    def add_office(self, office_id, short_name, size):
        rng = self.rng
        for index in range(size):
            self.application_id += 1
            pk = self.application_id
            received = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
            draw = rng.random()
            if draw < 0.01:
                answered = None
            elif draw < 0.06:
                answered = datetime.date(received.year + 1, 1, 1) + datetime.timedelta(
                    days=rng.randrange(60)
                )
            else:
                answered = min(
                    received + datetime.timedelta(days=rng.randrange(1, 30)),
                    datetime.date(received.year, 12, 31),
                )
                answered = max(answered, received)
            extended = rng.random() < 0.05
            stop = None
            if rng.random() < 0.05:
                stop = StopFacts(
                    received + datetime.timedelta(days=3),
                    received + datetime.timedelta(days=12) if answered else None,
                )
                self.buffers["stops"].write(
                    f"{pk}\tthird_party_opinion\t{stop.started_on}\t{stop.ended_on or NULL}\t\n"
                )
            due = self.due(received, extended, stop)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            outcome = rng.choice(self.outcomes) if answered else ""
            fee = f"{rng.randrange(1, 500)}.00" if answered and rng.random() < 0.01 else "\\N"
            self.buffers["applications"].write(
                "\t".join(
                    [
                        str(pk),
                        str(office_id),
                        f"{short_name}〔{received.year}〕{index + 1}号",
                        str(received),
                        "online",
                        rng.choice(self.types),
                        name,
                        f"4103{pk:014d}",
                        f"138{pk:08d}",
                        "洛阳市洛龙区开元大道",
                        f"申请公开{received.year}年第{pk % 97}号文件及其附件、相关会议纪要",
                        "\\N",
                        "t" if extended else "f",
                        str(answered) if answered else "\\N",
                        outcome,
                        fee,
                        "",
                        str(due) if due else "\\N",
                        "f",
                        self.now,
                        self.now,
                    ]
                )
                + "\n"
            )
            self.add_cases(pk, answered or received, rng)
            if pk % 100_000 == 0:
                self.flush()

    def add_cases(self, pk, after, rng):
        draw = rng.random()
        if draw >= 0.03:
            return
        filed = after + datetime.timedelta(days=30)
        concluded = filed + datetime.timedelta(days=60) if draw < 0.025 else None
        result = rng.choice(["upheld", "corrected", "other"]) if concluded else ""
        self.reviews.write(f"{pk}\t{filed}\t{result}\t{concluded or NULL}\t\t区人民政府\n")
        if draw < 0.02:
            sued = filed + datetime.timedelta(days=90)
            after_review = "t" if draw < 0.01 else "f"
            if draw < 0.016:  # four in five lawsuits concluded, like the reviews
                judged = sued + datetime.timedelta(days=120)
                verdict = rng.choice(["upheld", "corrected", "other"])
            else:
                judged, verdict = NULL, ""
            self.lawsuits.write(
                f"{pk}\t{sued}\t{verdict}\t{judged}\t\t{after_review}\t区人民法院\n"
            )

    def flush(self):
        columns = {
            "applications": (
                "applications_application",
                "id, organization_id, number, received_on, channel, applicant_type, "
                "applicant_name, applicant_id_number, applicant_phone, applicant_address, "
                "content, correction_received_on, extended, answered_on, outcome, fee_yuan, "
                "notes, due_on, due_is_provisional, created_at, updated_at",
            ),
            "stops": (
                "applications_clockstop",
                "application_id, kind, started_on, ended_on, notes",
            ),
        }
        for key, (table, names) in columns.items():
            self.copy(self.buffers[key], table, names)
            self.buffers[key] = io.StringIO()

    def flush_cases(self):
        self.copy(
            self.reviews,
            "applications_administrativereview",
            "application_id, filed_on, result, concluded_on, notes, review_body",
        )
        self.copy(
            self.lawsuits,
            "applications_lawsuit",
            "application_id, filed_on, result, concluded_on, notes, after_review, court",
        )

    def copy(self, buffer, table, columns):
        buffer.seek(0)
        self.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


class StopFacts:
    kind = "third_party_opinion"

    def __init__(self, started_on, ended_on):
        self.started_on, self.ended_on = started_on, ended_on


def load(applications, offices):
    """Migrate the scratch database and COPY the ledger into it; returns seconds taken."""
    from django.core.management import call_command
    from django.db import connection

    from applications.models import Organization
    from workdays.calendar import WorkdayCalendar

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    district = Organization.objects.create(
        name="基准市基准区人民政府", short_name="基准区", kind="county"
    )
    sizes = office_sizes(applications, offices)
    Organization.objects.bulk_create(
        Organization(
            name=f"基准区第{number}街道办事处", short_name=f"基准{number}", parent=district
        )
        for number in range(1, offices + 1)
    )
    office_ids = list(
        Organization.objects.filter(parent=district).order_by("pk").values_list("pk", "short_name")
    )
    calendar = WorkdayCalendar()
    calendar.load_years(2021, YEAR + 2)
    with connection.cursor() as wrapper:
        loader = Loader(wrapper.cursor, calendar)
        for (office_id, short_name), size in zip(office_ids, sizes, strict=True):
            loader.add_office(office_id, short_name, size)
        loader.flush()
        loader.flush_cases()
        wrapper.execute(
            "SELECT setval(pg_get_serial_sequence('applications_application', 'id'), %s)",
            [loader.application_id],
        )
    make_users(district, office_ids[0][0])
    connection.close()
    vacuum_analyze()
    return time.perf_counter() - started


def vacuum_analyze():
    from django.db import connection

    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def make_users(district, big_office_id):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.roles import DISTRICT, OFFICIAL

    users = get_user_model()
    users.objects.create_superuser("bench_admin", password="x")
    district_user = users.objects.create_user("bench_district", organization=district)
    district_user.groups.add(Group.objects.get(name=DISTRICT))
    official = users.objects.create_user("bench_official", organization_id=big_office_id)
    official.groups.add(Group.objects.get(name=OFFICIAL))


# --- Measuring -------------------------------------------------------------------------


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(function, keep_sql=False):
    """Run function() in a forked child; returns its seconds, queries, peak RSS MB, value
    (and, with keep_sql, the SQL it ran)."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    # The parent's objects are left out of the child's garbage collections: walking them
    # would copy every page of the parent into the child, which a running server never does.
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        outcome = {}
        try:
            outcome = run_measured(function, keep_sql)
        except BaseException as error:  # reported to the parent, which stops the run
            outcome = {"error": f"{type(error).__name__}: {error}"}
        finally:
            with os.fdopen(write, "w") as pipe:
                pipe.write(json.dumps(outcome, default=str))
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    outcome = json.loads(data or '{"error": "child died"}')
    if "error" in outcome:
        raise RuntimeError(outcome["error"])
    return outcome


def run_measured(function, keep_sql=False):
    from django.db import connection

    queries = []
    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        if keep_sql:  # only when asked: an import's batches would weigh on the RSS measured
            queries.append((sql, params))
        return execute(sql, params, many, context)

    connection.ensure_connection()
    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        value = function()
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "queries": count,
        "rss": peak_rss_mb(),
        "value": value,
        "sql": queries,
    }


class Bench:
    def __init__(self, repeats):
        self.repeats = repeats
        self.results = {}

    def measure(self, name, operation, floor=None, absolute=None):
        """Time operation (and floor right after it) `repeats` times in fresh children."""
        runs, floors = [], []
        for _ in range(self.repeats):
            runs.append(in_child(operation))
            if floor is not None:
                floors.append(in_child(floor))
        median = statistics.median(run["seconds"] for run in runs)
        floor_s = statistics.median(run["seconds"] for run in floors) if floors else None
        result = {
            "median_s": round(median, 4),
            "floor_s": round(floor_s, 4) if floors else None,
            "ratio": round(median / floor_s, 2) if floors and floor_s else None,
            "queries": runs[0]["queries"],
            "peak_rss_mb": round(max(run["rss"] for run in runs), 1),
            "floor_rss_mb": round(max(run["rss"] for run in floors), 1) if floors else None,
            "target": absolute,
        }
        self.results[name] = result
        print(self.line(name, result), flush=True)
        return runs

    @staticmethod
    def line(name, result):
        floor = f"{result['floor_s']:.3f}" if result["floor_s"] is not None else "—"
        ratio = f"{result['ratio']:.2f}×" if result["ratio"] is not None else "—"
        floor_rss = f"{result['floor_rss_mb']:.0f}" if result["floor_rss_mb"] else "—"
        return (
            f"| {name:<16} | {result['median_s']:>8.3f} | {floor:>8} | {ratio:>7} | "
            f"{result['queries']:>7} | {result['peak_rss_mb']:>6.0f} | {floor_rss:>6} | "
            f"{result['target'] or ''}"
        )


HEADER = (
    "| operation        | median s |  floor s |   ratio | queries | RSS MB | floor RSS | target\n"
    "|---|---|---|---|---|---|---|---|"
)


CLIENTS = {}


def client_for(username):
    """One signed-in test client per user, kept: a new client would load the middleware
    again (WhiteNoise lists every static file), which a running server does once."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    if username not in CLIENTS:
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=username))
        CLIENTS[username] = client
    return CLIENTS[username]


def get(username, url):
    def operation():
        response = client_for(username).get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return len(response.content)

    return operation


def page_sql_floor(runs, table="applications_application"):
    """The page's own listing query (its LIMIT), run raw: what the page cannot do without."""
    return [
        (sql, params)
        for sql, params in runs[0]["sql"]
        if f'FROM "{table}"' in sql and "LIMIT" in sql.upper()
    ]


def raw(sql_list):
    def operation():
        from django.db import connection

        with connection.cursor() as cursor:
            for sql, params in sql_list:
                cursor.execute(sql, params)
                cursor.fetchall()

    return operation


# --- The operations --------------------------------------------------------------------


def district_and_offices():
    from applications.models import Organization

    district = Organization.objects.get(short_name="基准区")
    return district, list(Organization.objects.filter(parent=district).order_by("name"))


def big_office_id():
    from applications.models import Organization

    return Organization.objects.get(short_name="基准1").pk


def rollup_op():
    from reports.figures import district as districts

    district, offices = district_and_offices()
    result = districts.rollup(district, YEAR, offices)
    return len(result.rows)


def rollup_floor():
    from django.db import connection

    from applications.models import Organization

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT organization_id, outcome, applicant_type, count(*)
               FROM applications_application
               WHERE organization_id IN (SELECT id FROM applications_organization
                                         WHERE parent_id = %s)
                 AND received_on <= %s AND (answered_on IS NULL OR answered_on >= %s)
               GROUP BY organization_id, outcome, applicant_type""",
            [
                Organization.objects.get(short_name="基准区").pk,
                datetime.date(YEAR, 12, 31),
                datetime.date(YEAR, 1, 1),
            ],
        )
        return len(cursor.fetchall())


def rollup_workbook_op():
    from reports.figures import district as districts

    district, offices = district_and_offices()
    return len(districts.rollup_workbook(districts.rollup(district, YEAR, offices)))


def rollup_workbook_floor():
    """openpyxl write-only of the same cells: the summed report and every office's."""
    from openpyxl import Workbook

    from reports.figures import district as districts

    district, offices = district_and_offices()
    result = districts.rollup(district, YEAR, offices)
    workbook = Workbook(write_only=True)
    for index, report in enumerate([result.report, *(row.report for row in result.rows)]):
        sheet = workbook.create_sheet(f"表{index}")
        for table in (report.table_two, report.table_three, report.table_four):
            for code, columns in table.values.items():
                sheet.append([code, *(str(value) for value in columns.values())])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return len(buffer.getvalue())


def report_floor():
    from reports.figures.tables import annual_report

    annual_report([big_office_id()], YEAR)


def import_workbook(path, rows):
    """A ledger of `rows` applications in the official layout (a review every 25th)."""
    from openpyxl import Workbook

    from applications.choices import ApplicantType, Outcome
    from applications.ledger import APPLICATION_SHEET, LAWSUIT_SHEET, REVIEW_SHEET

    rng = random.Random(50)
    types, outcomes = list(ApplicantType.labels), list(Outcome.values)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(APPLICATION_SHEET.title)
    sheet.append([column.header for column in APPLICATION_SHEET.columns if not column.computed])
    reviews = []
    for index in range(1, rows + 1):
        received = FIRST_DAY + datetime.timedelta(days=index * (DAYS - 60) // rows)
        answered = received + datetime.timedelta(days=rng.randint(1, 40)) if index % 10 else None
        number = f"导入街道〔{received.year}〕{index}号"
        sheet.append(
            [
                number,
                received,
                rng.choice(types),
                rng.choice(SURNAMES) + rng.choice(GIVEN),
                f"申请公开{received.year}年第{index % 97}号文件及其附件",
                answered,
                rng.choice(outcomes) if answered else None,
                None,
                "否",
                None,
                None,
                "网络",
                None,
                f"138{index:08d}",
                "洛阳市洛龙区",
                None,
                "",
            ]
        )
        if index % 25 == 0 and answered:
            filed = answered + datetime.timedelta(days=30)
            reviews.append(
                [number, filed, "维持", filed + datetime.timedelta(days=50), "区政府", ""]
            )
    review_sheet = workbook.create_sheet(REVIEW_SHEET.title)
    review_sheet.append([column.header for column in REVIEW_SHEET.columns])
    for row in reviews:
        review_sheet.append(row)
    lawsuit_sheet = workbook.create_sheet(LAWSUIT_SHEET.title)
    lawsuit_sheet.append([column.header for column in LAWSUIT_SHEET.columns])
    workbook.save(path)


class ImportRuns:
    """Each import goes into a fresh office, so every run does the same work."""

    def __init__(self, path):
        self.path = path
        self.count = 0

    def __call__(self):
        from django.core.management import call_command

        self.count += 1
        name = f"导入基准街道{os.getpid()}"
        call_command("import_ledger", str(self.path), org=name, create_org=True, verbosity=0)
        return name


def bare_read(path):
    def operation():
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        rows = 0
        for sheet in workbook.worksheets:
            for _row in sheet.iter_rows(values_only=True):
                rows += 1
        workbook.close()
        return rows

    return operation


def export_op(office_name, path):
    def operation():
        from django.core.management import call_command

        call_command("export_ledger", org=office_name, output=str(path), stdout=io.StringIO())

    return operation


def export_floor(office_name, path):
    """psycopg2 + openpyxl write-only: the office's rows, as they are, into one sheet."""

    def operation():
        from django.db import connection
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("申请")
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT a.number, a.received_on, a.applicant_type, a.applicant_name,
                          a.content, a.answered_on, a.outcome, a.correction_received_on,
                          a.extended, a.channel, a.applicant_id_number, a.applicant_phone,
                          a.applicant_address, a.fee_yuan, a.notes, a.due_on
                   FROM applications_application a JOIN applications_organization o
                     ON o.id = a.organization_id WHERE o.name = %s
                   ORDER BY a.received_on, a.id""",
                [office_name],
            )
            for row in cursor:
                sheet.append(list(row))
        workbook.save(path)

    return operation


def warm_up(small_office_id):
    """Serve the light pages once in the parent, on a small office, as a running server
    would have: the children forked from it then time the work, not first-request costs
    (imports, URL resolver, template compiling)."""
    admin = "/admin/applications/application/"
    for username, url in [
        ("bench_admin", admin + "?q=预热"),
        ("bench_district", "/"),
        ("bench_district", f"/reports/{small_office_id}/{YEAR}/"),
        ("bench_district", f"/reports/{small_office_id}/{YEAR}/workbook.xlsx"),
    ]:
        client_for(username).get(url, secure=True)


def run_all(bench, only, workdir, import_rows=50_000):
    from reports.views import district_board  # noqa: F401  (imports settle before forking)

    district, offices = district_and_offices()
    district_id, office_id = district.pk, big_office_id()
    wanted = set(only or OPS)
    warm_up(offices[-1].pk)
    if "rollup" in wanted:
        bench.measure("rollup", rollup_op, rollup_floor, "≤ 2×, ≤ 150 MB")
    if "district_board" in wanted:
        bench.measure(
            "district_board",
            get("bench_district", f"/reports/district/{district_id}/{YEAR}/"),
            rollup_op,
            "≤ 2 s",
        )
    if "rollup_workbook" in wanted:
        bench.measure("rollup_workbook", rollup_workbook_op, rollup_workbook_floor, "≤ 10 s")
    admin = "/admin/applications/application/"
    for name, url, target in [
        ("admin_list", admin, "≤ 0.3 s"),
        ("admin_search", admin + "?q=王伟", "≤ 0.5 s"),
        ("admin_pending", admin + "?status=pending", "≤ 2×"),
    ]:
        if name in wanted:
            probe = in_child(get("bench_admin", url), keep_sql=True)
            bench.measure(name, get("bench_admin", url), raw(page_sql_floor([probe])), target)
    if "report_page" in wanted:
        bench.measure(
            "report_page",
            get("bench_official", f"/reports/{office_id}/{YEAR}/"),
            report_floor,
            "≤ 0.5 s",
        )
    if "report_xlsx" in wanted:
        bench.measure(
            "report_xlsx",
            get("bench_official", f"/reports/{office_id}/{YEAR}/workbook.xlsx"),
            report_floor,
            "≤ 2×",
        )
    if "home_district" in wanted:
        bench.measure("home_district", get("bench_district", "/"), None, "≤ 0.2 s")
    ledger = Path(workdir) / "ledger.xlsx"
    if wanted & {"import_50k", "export_50k"}:
        in_child(lambda: import_workbook(ledger, import_rows))
    if "import_50k" in wanted:
        bench.measure("import_50k", ImportRuns(ledger), bare_read(ledger), "≤ 2×, ≤ 1.5× RSS")
    if "export_50k" in wanted:
        exported = in_child(ImportRuns(ledger))["value"]
        output = Path(workdir) / "export.xlsx"
        bench.measure(
            "export_50k", export_op(exported, output), export_floor(exported, output), "≤ 1.3×"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/gongkai_bench")
    parser.add_argument("--reuse", action="store_true", help="keep a loaded database of this size")
    parser.add_argument("--only", help="comma-separated operation names: " + ", ".join(OPS))
    parser.add_argument(
        "--import-rows", type=int, default=50_000, help="rows of import_50k and export_50k"
    )
    parser.add_argument("--write-ledger", metavar="PATH", help="only write a ledger workbook")
    options = parser.parse_args()
    if options.write_ledger:
        setup_django(options.database)
        import_workbook(Path(options.write_ledger), options.import_rows)
        return
    only = [name.strip() for name in options.only.split(",")] if options.only else None
    unknown = set(only or ()) - set(OPS)
    if unknown:
        parser.error("unknown operations: " + ", ".join(sorted(unknown)))
    if options.offices < 2 or options.applications < options.offices * 10:
        parser.error("need at least 2 offices and 10 applications per office")

    reuse = options.reuse and database_rows(options.database) == options.applications
    if not reuse:
        recreate_database(options.database)
    setup_django(options.database)
    if not reuse:
        # In a child, so that the parent each run is forked from stays lean.
        seconds = in_child(lambda: load(options.applications, options.offices))["value"]
        print(
            f"loaded {options.applications:,} applications in {options.offices:,} offices "
            f"with COPY in {seconds:.1f} s",
            flush=True,
        )
    bench = Bench(options.repeats)
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as workdir:
        run_all(bench, only, workdir, options.import_rows)
    summary = {
        "rows": options.applications,
        "offices": options.offices,
        "ops": {
            name: {
                key: result[key]
                for key in ("median_s", "floor_s", "ratio", "queries", "peak_rss_mb")
            }
            for name, result in bench.results.items()
        },
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
