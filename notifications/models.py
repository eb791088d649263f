"""In-app notifications (提醒), and the record that an office's daily digest went out."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DigestRun(models.Model):
    """One office's daily deadline digest for one day: its existence means "already sent"."""

    organization = models.ForeignKey(
        "applications.Organization", verbose_name="机关", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("日期")
    overdue = models.PositiveIntegerField("已逾期件数")
    due_soon = models.PositiveIntegerField("即将到期件数")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "每日提醒记录"
        verbose_name_plural = "每日提醒记录"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day"],
                name="one_digest_per_office_per_day",
                violation_error_message="该机关这一天的提醒已经发过了。",
            )
        ]

    def __str__(self):
        return f"{self.organization}·{self.day}"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one person, shown in 提醒 until read (and kept after)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    digest = models.ForeignKey(
        DigestRun,
        verbose_name="每日提醒",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed = models.BooleanField("已发送邮件", default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest"], name="one_digest_notification_per_person"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None
