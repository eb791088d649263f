from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from accounts.permissions import VIEW_SUBORDINATE_OFFICES
from accounts.scoping import OfficeScopedAdminMixin
from lib.display import SECTION_ONE
from lib.history import ReadableHistoryAdminMixin

from .models import (
    AnnualFigures,
    IndicatorThresholds,
    NormativeDocument,
    ReportNarrative,
    ReportSignOff,
    SubmittedReport,
)


class OfficeScopedAdmin(ReadableHistoryAdminMixin, OfficeScopedAdminMixin, SimpleHistoryAdmin):
    """Report inputs: each user sees and edits only the offices visible to them."""

    office_path = "organization"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.user.organization_id:
            initial.setdefault("organization", request.user.organization_id)
        return initial

    def get_list_filter(self, request):
        if request.user.is_superuser or request.user.has_perm(VIEW_SUBORDINATE_OFFICES):
            return [*self.list_filter, "organization"]
        return self.list_filter


@admin.register(NormativeDocument)
class NormativeDocumentAdmin(OfficeScopedAdmin):
    list_display = ["number", "title", "kind", "issued_on", "abolished_on", "organization"]
    list_filter = ["kind"]
    search_fields = ["number", "title"]
    date_hierarchy = "issued_on"
    list_select_related = ["organization"]
    fields = ["organization", ("number", "kind"), "title", ("issued_on", "abolished_on"), "notes"]


@admin.register(AnnualFigures)
class AnnualFiguresAdmin(OfficeScopedAdmin):
    list_display = [
        "organization",
        "year",
        "licensing_decisions",
        "penalty_decisions",
        "coercion_decisions",
        "fee_display",
    ]
    list_filter = ["year"]
    list_select_related = ["organization"]
    fields = [
        ("organization", "year"),
        ("licensing_decisions", "penalty_decisions", "coercion_decisions"),
        "fee_amount_wan",
    ]

    @admin.display(description="行政事业性收费（万元）", ordering="fee_amount_wan")
    def fee_display(self, obj):
        return f"{obj.fee_amount_wan:.4f}"


@admin.register(ReportNarrative)
class ReportNarrativeAdmin(OfficeScopedAdmin):
    list_display = ["organization", "year"]
    list_filter = ["year"]
    list_select_related = ["organization"]
    fieldsets = [
        (None, {"fields": [("organization", "year")]}),
        (
            SECTION_ONE,
            {
                "fields": [
                    "opening",
                    "active_disclosure_lead_in",
                    "active_disclosure",
                    "on_request_lead_in",
                    "on_request",
                    "information_management_lead_in",
                    "information_management",
                    "platform_lead_in",
                    "platform",
                    "oversight_lead_in",
                    "oversight",
                ]
            },
        ),
        (None, {"fields": ["problems", "other_matters"]}),
    ]


@admin.register(ReportSignOff)
class ReportSignOffAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    """Read only: versions are made on the report page and never change or go away."""

    office_path = "organization"
    list_display = ["organization", "year", "version", "signed_by", "signed_at", "download"]
    list_filter = ["year"]
    list_select_related = ["organization", "signed_by"]
    fields = ["organization", "year", "version", "signed_by", "signed_at", "download"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("workbook", "document")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="工作簿")
    def download(self, obj):
        url = reverse("reports:signed_workbook", args=[obj.organization_id, obj.year, obj.version])
        return format_html('<a href="{}">下载定稿工作簿</a>', url)


@admin.register(SubmittedReport)
class SubmittedReportAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    """Read only: workbooks are uploaded and accepted on the district's intake page."""

    office_path = "organization"
    list_display = [
        "organization",
        "year",
        "version",
        "filename",
        "uploaded_by",
        "uploaded_at",
        "accepted_by",
        "accepted_at",
        "view",
    ]
    list_filter = ["year"]
    list_select_related = ["organization", "uploaded_by", "accepted_by"]
    fields = [
        "organization",
        "year",
        "version",
        "filename",
        "uploaded_by",
        "uploaded_at",
        "accepted_by",
        "accepted_at",
        "view",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("workbook", "figures", "checks")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="查看")
    def view(self, obj):
        if not obj.organization.parent_id:
            return ""
        url = reverse("reports:submission", args=[obj.organization.parent_id, obj.year, obj.pk])
        return format_html('<a href="{}">查看读取的数字</a>', url)


@admin.register(IndicatorThresholds)
class IndicatorThresholdsAdmin(OfficeScopedAdmin):
    list_display = [
        "organization",
        "correction_yellow",
        "correction_red",
        "disclosure_yellow",
        "disclosure_red",
        "minimum_applications",
    ]
    list_select_related = ["organization"]
    fields = [
        "organization",
        ("correction_yellow", "correction_red"),
        ("disclosure_yellow", "disclosure_red"),
        "minimum_applications",
    ]
