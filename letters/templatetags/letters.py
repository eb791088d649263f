from django import template

from accounts.permissions import ISSUE_LETTER, RECORD_FEE, VIEW_LETTER
from letters.models import IssuedLetter

register = template.Library()


@register.inclusion_tag("letters/application_letters.html", takes_context=True)
def application_letters(context, application):
    """The letters block on an application's admin page: every version, and what to do next."""
    user = context["request"].user
    own_office = user.is_superuser or user.organization_id == application.organization_id
    letters = []
    if user.has_perm(VIEW_LETTER):
        letters = list(
            IssuedLetter.objects.filter(application=application)
            .defer("content", "details")
            .select_related("issued_by")
            .order_by("kind", "-version")
        )
    return {
        "application": application,
        "letters": letters,
        "may_view": user.has_perm(VIEW_LETTER),
        "may_issue": own_office and user.has_perm(ISSUE_LETTER),
        "may_record_fee": own_office and user.has_perm(RECORD_FEE),
    }
