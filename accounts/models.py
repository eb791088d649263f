from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class UserHistoricalRecords(HistoricalRecords):
    """History that also follows role changes made from the group's side.

    django-simple-history records m2m changes only from the user's side
    (user.groups.add); group.user_set.add(user) would fail on the Group, which has no
    history. Here each user touched from the group's side gets its own record.
    """

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        user_model = self.cls
        if action == "pre_clear":
            relation = getattr(
                instance, user_model._meta.get_field(attr).remote_field.get_accessor_name()
            )
            instance._history_cleared_user_pks = set(relation.values_list("pk", flat=True))
            return
        if action == "post_clear":
            pk_set = getattr(instance, "_history_cleared_user_pks", set())
        elif action not in ("post_add", "post_remove"):
            return
        for user in user_model.objects.filter(pk__in=pk_set or ()):
            super().m2m_changed(user, action, attr, None, False, **kwargs)


class User(AbstractUser):
    """A person who signs in. Staff and officials belong to exactly one office."""

    organization = models.ForeignKey(
        "applications.Organization",
        verbose_name="所属机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="登记员、审核人、区级管理员和系统管理员都必须属于一个机关：只能看到和管理本机关（区级管理员、系统管理员还有其下级机关）的数据。只有超级用户可以不填。",
    )
    must_change_password = models.BooleanField(
        "首次登录须修改密码",
        default=False,
        help_text="勾选后，该用户下次登录时必须先修改密码。",
    )

    # Who changed a user, and how (roles, office, active); never the password hash.
    history = UserHistoricalRecords(
        excluded_fields=["password", "last_login"], m2m_fields=["groups", "user_permissions"]
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def get_full_name(self):
        """姓 then 名, without a space, as Chinese names are written (张 + 一 = 张一)."""
        return f"{self.last_name}{self.first_name}".strip()

    def get_short_name(self):
        """How the admin greets the user (欢迎，…): by name where there is one."""
        return self.get_full_name() or self.username

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name}（{self.username}）" if full_name else self.username

    def save(self, *args, **kwargs):
        # A login only stamps last_login: not a change anyone made to the account.
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)


class AuditEvent(models.Model):
    """Who did what, when, from where: logins, imports, exports and downloads of personal data.

    Rows are only ever added (see accounts.audit.record); the admin shows them read-only.
    """

    class Action(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGOUT = "logout", "退出"
        LEDGER_IMPORT = "ledger_import", "导入台账"
        LEDGER_EXPORT = "ledger_export", "导出台账"
        REPORT_DOWNLOAD = "report_download", "下载年度报告"
        REPORT_SIGN_OFF = "report_sign_off", "年度报告定稿"
        REPORT_INTAKE = "report_intake", "接收下级报送的年度报告工作簿"
        PERSONAL_DATA_VIEW = "personal_data_view", "查看个人信息"
        LETTER_ISSUE = "letter_issue", "出具告知书"
        LETTER_DOWNLOAD = "letter_download", "下载告知书"
        FEE_RECORD = "fee_record", "计算并记录信息处理费"

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User,
        verbose_name="用户",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    username = models.CharField(
        "用户名", max_length=150, blank=True, help_text="登录失败时记录所填写的用户名。"
    )
    action = models.CharField("操作", max_length=30, choices=Action.choices)
    organization = models.ForeignKey(
        "applications.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    detail = models.TextField("详情", blank=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username or self.user} {self.get_action_display()}"


class LoginLockout(AccessAttempt):
    """django-axes' count of failed sign-ins for one username from one address, shown in
    Chinese. Deleting the row lifts the lockout before its time is up."""

    class Meta:
        proxy = True
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"

    def __str__(self):
        return f"{self.username or '（未填用户名）'}，来自 {self.ip_address or '未知地址'}"

    @property
    def is_locked(self):
        return self.failures_since_start >= settings.AXES_FAILURE_LIMIT
