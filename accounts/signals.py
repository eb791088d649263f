"""Sign-ins, failed sign-ins and sign-outs go to the audit log with user, time and IP."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import record
from .models import AuditEvent, User


@receiver(user_logged_in, dispatch_uid="audit_login")
def log_login(sender, request, user, **kwargs):
    record(request, AuditEvent.Action.LOGIN, user=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        record(request, AuditEvent.Action.LOGOUT, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(User.USERNAME_FIELD) or "")[:150]
    # The office of the account that was tried, so that its 系统管理员 sees the attempt.
    organization_id = User.objects.filter(username=username).values_list("organization_id", flat=True).first()
    locked = getattr(request, "axes_locked_out", False)
    record(
        request,
        AuditEvent.Action.LOGIN_FAILED,
        username=username,
        organization=organization_id,
        detail="登录失败次数过多，已暂时锁定" if locked else "用户名或密码错误",
    )
