"""Applicants' personal data: ID numbers and phone numbers.

They are masked (`4103**********1234`, `138****5678`) everywhere except on an
application's own page seen by its own office: in lists, search results, history lists,
to a district looking at an office under it, and in the report. The ledger export carries
them only for users with the explicit permission `applications.export_personal_data`
(see can_export_personal_data), and every such download is logged.
"""

from django.contrib import admin

from accounts.permissions import EXPORT_PERSONAL_DATA
from lib.history import ReadableHistoricalRecordContextHelper

from .choices import outcome_full_label


def _mask(value, keep_start, keep_end):
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if len(text) <= keep_start + keep_end:
        # Too short to show both ends: keep only the last character.
        return "*" * (len(text) - 1) + text[-1:] if len(text) > 2 else "*" * len(text)
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]


def mask_id_number(value):
    """'410302199001011234' -> '4103**********1234' (first 4 and last 4 shown)."""
    return _mask(value, 4, 4)


def mask_phone(value):
    """'13812345678' -> '138****5678' (first 3 and last 4 shown)."""
    return _mask(value, 3, 4)


PERSONAL_DATA_FIELDS = {
    "applicant_id_number": mask_id_number,
    "applicant_phone": mask_phone,
}


def is_own_office(user, organization_id):
    """Personal data is shown in full only to the staff of the office that holds it."""
    return bool(
        user.is_authenticated
        and user.is_active
        and organization_id
        and user.organization_id == organization_id
    )


def can_export_personal_data(user, organization=None):
    """May this user download ID numbers and phones in the ledger export?

    Needs the explicit permission (the group 可导出个人信息), and, when `organization` is
    given, that office must be the user's own: a district never exports the personal data
    of the offices under it.
    """
    if not (user.is_authenticated and user.is_active and user.has_perm(EXPORT_PERSONAL_DATA)):
        return False
    if organization is not None:
        return is_own_office(user, getattr(organization, "pk", organization))
    return True


class MaskingHistoricalRecordContextHelper(ReadableHistoricalRecordContextHelper):
    """History lists show what changed in Chinese, with personal data masked."""

    formatters = {**PERSONAL_DATA_FIELDS, "outcome": outcome_full_label}


class PersonalDataMaskingAdminMixin:
    """For the Application admin: masked columns, and masked fields on the page of an
    application that is not the user's own office's (or on its past versions)."""

    @admin.display(description="证件号码")
    def masked_applicant_id_number(self, obj):
        return mask_id_number(obj.applicant_id_number)

    @admin.display(description="联系电话")
    def masked_applicant_phone(self, obj):
        return mask_phone(obj.applicant_phone)

    def shows_personal_data(self, request, obj):
        # A past version (历史) is history: masked for everyone, like the history list.
        url_name = getattr(getattr(request, "resolver_match", None), "url_name", "") or ""
        if url_name.endswith("_simple_history"):
            return False
        return obj is None or is_own_office(request.user, obj.organization_id)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.shows_personal_data(request, obj):
            return fieldsets

        def swap(field):
            if isinstance(field, (list, tuple)):
                return type(field)(swap(item) for item in field)
            return f"masked_{field}" if field in PERSONAL_DATA_FIELDS else field

        return [
            (name, {**options, "fields": swap(options["fields"])}) for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.shows_personal_data(request, obj):
            readonly += [f"masked_{field}" for field in PERSONAL_DATA_FIELDS]
        return readonly

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskingHistoricalRecordContextHelper(self.model, historical_record)
