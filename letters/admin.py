from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html

from accounts.scoping import OfficeScopedAdminMixin
from applications.choices import OrganizationKind

from . import views
from .forms import LetterTemplateForm
from .kinds import KIND_LABELS, KINDS
from .models import IssuedLetter, LetterSettings, LetterTemplate


@admin.register(LetterSettings)
class LetterSettingsAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    office_path = "organization"
    list_display = ["organization", "review_body", "court", "number_pattern"]
    list_select_related = ["organization"]

    fields = [
        "organization",
        "review_body",
        "court",
        "number_pattern",
        "correction_days",
        "payment_days",
    ]

    def get_changeform_initial_data(self, request):
        """The user's office; as review body, the district government the 街道 sits under
        (a district's 系统管理员 sets up the offices under it: their own government)."""
        initial = super().get_changeform_initial_data(request)
        office = request.user.organization
        if office is not None:
            initial.setdefault("organization", office.pk)
            district = office if office.kind == OrganizationKind.COUNTY else office.parent
            if district is not None:
                initial.setdefault("review_body", district.name)
        return initial


@admin.register(LetterTemplate)
class LetterTemplateAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    office_path = "organization"
    form = LetterTemplateForm
    list_display = ["organization", "kind", "filename", "uploaded_by", "uploaded_at"]
    list_select_related = ["organization", "uploaded_by"]
    list_filter = ["kind"]
    change_form_template = "admin/letters/lettertemplate/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def save_model(self, request, obj, form, change):
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, *args, **kwargs):
        context["placeholder_table"] = views.placeholder_table()
        context["default_links"] = [
            (KIND_LABELS[code], reverse("admin:letters_lettertemplate_default") + f"?kind={code}")
            for code in KINDS
        ]
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self):
        return [
            path(
                "default/",
                self.admin_site.admin_view(self.default_template_view),
                name="letters_lettertemplate_default",
            ),
            *super().get_urls(),
        ]

    def default_template_view(self, request):
        return views.default_template(request, self)


@admin.register(IssuedLetter)
class IssuedLetterAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    """Issued letters, read-only: they are issued from the application's page, never edited."""

    office_path = "application__organization"
    list_display = [
        "number",
        "kind",
        "version",
        "application",
        "letter_date",
        "issued_by",
        "issued_at",
        "download_link",
    ]
    list_select_related = ["application", "issued_by"]
    list_filter = ["kind"]
    search_fields = ["number", "application__number"]
    date_hierarchy = "letter_date"
    fields = [
        "application",
        "kind",
        "version",
        "number",
        "letter_date",
        "addressee",
        "filename",
        "template_source",
        "details",
        "issued_by",
        "issued_at",
        "download_link",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False  # issued from the application's page (出具告知书), never typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="下载")
    def download_link(self, obj):
        url = reverse("admin:letters_issuedletter_download", args=[obj.pk])
        return format_html('<a href="{}">下载</a>', url)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "issue/<int:application_id>/",
                wrap(self.issue_view),
                name="letters_issuedletter_issue",
            ),
            path(
                "fee/<int:application_id>/",
                wrap(self.fee_view),
                name="letters_issuedletter_fee",
            ),
            path(
                "<path:object_id>/download/",
                wrap(self.download_view),
                name="letters_issuedletter_download",
            ),
            *super().get_urls(),
        ]

    def issue_view(self, request, application_id):
        return views.issue(request, self, application_id)

    def fee_view(self, request, application_id):
        return views.fee(request, self, application_id)

    def download_view(self, request, object_id):
        return views.download(request, self, object_id)
