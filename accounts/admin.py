from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm
from django.contrib.auth.models import Group
from simple_history.admin import SimpleHistoryAdmin

from lib.history import ReadableHistoryAdminMixin

from .models import AuditEvent, LoginLockout, User
from .roles import ASSIGNABLE_GROUP_NAMES
from .scoping import GLOBAL, OfficeScopedAdminMixin

USABLE_PASSWORD_HELP = "选择“禁用”的，该用户不能用密码登录。"


class ChineseUserChangeForm(UserChangeForm):
    """The password is shown only as set or not: no hash, salt or algorithm on screen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget.template_name = "accounts/password_summary.html"


class ChinesePasswordChangeForm(AdminPasswordChangeForm):
    usable_password_help_text = USABLE_PASSWORD_HELP + "禁用后，该用户现有的密码将作废。"


@admin.register(User)
class UserAdmin(
    ReadableHistoryAdminMixin, OfficeScopedAdminMixin, SimpleHistoryAdmin, BaseUserAdmin
):
    """A 系统管理员 manages the accounts of the offices they administer, nothing more:
    no superusers, no permissions outside the roles."""

    office_path = "organization"
    form = ChineseUserChangeForm
    change_password_form = ChinesePasswordChangeForm
    list_display = ["username", "last_name", "first_name", "organization", "is_staff", "is_active"]
    list_filter = ["organization", "groups", "is_staff", "is_superuser", "is_active"]
    list_select_related = ["organization"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("所属机关", {"fields": ["organization", "must_change_password"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("所属机关", {"fields": ["organization", "must_change_password"]}),
    ]

    def get_actions(self, request):
        # Accounts are deactivated (有效 unticked), never deleted: they hold records and history.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("must_change_password", True)
        if request.user.organization_id:
            initial.setdefault("organization", request.user.organization_id)
        return initial

    def scope_queryset(self, request, queryset):
        queryset = super().scope_queryset(request, queryset)
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ASSIGNABLE_GROUP_NAMES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and not request.user.is_superuser:
            kwargs["required"] = True  # without an office the account could see and do nothing
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(OfficeScopedAdminMixin, BaseGroupAdmin):
    """Roles are defined in accounts/roles.py (setup_roles); the admin only shows them."""

    office_path = GLOBAL
    PERMISSION_ACTIONS = {"add": "增加", "change": "修改", "delete": "删除", "view": "查看"}

    def get_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fields(request, obj)
        return ["name", "permission_names"]

    @admin.display(description="权限")
    def permission_names(self, obj):
        """Django names its own permissions in English ("Can add …"): say them in Chinese."""
        names = []
        for permission in obj.permissions.select_related("content_type").order_by(
            "content_type__app_label", "codename"
        ):
            action, _, _ = permission.codename.partition("_")
            model = permission.content_type.model_class()
            if action in self.PERMISSION_ACTIONS and model is not None:
                names.append(f"{self.PERMISSION_ACTIONS[action]}{model._meta.verbose_name}")
            else:
                names.append(permission.name)
        return "、".join(names)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AuditEvent)
class AuditEventAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is only ever added to."""

    office_path = "organization"
    list_display = [
        "created_at",
        "username",
        "user",
        "action",
        "organization",
        "ip_address",
        "detail",
    ]
    list_filter = ["action", "organization"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "organization"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginLockout)
class LoginLockoutAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    """No role has it: superusers only. Deleting a row lifts that lockout."""

    office_path = GLOBAL
    list_display = ["last_attempt", "account", "address", "failures", "locked"]
    fields = ["last_attempt", "account", "address", "failures", "locked", "page"]
    readonly_fields = fields
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="最近一次尝试", ordering="attempt_time")
    def last_attempt(self, obj):
        return obj.attempt_time

    @admin.display(description="用户名", ordering="username")
    def account(self, obj):
        return obj.username

    @admin.display(description="IP地址", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description="连续失败次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="已锁定", boolean=True)
    def locked(self, obj):
        return obj.is_locked

    @admin.display(description="登录页面")
    def page(self, obj):
        return obj.path_info
