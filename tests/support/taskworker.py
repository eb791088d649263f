"""A real task worker in its own process, on a scratch database of its own.

The test process cannot share its test database with another process (SQLite's is in
memory), so these helpers migrate a scratch database (an SQLite file, or a PostgreSQL
database named after the test one) and drive manage.py in child processes.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


class Scratch:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.env = {**os.environ, "DEBUG": "1", "MEDIA_ROOT": str(self.folder / "media")}
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        url = os.environ.get("DATABASE_URL")
        if url:
            parts = urlsplit(url)
            self.pg_name = f"{parts.path.lstrip('/')}_worker"
            self.pg_admin = urlunsplit(parts._replace(path="/postgres"))
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.pg_name}"))
            self.recreate_postgres()
        else:
            self.pg_name = None
            self.sqlite = self.folder / "worker.sqlite3"
            self.env["SQLITE_PATH"] = str(self.sqlite)

    def recreate_postgres(self):
        import psycopg2

        connection = psycopg2.connect(self.pg_admin)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{self.pg_name}"')
        connection.close()

    def drop(self):
        if self.pg_name:
            import psycopg2

            connection = psycopg2.connect(self.pg_admin)
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            connection.close()

    def manage(self, *args, timeout=600):
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        ).stdout

    def shell(self, code):
        """The last line the code printed (the shell prints its own lines first)."""
        return self.manage("shell", "-c", code).strip().splitlines()[-1]

    def worker(self):
        return subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "db_worker",
                "--no-reload",
                "--interval",
                "0.1",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def query(self, sql):
        """One value from the scratch database, read from outside Django."""
        if self.pg_name:
            import psycopg2

            connection = psycopg2.connect(self.env["DATABASE_URL"])
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                    return cursor.fetchone()[0]
            finally:
                connection.close()
        connection = sqlite3.connect(self.sqlite, timeout=30)
        try:
            return connection.execute(sql).fetchone()[0]
        finally:
            connection.close()

    def writing(self, job_id):
        """Whether the import's write transaction is open (rows written, not yet committed)."""
        if self.pg_name:
            return self.query(f"SELECT rows_written FROM jobs_job WHERE id = '{job_id}'") > 0
        stage = self.query(f"SELECT stage FROM jobs_job WHERE id = '{job_id}'")
        return "正在核对" in stage and Path(f"{self.sqlite}-journal").exists()


QUEUE_IMPORT = """
import datetime
from openpyxl import Workbook
from accounts.models import User
from applications.jobs import start_import, upload_path
from applications.models import Organization
from jobs.models import Job
office = Organization.objects.create(name="学府街道办事处", short_name="学府街道")
user = User.objects.create_superuser("clerk", "", "pw-for-tests-only-1", organization=office)
preview = Job.objects.create(kind=Job.Kind.LEDGER_PREVIEW, user=user, organization=office,
    filename="台账.xlsx", status=Job.Status.SUCCEEDED)
path = upload_path(preview.pk)
path.parent.mkdir(parents=True, exist_ok=True)
book = Workbook(write_only=True)
sheet = book.create_sheet("申请登记")
sheet.append(["申请编号", "收到日期", "申请人类型", "申请人", "申请内容"])
for n in range(1, {rows} + 1):
    sheet.append([f"学府街道〔2021〕{{n}}号", datetime.date(2021, 3, 1), "自然人", f"申请人{{n}}", "申请公开老旧小区改造项目清单"])
book.save(path)
print(start_import(preview, user).pk)
"""
