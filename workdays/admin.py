from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from accounts.scoping import GLOBAL, OfficeScopedAdminMixin
from lib.history import ReadableHistoryAdminMixin

from .calendar import package_years, weekday_name
from .models import WorkdayOverride


def recompute_after_change(request: HttpRequest, days: Iterable[datetime.date]) -> None:
    """Redo the stored deadline of every application the changed days can move."""
    from applications.models import Application

    changed = Application.objects.affected_by_calendar_days(days).recompute_deadlines()
    messages.info(request, f"已按新的工作日历重新计算答复期限，{changed} 件申请的期限有变化。")


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(ReadableHistoryAdminMixin, OfficeScopedAdminMixin, SimpleHistoryAdmin):
    office_path = GLOBAL  # one national calendar, guarded by permissions alone
    list_display = ["date", "weekday", "is_workday", "note"]
    list_filter = ["is_workday"]
    search_fields = ["note"]
    date_hierarchy = "date"

    @admin.display(description="星期", ordering="date")
    def weekday(self, obj: WorkdayOverride) -> str:
        return weekday_name(obj.date)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        first, last = package_years()
        extra_context = {
            **(extra_context or {}),
            "title": (
                f"工作日调整（内置日历已收录{first}—{last}年的法定节假日和调休；此处的调整优先。"
                "其他年份请在此录入全年的放假和调休上班日期）"
            ),
        }
        return super().changelist_view(request, extra_context)

    def save_model(
        self, request: HttpRequest, obj: WorkdayOverride, form: ModelForm, change: bool
    ) -> None:
        days = {obj.date}
        if change and "date" in form.changed_data:
            days.add(form.initial["date"])
        super().save_model(request, obj, form, change)
        recompute_after_change(request, days)

    def delete_model(self, request: HttpRequest, obj: WorkdayOverride) -> None:
        day = obj.date
        super().delete_model(request, obj)
        recompute_after_change(request, [day])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WorkdayOverride]) -> None:
        days = list(queryset.values_list("date", flat=True))
        super().delete_queryset(request, queryset)
        recompute_after_change(request, days)
