"""The file a job makes for its user to download (the ledger export, the rollup workbook).

It lives at MEDIA_ROOT/exports/<job id>.xlsx from the job's end until the job's record is
deleted (remove_output, on post_delete) or it is older than OUTPUT_MAX_AGE
(remove_old_outputs: at every new export, and `purge_uploads`). It is written under a
temporary name and renamed when complete, so a worker killed half-way leaves no file that
could be downloaded.
"""

import errno
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings

from .files import remove_older_than
from .models import Job, job_token
from .runner import job_finished

logger = logging.getLogger("gongkai")

OUTPUT_DIR = "exports"
OUTPUT_MAX_AGE = 7 * 24 * 3600
PARTIAL = ".part"
CANNOT_SAVE = (
    "生成的工作簿无法保存到服务器（{reason}），没有生成文件。"
    "请把任务编号 {id} 告诉系统管理员，请其检查文件目录的空间和写入权限，然后重新操作一次。"
)
SAVE_ERRORS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘空间已满",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "文件目录只读",
}


def output_path(job_id: UUID | str) -> Path:
    return Path(settings.MEDIA_ROOT) / OUTPUT_DIR / f"{job_token(job_id)}.xlsx"


def save_workbook(job: Job, workbook: Any) -> Path:
    """Save the job's file: an openpyxl workbook, or a workbook's bytes; its path."""
    path = output_path(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + PARTIAL)
    try:
        if isinstance(workbook, bytes | bytearray):
            partial.write_bytes(workbook)
        else:
            workbook.save(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def finish_with_workbook(job: Job, build: Callable[[], Any], **finished: Any) -> None:
    """Make the job's file with build() (an openpyxl workbook, or a workbook's bytes), save
    it and record the job's success (job_finished(job, **finished)); or record why it could
    not be saved. The folder is made first, so that a server that cannot keep the file says
    so before the work is done."""
    try:
        output_path(job.pk).parent.mkdir(parents=True, exist_ok=True)
        save_workbook(job, build())
    except OSError as error:
        logger.exception("job %s: the workbook could not be saved", job.pk)
        reason = SAVE_ERRORS.get(error.errno or 0, "文件目录无法写入")
        job_finished(job, errors=[{"message": CANNOT_SAVE.format(reason=reason, id=job.pk)}])
        return
    job_finished(job, **finished)


def output_exists(job: Job) -> bool:
    return output_path(job.pk).is_file()


def remove_old_outputs(max_age: float = OUTPUT_MAX_AGE) -> int:
    """Delete job files (and half-written ones) older than max_age seconds; how many."""
    return remove_older_than(Path(settings.MEDIA_ROOT) / OUTPUT_DIR, max_age)


def remove_output(sender: type[Job], instance: Job, **kwargs: Any) -> None:
    """A deleted job takes its file with it (connected in jobs.apps)."""
    output_path(instance.pk).unlink(missing_ok=True)
