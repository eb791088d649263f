from django import forms
from django.core.exceptions import ValidationError

from .models import LAWSUIT_AFTER_REVIEW_MESSAGE


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
            if form.cleaned_data.get("after_review") and not has_review:
                form.add_error("after_review", LAWSUIT_AFTER_REVIEW_MESSAGE)
                raise ValidationError("行政诉讼中有一条勾选了“经复议后起诉”，但该申请没有登记行政复议。")
