"""The district intake as a background job (jobs.models.Job, kind DISTRICT_INTAKE).

The upload request checks the file's size and zip directory (reports.forms.IntakeForm),
stores it under MEDIA_ROOT/district-intake/<job id>.xlsx, queues the job and shows its
progress. The worker reads the file and removes it at once, whatever comes next; it reads
and checks the workbook (读取工作簿 / 核对表格 / 核对文字) and then either keeps it as a
pending submission, which the district confirms and accepts (or discards) in a normal
request, or keeps the preview of what must be fixed with the job, for the job's page.

A pending submission nobody accepts or discards is removed after UPLOAD_MAX_AGE, like an
abandoned ledger preview, and so is an upload no worker ever read: at every intake upload
and by `purge_uploads`.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from applications.jobs import UPLOAD_MAX_AGE, remove_stale_uploads
from jobs.files import enqueue_with_file
from jobs.models import Job, job_token
from jobs.runner import job_finished

from ..models import SubmittedReport
from .preview import Preview, preview, store_pending
from .problems import MUST_FIX

UPLOAD_DIR = "district-intake"
GONE = "上传的文件已经不在了（可能服务器重启后被清理），请重新上传工作簿。"


def upload_path(job_id):
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{job_token(job_id)}.xlsx"


def remove_abandoned(max_age=UPLOAD_MAX_AGE):
    """Delete uploads no worker read and pending submissions nobody accepted or discarded
    within `max_age` seconds; how many were deleted."""
    files = remove_stale_uploads(max_age, UPLOAD_DIR)
    limit = timezone.now() - datetime.timedelta(seconds=max_age)
    pending, _ = SubmittedReport.objects.filter(
        accepted_at__isnull=True, uploaded_at__lt=limit
    ).delete()
    return files + pending


def start_intake(office, district, year, data, filename, user):
    """Store a workbook's bytes (through IntakeForm) and queue its reading; the Job."""
    remove_abandoned()
    job = Job.objects.create(
        kind=Job.Kind.DISTRICT_INTAKE,
        user=user,
        organization=office,
        filename=filename[:255],
        params={"district": district.pk, "year": year},
    )
    return enqueue_with_file(job, upload_path(job.pk), lambda path: path.write_bytes(data))


def check_intake(job, progress):
    """The worker's part: read and check the workbook, keep it pending or keep the preview."""
    path = upload_path(job.pk)
    try:
        data = path.read_bytes() if path.exists() else None
    finally:
        path.unlink(missing_ok=True)
    if data is None:
        job_finished(job, errors=[{"message": GONE}])
        return
    year = job.params["year"]
    result = preview(job.organization, year, data, job.filename, progress)
    if not result.acceptable:
        job_finished(
            job,
            errors=[
                {"message": problem.message}
                for problem in result.problems
                if problem.severity == MUST_FIX
            ],
            summary=f"共{result.must_fix_count}处必须修改，没有保存",
            result={"preview": result.as_json()},
        )
        return
    pending = store_pending(job.organization, year, data, job.filename, result, job.user)
    job_finished(job, summary="已读取，待接收", result={"submission": pending.pk})


def refused_preview(job):
    """The preview of a workbook that cannot be accepted, as the job kept it; else None."""
    kept = job.result.get("preview")
    return Preview.from_json(kept) if kept else None


def pending_submission(job):
    """The submission a job read and kept, if it is still there (pending or accepted)."""
    submission_id = job.result.get("submission")
    if submission_id is None:
        return None
    return SubmittedReport.objects.defer("workbook").filter(pk=submission_id).first()
