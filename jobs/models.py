"""Long work (ledger imports, exports, the district rollup workbook) done by the task worker.

A Job is what the user sees: its kind, who started it, its progress (rows read, checked,
written) and, when it ends, its result (errors with their rows, or what was written). The
queue itself is django-tasks' (jobs.tasks); the Job row is updated through its own database
connection (PROGRESS_DATABASE) so the progress shows while the import's one transaction is
still open. A worker that dies (kill -9, a restart) leaves its job RUNNING: is_dead() sees
it and the job is marked failed with a reason; the import's transaction was never committed,
so nothing was written.
"""

import os
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PROGRESS_DATABASE = "progress"
HEARTBEAT_STALE_AFTER = timedelta(minutes=5)
QUEUE_WAIT_HINT_AFTER = timedelta(minutes=1)
DEAD_WORKER = "后台处理进程在处理过程中意外中止（可能被强制结束或服务器重启），本次操作已全部撤销，没有写入任何数据。请重新操作一次。"
UNEXPECTED = "处理时发生意外错误，已全部撤销，没有写入任何数据。请把任务编号 {id} 告诉系统管理员。"
NO_WORKER = (
    "正在排队等待后台处理进程。如果长时间没有开始，请联系系统管理员检查后台处理进程是否在运行。"
)


def this_worker():
    return f"{socket.gethostname()}:{os.getpid()}"


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def job_token(pk):
    """A job's id as it appears in file names and forms (32 hex digits)."""
    return uuid.UUID(str(pk)).hex


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if user.is_superuser else self.filter(user=user)

    def unfinished(self):
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])


class Job(models.Model):
    class Kind(models.TextChoices):
        LEDGER_PREVIEW = "ledger_preview", "核对台账"
        LEDGER_IMPORT = "ledger_import", "导入台账"
        LEDGER_EXPORT = "ledger_export", "导出台账"
        ROLLUP_WORKBOOK = "rollup_workbook", "区县汇总工作簿"
        DISTRICT_INTAKE = "district_intake", "核对报送工作簿"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "处理中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "未完成"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("任务", max_length=30, choices=Kind.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.QUEUED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    organization = models.ForeignKey(
        "applications.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="机关",
    )
    filename = models.CharField("文件名", max_length=255, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    worker = models.CharField("处理进程", max_length=200, blank=True)
    stage = models.CharField("进展", max_length=300, blank=True)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    rows_read = models.PositiveIntegerField("已读取", default=0)
    rows_checked = models.PositiveIntegerField("已核对", default=0)
    rows_written = models.PositiveIntegerField("已写入", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    warnings = models.JSONField("提示", default=list, blank=True)
    summary = models.TextField("结果", blank=True)
    result = models.JSONField("结果数据", default=dict, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_recent")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}（{self.get_status_display()}）"

    @property
    def finished(self):
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def ok(self):
        return self.status == self.Status.SUCCEEDED and not self.errors

    def is_dead(self, now=None):
        """Whether the job is RUNNING on a worker that no longer exists."""
        if self.status != self.Status.RUNNING:
            return False
        host, _, pid = self.worker.rpartition(":")
        if host == socket.gethostname() and pid.isdigit():
            return not process_alive(int(pid))
        now = now or timezone.now()
        return (self.heartbeat_at or self.started_at or self.created_at) < now - (
            HEARTBEAT_STALE_AFTER
        )

    def fail_if_dead(self):
        """Mark a job whose worker died as failed (with the reason); True when it did."""
        if not self.is_dead():
            return False
        changed = Job.objects.filter(pk=self.pk, status=self.Status.RUNNING).update(
            status=self.Status.FAILED,
            finished_at=timezone.now(),
            errors=[{"message": DEAD_WORKER}],
            stage="已中止",
        )
        self.refresh_from_db()
        return bool(changed)

    def waiting_hint(self):
        if self.status == self.Status.QUEUED and self.created_at < timezone.now() - (
            QUEUE_WAIT_HINT_AFTER
        ):
            return NO_WORKER
        return ""

    def progress_state(self):
        """What the progress bar shows (the status URL returns it as JSON)."""
        total = self.rows_total or 0
        return {
            "status": self.status,
            "status_label": self.get_status_display(),
            "finished": self.finished,
            "stage": self.stage or self.waiting_hint(),
            "total": total,
            "read": self.rows_read,
            "checked": self.rows_checked,
            "written": self.rows_written,
        }
