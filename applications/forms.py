from django import forms
from django.core.exceptions import ValidationError

from lib.uploads import LEDGER_LIMITS, megabytes, too_big

from . import rules
from .models import Application, Organization


def reviews_in_submission(data, prefix="reviews"):
    """How many reviews the same admin submission keeps or adds (filled in, not marked for deletion)."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return 0
    return sum(
        1
        for index in range(total)
        if data.get(f"{prefix}-{index}-filed_on") and not data.get(f"{prefix}-{index}-DELETE")
    )


class LawsuitInlineFormSet(forms.BaseInlineFormSet):
    """A lawsuit marked 经复议后起诉 needs a review of the same application.

    The review may be added in the same submission (reviews are saved first), so the
    check looks at the submitted review forms rather than the database alone.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        has_review = reviews_in_submission(self.data) > 0
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            violations = rules.lawsuit_after_review_needs_review(
                bool(form.cleaned_data.get("after_review")), has_review
            )
            for violation in violations:
                form.add_error(violation.field, violation.message)
                raise ValidationError(violation.message)


class OrganizationChoiceMixin:
    """An office field limited to the offices the user may see, preset when there is only one."""

    def limit_organizations(self, user):
        organizations = Organization.objects.visible_to(user)
        field = self.fields["organization"]
        field.queryset = organizations
        if user.organization_id:
            field.initial = user.organization_id


class LedgerUploadForm(OrganizationChoiceMixin, forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label="导入到机关")
    file = forms.FileField(
        label="台账工作簿",
        help_text=f"Excel 工作簿（.xlsx），不超过 {megabytes(LEDGER_LIMITS.max_bytes)}；工作表：申请登记（必需）、行政复议、行政诉讼。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organizations(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > LEDGER_LIMITS.max_bytes:
            raise ValidationError(too_big(upload.size, LEDGER_LIMITS))
        return upload


class LedgerExportForm(OrganizationChoiceMixin, forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label="机关")
    year = forms.TypedChoiceField(label="收到年份", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_organizations(user)
        years = Application.objects.visible_to(user).dates("received_on", "year", order="DESC")
        self.fields["year"].choices = [
            ("", "全部年份"),
            *((day.year, f"{day.year}年") for day in years),
        ]
