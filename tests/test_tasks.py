"""Background work: the job page and its progress, dead workers, and a real worker killed."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications.jobs import UPLOAD_DIR, remove_stale_uploads, upload_path
from jobs import runner
from jobs.models import DEAD_WORKER, UNEXPECTED, Job
from jobs.outputs import output_path

from .support.taskworker import QUEUE_IMPORT, Scratch


@pytest.fixture
def clerk(db, office, django_user_model):
    user = django_user_model.objects.create_user(
        "clerk", password="pw-for-tests-only-1", is_staff=True, organization=office
    )
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_application", "change_application", "view_application"]
        )
    )
    return user


def running_job(user, office, **fields):
    values = {
        "kind": Job.Kind.LEDGER_IMPORT,
        "user": user,
        "organization": office,
        "filename": "台账.xlsx",
        "status": Job.Status.RUNNING,
        "started_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "rows_total": 200,
        "rows_read": 200,
        "rows_checked": 200,
        "rows_written": 50,
        "stage": "已写入申请 50/200 件",
    }
    values.update(fields)
    return Job.objects.create(**values)


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def page(job):
    return reverse("admin:applications_application_ledger_job", args=[job.pk])


def status(job):
    return reverse("admin:applications_application_ledger_job_status", args=[job.pk])


def test_the_job_page_shows_rows_read_checked_and_written_as_progress_bars(client, clerk, office):
    client.force_login(clerk)
    job = running_job(clerk, office)

    text = client.get(page(job)).content.decode()

    assert '<progress id="job-read" max="200" value="200">' in text
    assert '<progress id="job-checked" max="200" value="200">' in text
    assert '<progress id="job-written" max="200" value="50">' in text
    assert "已写入申请 50/200 件" in text
    assert "可以离开这个页面" in text


def test_the_progress_bar_script_is_a_static_file_and_no_script_is_inline(client, clerk, office):
    client.force_login(clerk)
    text = client.get(page(running_job(clerk, office))).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", text)
    assert any("js/job-progress.js" in tag for tag in scripts)
    assert all("src=" in tag for tag in scripts)
    assert f'data-status-url="{status(Job.objects.get())}"' in text


def test_the_status_url_returns_the_counts_for_the_progress_bar(client, clerk, office):
    client.force_login(clerk)
    job = running_job(clerk, office)

    state = client.get(status(job)).json()

    assert state == {
        "status": "running",
        "status_label": "处理中",
        "finished": False,
        "stage": "已写入申请 50/200 件",
        "total": 200,
        "read": 200,
        "checked": 200,
        "written": 50,
    }


def test_a_job_whose_worker_process_died_is_failed_with_a_reason_in_chinese(client, clerk, office):
    client.force_login(clerk)
    job = running_job(clerk, office, worker=f"{socket.gethostname()}:{dead_pid()}")

    state = client.get(status(job)).json()
    text = client.get(page(job)).content.decode()

    assert (state["status"], state["finished"]) == ("failed", True)
    assert DEAD_WORKER in text and "没有导入任何数据" in text


def test_a_job_on_another_machine_silent_for_five_minutes_is_failed(client, clerk, office):
    client.force_login(clerk)
    old = timezone.now() - timedelta(minutes=6)
    quiet = running_job(clerk, office, worker="other-host:1", heartbeat_at=old)
    alive = running_job(clerk, office, worker="other-host:2", heartbeat_at=timezone.now())

    assert client.get(status(quiet)).json()["status"] == "failed"
    assert client.get(status(alive)).json()["status"] == "running"


def test_a_running_job_on_this_machine_is_not_failed_while_its_worker_lives(client, clerk, office):
    client.force_login(clerk)
    old = timezone.now() - timedelta(hours=1)
    job = running_job(clerk, office, heartbeat_at=old)  # its worker is this test process

    assert client.get(status(job)).json()["status"] == "running"


def test_another_users_job_is_not_found(client, clerk, office, django_user_model):
    other = django_user_model.objects.create_user("other", password="pw-for-tests-only-1")
    client.force_login(clerk)

    job = running_job(other, office)

    assert client.get(page(job)).status_code == 404
    assert client.get(status(job)).status_code == 404


def test_results_are_kept_and_listed_on_the_import_page(client, clerk, office):
    client.force_login(clerk)
    running_job(
        clerk,
        office,
        status=Job.Status.FAILED,
        errors=[{"message": "必填，不能为空。", "sheet": "申请登记", "row": 3}],
        filename="坏台账.xlsx",
    )
    running_job(clerk, office, status=Job.Status.SUCCEEDED, summary="申请登记：新增 5")

    text = client.get(reverse("admin:applications_application_ledger_import")).content.decode()

    assert "最近的导入" in text
    assert "坏台账.xlsx" in text and "1 个错误，没有写入" in text
    assert "申请登记：新增 5" in text


def test_an_abandoned_upload_is_removed_after_a_day(clerk, office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fresh, stale = upload_path(running_job(clerk, office).pk), tmp_path / UPLOAD_DIR / "old.xlsx"
    fresh.parent.mkdir(parents=True)
    fresh.write_bytes(b"x")
    stale.write_bytes(b"x")
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))

    call_command("purge_uploads")

    assert fresh.exists() and not stale.exists()
    assert remove_stale_uploads() == 0


# A real worker in its own process ---------------------------------------------------------


@pytest.fixture
def scratch(tmp_path):
    scratch = Scratch(tmp_path)
    scratch.manage("migrate", "--noinput")
    yield scratch
    scratch.drop()


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_worker_imports_a_queued_ledger(scratch):
    job_id = scratch.shell(QUEUE_IMPORT.format(rows=300))
    key = job_id if scratch.pg_name else job_id.replace("-", "")
    worker = scratch.worker()
    try:
        assert wait_for(
            lambda: scratch.query(f"SELECT status FROM jobs_job WHERE id = '{key}'") == "succeeded",
            120,
        )
    finally:
        worker.terminate()
        worker.wait(30)
    assert scratch.query("SELECT COUNT(*) FROM applications_application") == 300


def test_killing_the_worker_while_it_writes_leaves_no_row_and_a_failed_job(scratch):
    job_id = scratch.shell(QUEUE_IMPORT.format(rows=20_000))
    key = job_id if scratch.pg_name else job_id.replace("-", "")
    worker = scratch.worker()
    try:
        assert wait_for(lambda: scratch.writing(key), 300), "the import never started writing"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(30)

    assert scratch.query("SELECT COUNT(*) FROM applications_application") == 0
    assert scratch.query("SELECT COUNT(*) FROM applications_historicalapplication") == 0
    assert scratch.query(f"SELECT status FROM jobs_job WHERE id = '{key}'") == "running"
    shown = scratch.shell(
        "from jobs.models import Job\n"
        f"job = Job.objects.get(pk='{job_id}')\n"
        "job.fail_if_dead()\n"
        "print(job.status, job.errors[0]['message'])"
    )
    assert shown == f"failed {DEAD_WORKER}"


def test_a_handler_that_fails_unexpectedly_marks_its_job_failed_with_a_reason_in_chinese(
    client, clerk, office
):
    client.force_login(clerk)
    # A damaged parameter (a year that is not a number) makes the export's handler raise.
    job = Job.objects.create(
        kind=Job.Kind.LEDGER_EXPORT, user=clerk, organization=office, params={"year": "二〇二一"}
    )

    runner.run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.errors) == (
        Job.Status.FAILED,
        [{"message": UNEXPECTED.format(id=job.pk)}],
    )
    page = client.get(reverse("admin:applications_application_ledger_export_job", args=[job.pk]))
    assert (
        f"处理时发生意外错误，已全部撤销，没有写入任何数据。请把任务编号 {job.pk} 告诉系统管理员。"
        in (page.content.decode())
    )
    assert not output_path(job.pk).exists()
