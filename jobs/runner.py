"""Running a Job in the task worker: start, progress, finish, and what to do when it fails.

Each kind's handler is a plain function handler(job, progress) near its data
(applications/jobs.py, reports/intake/jobs.py); it returns nothing and records its outcome with
job_finished(). progress(message, total=, read=, checked=, written=) is cheap to call often:
it is saved at most every PROGRESS_INTERVAL seconds, through the progress connection.
"""

import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PROGRESS_DATABASE, UNEXPECTED, Job, this_worker

logger = logging.getLogger("gongkai")

PROGRESS_INTERVAL = 0.5
HANDLERS = {
    Job.Kind.LEDGER_PREVIEW: "applications.jobs.preview_ledger",
    Job.Kind.LEDGER_IMPORT: "applications.jobs.import_ledger_job",
    Job.Kind.LEDGER_EXPORT: "applications.jobs.export_ledger_job",
    Job.Kind.ROLLUP_WORKBOOK: "reports.tasks.rollup_workbook_job",
    Job.Kind.DISTRICT_INTAKE: "reports.intake.jobs.check_intake",
}
COUNTS = {
    "total": "rows_total",
    "read": "rows_read",
    "checked": "rows_checked",
    "written": "rows_written",
}


def progress_database():
    """The connection progress is written through: its own, so that it is seen while the
    job's transaction is open (tests run everything on one connection)."""
    return getattr(settings, "JOBS_PROGRESS_DATABASE", PROGRESS_DATABASE)


def save_progress(job_id, **fields):
    """Best effort: a progress update that cannot be saved is skipped, never an error."""
    alias = progress_database()
    if (
        alias != DEFAULT_DB_ALIAS
        and connections[alias].vendor == "sqlite"
        and connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return  # SQLite has one writer, and the job's own transaction is it
    try:
        Job.objects.using(alias).filter(pk=job_id).update(**fields)
    except DatabaseError:
        logger.info("job %s: progress not saved", job_id, exc_info=True)


def save(job_id, **fields):
    """A change of status (started, finished): on the job's connection, outside its transaction."""
    Job.objects.filter(pk=job_id).update(**fields)


class Progress:
    def __init__(self, job):
        self.job = job
        self.fields = {}
        self.saved_at = 0.0

    def __call__(self, message="", force=False, **counts):
        if message:
            self.fields["stage"] = message[:300]
        for key, value in counts.items():
            self.fields[COUNTS[key]] = value
        now = time.monotonic()
        if force or now - self.saved_at >= PROGRESS_INTERVAL:
            self.saved_at = now
            save_progress(self.job.pk, heartbeat_at=timezone.now(), **self.fields)


def job_finished(job, errors=(), warnings=(), summary="", result=None, **counts):
    """Record a job's outcome: FAILED when there are errors, else SUCCEEDED."""
    fields = {COUNTS[key]: value for key, value in counts.items()}
    save(
        job.pk,
        status=Job.Status.FAILED if errors else Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        stage="已完成" if not errors else "未完成",
        errors=list(errors),
        warnings=list(warnings),
        summary=summary,
        result=result or {},
        **fields,
    )


def run(job_id):
    """Run one queued job (called by jobs.tasks.run_job in the worker)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.Status.QUEUED:
        return
    now = timezone.now()
    save(
        job.pk,
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=this_worker(),
        stage="开始处理",
    )
    try:
        import_string(HANDLERS[job.kind])(job, Progress(job))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job_finished(job, errors=[{"message": UNEXPECTED.format(id=job.pk)}])
