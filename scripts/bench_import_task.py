#!/usr/bin/env python
"""Benchmark: a large ledger import as a background task, the way a clerk runs it.

    .venv/bin/python scripts/bench_import_task.py [--rows 200000]

Uses a throw-away SQLite database in a temporary folder (or DATABASE_URL if set, which
must then be an empty scratch database) and production settings (DEBUG=0). Prints how
long the web requests that queue the check and the import take, and for each of the two
worker runs (`manage.py db_worker --batch`) its time and its peak resident memory (the
kernel's own figure for that process, from wait4), and what was written.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_worker():
    """Run the task worker until the queue is empty; (seconds, peak RSS in MB)."""
    started = time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--interval", "0.2"],
        cwd=ROOT,
    )
    _, status, usage = os.wait4(worker.pid, 0)
    worker.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def setup_django(database_dir):
    """Production settings (DEBUG=0) on a throw-away SQLite file, unless DATABASE_URL is set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(database_dir) / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "台账.xlsx"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts/bench_scale.py"),
                "--write-ledger",
                str(path),
                "--import-rows",
                str(args.rows),
            ],
            check=True,
        )
        print(
            f"生成 {args.rows} 行台账：{time.perf_counter() - started:.1f} 秒，文件 {path.stat().st_size / 1024 / 1024:.1f} MB"
        )
        os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")
        os.environ.setdefault("ALLOWED_HOSTS", "localhost,testserver")
        setup_django(folder)
        from django.test import Client
        from django.urls import reverse

        from accounts.models import User
        from applications.models import AdministrativeReview, Application, Organization
        from jobs.models import Job

        organization = Organization.objects.create(name="基准街道办事处", short_name="基准街道")
        user = User.objects.create_superuser("bench", "", "bench-only-password-1")
        user.organization = organization
        user.save()
        client = Client()
        client.force_login(user)
        from django.core.signals import request_finished, request_started

        server = {}
        request_started.connect(
            lambda **kw: server.__setitem__("start", time.perf_counter()), weak=False
        )
        request_finished.connect(
            lambda **kw: server.__setitem__("end", time.perf_counter()), weak=False
        )

        with open(path, "rb") as handle:
            started = time.perf_counter()
            response = client.post(
                reverse("admin:applications_application_ledger_import"),
                {"organization": organization.pk, "file": handle},
                secure=True,
            )
            elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        preview = Job.objects.get(kind=Job.Kind.LEDGER_PREVIEW)
        print(
            f"上传并排队核对的网页请求：服务器处理 {server['end'] - server['start']:.2f} 秒，"
            f"含测试客户端编码上传内容共 {elapsed:.2f} 秒（HTTP {response.status_code}）"
        )

        seconds, rss = run_worker()
        preview.refresh_from_db()
        print(
            f"后台核对：{seconds:.1f} 秒，处理进程峰值内存 {rss:.0f} MB；{preview.get_status_display()}，"
            f"已读取 {preview.rows_read}，已核对 {preview.rows_checked}；{preview.summary}"
        )
        assert preview.ok, preview.errors[:5]

        started = time.perf_counter()
        response = client.post(
            reverse("admin:applications_application_ledger_import_confirm"),
            {"token": preview.pk.hex},
            secure=True,
        )
        elapsed = time.perf_counter() - started
        print(
            f"确认导入并排队的网页请求：服务器处理 {server['end'] - server['start']:.2f} 秒，"
            f"共 {elapsed:.2f} 秒（HTTP {response.status_code}）"
        )

        seconds, rss = run_worker()
        job = Job.objects.get(kind=Job.Kind.LEDGER_IMPORT)
        print(
            f"后台导入：{seconds:.1f} 秒，处理进程峰值内存 {rss:.0f} MB；{job.get_status_display()}，"
            f"已写入 {job.rows_written}；申请 {Application.objects.count()} 件，"
            f"行政复议 {AdministrativeReview.objects.count()} 件"
        )


if __name__ == "__main__":
    main()
