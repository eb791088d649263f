"""The ledger's background work: checking an upload (preview), importing it, exporting.

Uploads are kept under MEDIA_ROOT/ledger-imports/<preview job id>.xlsx only while a
successful preview waits for the user's confirmation; they are removed after every other
outcome (refused, imported, failed, cancelled) and, when abandoned, after UPLOAD_MAX_AGE
(remove_stale_uploads runs at every upload and in the worker, and `purge_uploads`).

An export writes its workbook to the job's file (jobs.outputs), which the job's page offers
for download; the office and whether ID numbers and phones are shown in full are decided
when it is requested and kept in the job.
"""

import shutil
from dataclasses import asdict
from pathlib import Path

from django.conf import settings

from accounts.audit import record
from accounts.models import AuditEvent
from jobs.files import enqueue_with_file, remove_older_than
from jobs.models import Job, job_token
from jobs.outputs import finish_with_workbook, remove_old_outputs
from jobs.runner import job_finished
from jobs.tasks import enqueue

from .ledger import Problem
from .ledger_export import (
    export_filename,
    export_ledger,
    ledger_applications,
    ledger_row_count,
)
from .ledger_import import import_ledger
from .masking import can_export_personal_data

UPLOAD_DIR = "ledger-imports"
UPLOAD_MAX_AGE = 24 * 3600


def upload_path(job_id):
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{job_token(job_id)}.xlsx"


def remove_stale_uploads(max_age=UPLOAD_MAX_AGE, folder_name=UPLOAD_DIR):
    """Delete uploads nobody confirmed or cancelled within a day; how many were deleted.
    (`folder_name`: another use's uploads under MEDIA_ROOT, such as the district intake's.)"""
    return remove_older_than(Path(settings.MEDIA_ROOT) / folder_name, max_age)


def start_preview(upload, organization, user):
    """Store an uploaded ledger and queue its check; the Job."""
    remove_stale_uploads()
    job = Job.objects.create(
        kind=Job.Kind.LEDGER_PREVIEW, user=user, organization=organization, filename=upload.name
    )

    def write(path):
        if hasattr(upload, "temporary_file_path"):  # a large upload is already on disk
            shutil.move(upload.temporary_file_path(), path)
        else:
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)

    return enqueue_with_file(job, upload_path(job.pk), write)


def start_import(preview, user):
    """Queue the import of a previewed upload; the Job."""
    job = Job.objects.create(
        kind=Job.Kind.LEDGER_IMPORT,
        user=user,
        organization=preview.organization,
        filename=preview.filename,
        params={"upload": str(preview.pk)},
    )
    Job.objects.filter(pk=preview.pk).update(result={**preview.result, "confirmed": str(job.pk)})
    return enqueue(job)


def cancel_preview(preview):
    upload_path(preview.pk).unlink(missing_ok=True)
    Job.objects.filter(pk=preview.pk).update(result={**preview.result, "cancelled": True})


def awaiting_confirmation(job):
    """A successful preview whose upload is still there and was neither imported nor cancelled."""
    return (
        job.kind == Job.Kind.LEDGER_PREVIEW
        and job.ok
        and not job.result.get("confirmed")
        and not job.result.get("cancelled")
        and upload_path(job.pk).exists()
    )


def problems(items):
    return [asdict(problem) for problem in items]


def as_problems(items):
    return [Problem(**item) for item in items]


def counts(report):
    return {
        "applications": asdict(report.applications),
        "reviews": asdict(report.reviews),
        "lawsuits": asdict(report.lawsuits),
    }


def preview_ledger(job, progress):
    path = upload_path(job.pk)
    report = None
    try:
        report = import_ledger(
            path,
            job.organization,
            user=job.user,
            apply=False,
            progress=progress,
            filename=job.filename,
        )
    finally:
        if report is None or not report.ok:
            path.unlink(missing_ok=True)
    job_finished(
        job,
        errors=problems(report.errors),
        warnings=problems(report.warnings),
        summary=report.summary(),
        result={"counts": counts(report)},
        checked=report.applications.created
        + report.applications.updated
        + report.applications.unchanged,
    )


def import_ledger_job(job, progress):
    path = upload_path(job.params["upload"])
    try:
        if not path.exists():
            job_finished(
                job,
                errors=[
                    {
                        "message": "上传的文件已经不在了（已导入、已取消或超过一天），请重新上传台账。"
                    }
                ],
            )
            return
        report = import_ledger(
            path,
            job.organization,
            user=job.user,
            apply=True,
            progress=progress,
            filename=job.filename,
        )
    finally:
        path.unlink(missing_ok=True)
    if report.ok:
        record(
            None,
            AuditEvent.Action.LEDGER_IMPORT,
            detail=f"导入 {job.filename}：{report.summary()}",
            organization=job.organization,
            user=job.user,
        )
    written = report.applications.created + report.applications.updated
    job_finished(
        job,
        errors=problems(report.errors),
        warnings=problems(report.warnings),
        summary=report.summary(),
        result={"counts": counts(report)},
        written=written if report.ok else 0,
    )


def start_export(organization, year, user):
    """Queue the export of an office's ledger (all years, or one); the Job."""
    remove_old_outputs()
    personal_data = can_export_personal_data(user, organization)
    job = Job.objects.create(
        kind=Job.Kind.LEDGER_EXPORT,
        user=user,
        organization=organization,
        filename=export_filename(organization, year),
        params={"year": year, "personal_data": personal_data},
    )
    return enqueue(job)


def export_detail(job):
    """What the audit log says when the export is downloaded."""
    year = job.params.get("year")
    return (
        f"导出{f'{year}年' if year else '全部'}台账，共 {job.result.get('applications', 0)} 件申请，"
        + (
            "含申请人证件号码和联系电话（完整）"
            if job.params.get("personal_data")
            else "证件号码和联系电话已打码"
        )
    )


def export_ledger_job(job, progress):
    organization, year = job.organization, job.params.get("year")
    applications = ledger_applications(organization, year).count()
    total = ledger_row_count(organization, year)
    progress(f"正在导出台账，共 {total} 行", force=True, total=total, written=0)

    def build():
        workbook = export_ledger(
            organization,
            year,
            include_personal_data=job.params.get("personal_data", False),
            progress=lambda written: progress(f"已写入 {written}/{total} 行", written=written),
        )
        progress("正在保存工作簿文件", force=True, written=total)
        return workbook

    finish_with_workbook(
        job,
        build,
        summary=f"共 {applications} 件申请（连同行政复议、行政诉讼共 {total} 行）",
        result={"applications": applications},
        total=total,
        written=total,
    )
