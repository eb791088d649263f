from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
