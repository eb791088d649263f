"""Files a job works on under MEDIA_ROOT: an upload waiting for its job, or the file a job
made. Stored before the job is queued, removed after every outcome or once too old."""

import time
from collections.abc import Callable
from pathlib import Path

from .models import Job
from .tasks import enqueue


def enqueue_with_file(job: Job, path: Path, write: Callable[[Path], object]) -> Job:
    """write(path) the job's file, then queue the job; no file is left if writing fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return enqueue(job)


def remove_older_than(folder: Path, max_age: float) -> int:
    """Delete the files in `folder` last changed more than max_age seconds ago; how many."""
    if not folder.is_dir():
        return 0
    limit = time.time() - max_age
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
