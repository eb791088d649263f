"""Sign-ins, failed sign-ins and sign-outs go to the audit log with user, time and IP."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .audit import record
from .models import AuditEvent, User
from .roles import ROLE_NAMES


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
    organization_id = (
        User.objects.filter(username=username).values_list("organization_id", flat=True).first()
    )
    locked = getattr(request, "axes_locked_out", False)
    record(
        request,
        AuditEvent.Action.LOGIN_FAILED,
        username=username,
        organization=organization_id,
        detail="登录失败次数过多，已暂时锁定" if locked else "用户名或密码错误",
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="role_users_are_staff")
def role_users_work_in_the_admin(sender, instance, action, reverse, pk_set, **kwargs):
    """Whoever is given a role, from the admin, the shell or a data load, can sign in to
    the admin where all the work is done."""
    if action != "post_add" or not pk_set:
        return
    if reverse:  # group.user_set.add(...)
        if instance.name in ROLE_NAMES:
            User.objects.filter(pk__in=pk_set, is_staff=False).update(is_staff=True)
    elif (
        not instance.is_staff
        and instance.groups.filter(pk__in=pk_set, name__in=ROLE_NAMES).exists()
    ):
        User.objects.filter(pk=instance.pk).update(is_staff=True)
        instance.is_staff = True
