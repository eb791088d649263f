"""The district intake as a background job: the upload answers at once with its progress
page, the worker reads and checks the workbook in stages, its result is the preview the
district confirms in, and no uploaded file is left behind after any outcome."""

import datetime
import os
import socket
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jobs.models import DEAD_WORKER, Job
from lib.uploads import INTAKE_LIMITS
from reports import intake
from reports.intake.jobs import UPLOAD_DIR, upload_path
from reports.models import SubmittedReport
from tests.support.district_ledger import (
    district_user,
    landed,
    post_intake,
    sample_report,
    upload,
)
from tests.support.intake_workbooks import dense_figures, office_workbook


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def queued_only(settings):
    """Tasks are queued and not run, as with a worker that has not picked them up yet."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def uploads(media):
    folder = media / UPLOAD_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def job_url(district, job, name="reports:intake_job"):
    return reverse(name, args=[district.pk, job.params["year"], job.pk])


def intake_job(user, office, district, **fields):
    values = {
        "kind": Job.Kind.DISTRICT_INTAKE,
        "user": user,
        "organization": office,
        "filename": "安乐镇2021年报.xlsx",
        "params": {"district": district.pk, "year": 2021},
        "status": Job.Status.RUNNING,
        "started_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "stage": "核对表格",
    }
    values.update(fields)
    return Job.objects.create(**values)


def test_an_upload_is_stored_and_queued_and_answered_with_its_progress_page_within_a_second(
    queued_only, district_client, district, intake_office, media
):
    content = dense_figures(700, INTAKE_LIMITS.max_columns)  # at the intake's bounds
    started = time.monotonic()
    response = district_client.post(
        reverse("reports:intake", args=[district.pk, 2021]),
        {"organization": intake_office.pk, "workbook": upload(content)},
    )
    assert time.monotonic() - started < 1
    job = Job.objects.get()
    assert (job.kind, job.status, job.organization) == (
        Job.Kind.DISTRICT_INTAKE,
        Job.Status.QUEUED,
        intake_office,
    )
    assert response["Location"] == job_url(district, job)
    assert upload_path(job.pk).read_bytes() == content
    page = district_client.get(response["Location"]).content.decode()
    assert f'data-status-url="{job_url(district, job, "reports:intake_job_status")}"' in page
    assert "js/job-progress.js" in page and "可以离开" in page
    assert not SubmittedReport.objects.exists()


def test_the_status_url_returns_the_stage_for_the_progress_page(
    district_client, district_admin, district, intake_office
):
    job = intake_job(district_admin, intake_office, district)
    state = district_client.get(job_url(district, job, "reports:intake_job_status")).json()
    assert (state["status_label"], state["stage"], state["finished"]) == (
        "处理中",
        "核对表格",
        False,
    )


def test_the_worker_reads_the_workbook_in_stages_named_in_chinese(intake_office):
    stages = []
    text = "二、依申请公开情况。全年共收到政府信息公开申请21件。"
    intake.preview(
        intake_office,
        2021,
        office_workbook(sample_report(), fee_text=text),
        progress=lambda stage, **counts: stages.append(stage),
    )
    assert stages == ["读取工作簿", "核对表格", "核对文字"]


def test_a_clean_workbook_becomes_the_pending_preview_and_its_upload_is_removed(
    district_client, district, intake_office, media
):
    response = post_intake(
        district_client, district, intake_office, office_workbook(sample_report())
    )
    pending = SubmittedReport.objects.get()
    job = Job.objects.get()
    assert (job.status, job.result, job.summary) == (
        Job.Status.SUCCEEDED,
        {"submission": pending.pk},
        "已读取，待接收",
    )
    assert landed(response) == reverse("reports:submission", args=[district.pk, 2021, pending.pk])
    assert uploads(media) == []


def test_a_refused_workbook_keeps_its_preview_with_the_job_and_its_upload_is_removed(
    district_client, district, intake_office, media
):
    report = sample_report()
    report.table_four.values["review"]["total"] += 1
    post_intake(district_client, district, intake_office, office_workbook(report))
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.summary == "共1处必须修改，没有保存"
    page = district_client.get(job_url(district, job)).content.decode()  # kept: come back later
    assert "不能接收" in page and 'data-group="必须修改"' in page
    assert "表四各组总计等于结果维持、结果纠正、其他结果、尚未审结之和" in page
    assert uploads(media) == []
    assert not SubmittedReport.objects.exists()


def test_abandoned_uploads_and_pending_workbooks_are_removed_after_a_day(
    district_admin, district, intake_office, media
):
    yesterday = timezone.now() - datetime.timedelta(hours=25)
    for uploaded_at in (yesterday, timezone.now()):
        SubmittedReport.objects.create(
            organization=intake_office,
            year=2021,
            figures=sample_report().as_json(),
            workbook=b"PK",
            filename=f"{uploaded_at:%H%M%S}.xlsx",
            uploaded_by=district_admin,
            uploaded_at=uploaded_at,
        )
    fresh = SubmittedReport.objects.get(uploaded_at__gt=yesterday)
    stale = upload_path(intake_job(district_admin, intake_office, district).pk)
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"PK")
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))

    call_command("purge_uploads")

    assert list(SubmittedReport.objects.all()) == [fresh]
    assert uploads(media) == []


def test_a_job_page_whose_pending_workbook_was_discarded_says_nothing_was_kept(
    district_client, district, intake_office
):
    response = post_intake(
        district_client, district, intake_office, office_workbook(sample_report())
    )
    district_client.post(landed(response), {"action": "discard"})
    page = district_client.get(job_url(district, Job.objects.get())).content.decode()
    assert "这份待接收的工作簿已经放弃" in page and "没有保存任何数据" in page


def test_a_job_whose_worker_died_says_so_in_chinese(
    district_client, district_admin, district, intake_office
):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    job = intake_job(
        district_admin, intake_office, district, worker=f"{socket.gethostname()}:{child.pid}"
    )
    page = district_client.get(job_url(district, job)).content.decode()
    assert DEAD_WORKER in page and "没有读完" in page


def test_another_users_intake_job_is_not_found(
    client, django_user_model, district, district_admin, intake_office
):
    job = intake_job(district_admin, intake_office, district)
    client.force_login(district_user(django_user_model, district, "another"))
    assert client.get(job_url(district, job)).status_code == 404
    assert client.get(job_url(district, job, "reports:intake_job_status")).status_code == 404


def test_results_are_kept_and_listed_on_the_intake_page(district_client, district, intake_office):
    report = sample_report()
    report.table_four.values["review"]["total"] += 1
    post_intake(district_client, district, intake_office, office_workbook(report), name="错的.xlsx")
    post_intake(district_client, district, intake_office, office_workbook(sample_report()))
    page = district_client.get(reverse("reports:intake", args=[district.pk, 2021]))
    text = page.content.decode()
    assert "最近的上传" in text
    assert "错的.xlsx" in text and "共1处必须修改，没有保存" in text
    assert "已读取，待接收" in text
