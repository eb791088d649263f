from django.contrib import admin
from django.db import models
from django.db.models import Count, Max, Min
from django.urls import path
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from accounts.permissions import VIEW_SUBORDINATE_OFFICES
from accounts.scoping import OfficeScopedAdminMixin
from lib.changelist import CappedCountPaginator, CaseFreeSearchMixin
from lib.dates import ChineseDateField
from lib.history import ReadableHistoryAdminMixin

from . import views
from .choices import OUTCOME_GROUP_CHOICES, outcome_grouped_choices
from .deadlines import DUE_SOON_WORKDAYS, DeadlineStatus
from .deletion import RefuseLockedDeletionAdminMixin
from .forms import LawsuitInlineFormSet
from .history import application_timeline
from .masking import PersonalDataMaskingAdminMixin
from .models import AdministrativeReview, Application, ClockStop, Lawsuit, Organization


class ReceivedYearFilter(admin.SimpleListFilter):
    """收到年份: every year from the last received to the first, newest first.

    From the first and last dates received (two reads of an index), not from the distinct
    years of every row: a year without applications between them is listed too.
    """

    title = "收到年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        span = self.applications_seen_by(request.user).aggregate(
            first=Min("received_on"), last=Max("received_on")
        )
        if span["first"] is None:
            return []
        years = range(span["last"].year, span["first"].year - 1, -1)
        return [(str(year), f"{year}年") for year in years]

    @staticmethod
    def applications_seen_by(user):
        """The scope of OfficeScopedAdminMixin, its offices written out as ids.

        Given ids, PostgreSQL reads MIN and MAX from the ends of an index (by office for
        one office, by date for a district); given the offices as a subquery it joins
        every application of the scope first.
        """
        if user.is_superuser:
            return Application.objects.all()
        offices = Organization.objects.visible_to(user).values_list("pk", flat=True)
        return Application.objects.filter(organization__in=list(offices))

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(received_on__year=int(self.value()))
        return queryset


class StatusFilter(admin.SimpleListFilter):
    title = "办理状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("pending", "办理中"), ("answered", "已答复")]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "answered":
            return queryset.answered()
        return queryset


class OutcomeGroupFilter(admin.SimpleListFilter):
    title = "办理结果类别"
    parameter_name = "outcome_group"

    def lookups(self, request, model_admin):
        return OUTCOME_GROUP_CHOICES

    def queryset(self, request, queryset):
        if self.value() in dict(OUTCOME_GROUP_CHOICES):
            return queryset.in_outcome_group(self.value())
        return queryset


class DeadlineFilter(admin.SimpleListFilter):
    title = "答复期限"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("due_soon", f"即将到期（{DUE_SOON_WORKDAYS}个工作日内）"),
            ("overdue", "已逾期"),
            ("late", "逾期答复"),
            ("provisional", "期限待确认"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "due_soon":
            return queryset.due_soon()
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "late":
            return queryset.with_deadline_status().filter(status_now=DeadlineStatus.LATE)
        if self.value() == "provisional":
            return queryset.filter(due_is_provisional=True)
        return queryset


class ChineseDatesMixin:
    """Date fields accept 2026-12-3, 2026/12/3, 2026.12.3 and 2026年12月3日, and say so."""

    formfield_overrides = {models.DateField: {"form_class": ChineseDateField}}


class ClockStopInline(ChineseDatesMixin, admin.TabularInline):
    model = ClockStop
    extra = 0
    fields = ["kind", "started_on", "ended_on", "notes"]


class ReviewInline(ChineseDatesMixin, admin.StackedInline):
    model = AdministrativeReview
    extra = 0
    fields = [("filed_on", "review_body"), ("result", "concluded_on"), "notes"]


class LawsuitInline(ChineseDatesMixin, admin.StackedInline):
    model = Lawsuit
    formset = LawsuitInlineFormSet
    extra = 0
    fields = [("filed_on", "after_review", "court"), ("result", "concluded_on"), "notes"]


@admin.register(Application)
class ApplicationAdmin(
    ChineseDatesMixin,
    OfficeScopedAdminMixin,
    CaseFreeSearchMixin,
    PersonalDataMaskingAdminMixin,
    RefuseLockedDeletionAdminMixin,
    SimpleHistoryAdmin,
):
    office_path = "organization"
    change_list_template = "admin/applications/application/change_list.html"
    list_display = [
        "number",
        "received_on",
        "due_display",
        "applicant_type",
        "applicant_name",
        "masked_applicant_id_number",
        "masked_applicant_phone",
        "status",
        "outcome_display",
    ]
    list_display_links = ["number"]
    list_filter = [
        ReceivedYearFilter,
        StatusFilter,
        DeadlineFilter,
        "applicant_type",
        OutcomeGroupFilter,
    ]
    # Personal data is searchable by the whole number only, and listed masked.
    search_fields = [
        "number",
        "applicant_name",
        "content",
        "=applicant_id_number",
        "=applicant_phone",
    ]
    # No date hierarchy: the 收到年份 filter picks a year, and the hierarchy's own years and
    # months are a read of every row's date. Counts stop at 10,000 (CappedCountPaginator):
    # the full COUNT(*) of a province's ledger is a read of the whole table on every page.
    ordering = ["-received_on", "-id"]
    list_select_related = ["organization"]
    list_per_page = 50
    paginator = CappedCountPaginator
    show_full_result_count = False
    inlines = [ClockStopInline, ReviewInline, LawsuitInline]
    readonly_fields = [
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "deadline_explanation",
    ]
    fieldsets = [
        ("申请", {"fields": ["organization", "number", ("received_on", "channel"), "content"]}),
        (
            "申请人",
            {
                "fields": [
                    ("applicant_type", "applicant_name"),
                    ("applicant_id_number", "applicant_phone"),
                    "applicant_address",
                ]
            },
        ),
        (
            "办理",
            {
                "fields": [
                    ("correction_received_on", "extended"),
                    ("answered_on", "outcome"),
                    "fee_yuan",
                    "notes",
                ]
            },
        ),
        ("答复期限", {"fields": ["deadline_explanation"]}),
        (
            "登记信息",
            {
                "classes": ["collapse"],
                "fields": [("created_by", "created_at"), ("updated_by", "updated_at")],
            },
        ),
    ]

    def sees_several_offices(self, request):
        return request.user.is_superuser or request.user.has_perm(VIEW_SUBORDINATE_OFFICES)

    def get_list_display(self, request):
        if self.sees_several_offices(request):
            return [*self.list_display, "office"]
        return self.list_display

    def get_list_filter(self, request):
        if self.sees_several_offices(request):
            return [*self.list_filter, "organization"]
        return self.list_filter

    @admin.display(description="受理机关", ordering="organization__short_name")
    def office(self, obj):
        return obj.organization.short_name

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "outcome":
            kwargs["choices"] = [("", "（尚未答复的留空）"), *outcome_grouped_choices()]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.user.organization_id:
            initial.setdefault("organization", request.user.organization_id)
        return initial

    @admin.display(description="办理状态", ordering="answered_on")
    def status(self, obj):
        return obj.deadline_status_label

    @admin.display(description="答复期限", ordering="due_on")
    def due_display(self, obj):
        if obj.due_on is None and obj.is_answered:
            return "—"
        text = obj.deadline_text
        if obj.deadline_status == DeadlineStatus.OVERDUE:
            return format_html('<strong class="gk-overdue">{}</strong>', text)
        return text

    @admin.display(description="期限说明")
    def deadline_explanation(self, obj):
        if obj is None or obj.pk is None:
            return "保存后自动计算答复期限。"
        lines = obj.deadline().lines()
        return format_html(
            '<ul class="gk-deadline-lines">{}</ul>',
            format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
        )

    change_form_template = "admin/applications/application/change_form.html"
    SAME_APPLICANT_SHOWN = 20

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_queryset(request).filter(pk=object_id).first()
        extra = {**(extra_context or {})}
        if application is not None:
            others = (
                Application.objects.visible_to(request.user)
                .same_applicant_as(application)
                .select_related("organization")
                .order_by("-received_on", "-id")
            )
            extra["same_applicant"] = others[: self.SAME_APPLICANT_SHOWN]
            extra["same_applicant_count"] = others.count()
        return super().change_view(request, object_id, form_url, extra)

    object_history_list_template = "admin/applications/application/history_timeline.html"

    def history_view(self, request, object_id, extra_context=None):
        # The office scoping of get_queryset decides who may see it; 404 otherwise.
        application = self.get_queryset(request).filter(pk=object_id).first()
        timeline = application_timeline(application) if application else []
        return super().history_view(
            request, object_id, {**(extra_context or {}), "timeline": timeline}
        )

    def get_urls(self):
        urls = [
            path(
                "ledger/import/",
                self.admin_site.admin_view(self.ledger_import_view),
                name="applications_application_ledger_import",
            ),
            path(
                "ledger/import/confirm/",
                self.admin_site.admin_view(self.ledger_import_confirm_view),
                name="applications_application_ledger_import_confirm",
            ),
            path(
                "ledger/import/<uuid:job_id>/",
                self.admin_site.admin_view(self.ledger_job_view),
                name="applications_application_ledger_job",
            ),
            path(
                "ledger/import/<uuid:job_id>/status/",
                self.admin_site.admin_view(self.ledger_job_status_view),
                name="applications_application_ledger_job_status",
            ),
            path(
                "ledger/export/",
                self.admin_site.admin_view(self.ledger_export_view),
                name="applications_application_ledger_export",
            ),
            path(
                "ledger/export/<uuid:job_id>/",
                self.admin_site.admin_view(self.ledger_export_job_view),
                name="applications_application_ledger_export_job",
            ),
            path(
                "ledger/export/<uuid:job_id>/status/",
                self.admin_site.admin_view(self.ledger_export_job_status_view),
                name="applications_application_ledger_export_job_status",
            ),
            path(
                "ledger/export/<uuid:job_id>/download/",
                self.admin_site.admin_view(self.ledger_export_download_view),
                name="applications_application_ledger_export_download",
            ),
            path(
                "ledger/template/",
                self.admin_site.admin_view(self.ledger_template_view),
                name="applications_application_ledger_template",
            ),
        ]
        return urls + super().get_urls()

    def ledger_import_view(self, request):
        return views.ledger_import(request, self)

    def ledger_import_confirm_view(self, request):
        return views.ledger_import_confirm(request, self)

    def ledger_job_view(self, request, job_id):
        return views.ledger_job(request, self, job_id)

    def ledger_job_status_view(self, request, job_id):
        return views.ledger_job_status(request, self, job_id)

    def ledger_export_view(self, request):
        return views.ledger_export(request, self)

    def ledger_export_job_view(self, request, job_id):
        return views.ledger_export_job(request, self, job_id)

    def ledger_export_job_status_view(self, request, job_id):
        return views.ledger_export_job_status(request, self, job_id)

    def ledger_export_download_view(self, request, job_id):
        return views.ledger_export_download(request, self, job_id)

    def ledger_template_view(self, request):
        return views.ledger_template(request, self)

    @admin.display(description="办理结果", ordering="outcome")
    def outcome_display(self, obj):
        return obj.outcome_label or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Organization)
class OrganizationAdmin(ReadableHistoryAdminMixin, OfficeScopedAdminMixin, SimpleHistoryAdmin):
    office_path = "id"
    ordering = ["name"]  # explicit: the annotated (GROUP BY) queryset drops the default order
    list_display = ["name", "short_name", "kind", "parent", "application_count"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    list_select_related = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(application_count=Count("applications"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A 系统管理员 adds offices under their own office; only a superuser shapes the tree above it.
        if db_field.name == "parent" and not request.user.is_superuser:
            kwargs["queryset"] = Organization.objects.filter(pk=request.user.organization_id)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if (
            obj is not None
            and not request.user.is_superuser
            and obj.pk == request.user.organization_id
        ):
            return [*readonly, "parent"]
        return readonly

    @admin.display(description="申请件数", ordering="application_count")
    def application_count(self, obj):
        return obj.application_count


class CaseAdmin(
    ReadableHistoryAdminMixin, ChineseDatesMixin, OfficeScopedAdminMixin, SimpleHistoryAdmin
):
    office_path = "organization"
    list_display = ["application", "filed_on", "result_label", "concluded_on"]
    list_select_related = ["application"]
    search_fields = ["application__number", "application__applicant_name"]
    date_hierarchy = "filed_on"
    raw_id_fields = ["application"]

    @admin.display(description="结果", ordering="result")
    def result_label(self, obj):
        return obj.result_label


@admin.register(AdministrativeReview)
class AdministrativeReviewAdmin(CaseAdmin):
    list_filter = ["result"]


@admin.register(Lawsuit)
class LawsuitAdmin(CaseAdmin):
    list_display = [*CaseAdmin.list_display, "after_review"]
    list_filter = ["result", "after_review"]
