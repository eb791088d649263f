"""Which applications may never be deleted, and the refusal everyone sees.

DELETION_LOCKS is the ONE place that lists the reasons. The admin (single delete and the
bulk "delete selected" action) asks applications_locked_from_deletion() before showing
anything, and a pre_delete guard refuses the deletion on every other route too.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db.models import Exists, OuterRef, Q
from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse

from .models import AdministrativeReview, Application, Lawsuit


def counted_in_signed_off_report():
    """A sign-off of the office for a year in which the application is counted.

    Table 三 counts an application in every year from the one it was received in to the
    one it was answered in (new, carried in, answered or carried out), open ones up to now.
    """
    # reports builds on applications, not the other way round
    from reports.figures.counting import counted_years_between
    from reports.models import ReportSignOff

    return Exists(
        ReportSignOff.objects.filter(
            organization=OuterRef("organization"),
            **counted_years_between(OuterRef("received_on"), OuterRef("answered_on")),
        )
    )


def issued_letter_exists():
    """An issued letter (告知书) is a record given out: its application stays."""
    from letters.models import IssuedLetter  # letters builds on applications

    return Exists(IssuedLetter.objects.filter(application=OuterRef("pk")))


# (reason shown to the user, a boolean expression over Application rows).
DELETION_LOCKS = [
    (
        "已登记行政复议",
        lambda: Exists(AdministrativeReview.objects.filter(application=OuterRef("pk"))),
    ),
    ("已登记行政诉讼", lambda: Exists(Lawsuit.objects.filter(application=OuterRef("pk")))),
    ("已计入已定稿的年度报告", counted_in_signed_off_report),
    ("已出具告知书", issued_letter_exists),
]


def applications_locked_from_deletion(queryset):
    """[(application, [reasons])] for the applications in `queryset` that must be kept.

    One query whatever the number of applications.
    """
    annotations = {
        f"deletion_lock_{index}": make() for index, (_, make) in enumerate(DELETION_LOCKS)
    }
    if not annotations:
        return []
    any_lock = Q()
    for name in annotations:
        any_lock |= Q(**{name: True})
    locked = (
        queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
        .annotate(**annotations)
        .filter(any_lock)
    )
    return [
        (
            application,
            [
                reason
                for index, (reason, _) in enumerate(DELETION_LOCKS)
                if getattr(application, f"deletion_lock_{index}")
            ],
        )
        for application in locked.order_by("received_on", "id")
    ]


def deletion_refusal_message(locked):
    items = "；".join(
        f"{application.number}（{'、'.join(reasons)}）" for application, reasons in locked
    )
    return (
        f"不能删除：{items}。"
        "已登记行政复议、行政诉讼，已出具告知书或已计入定稿年度报告的申请必须保留在台账中。"
        "如果登记有误，请修改该申请并在“备注”中说明，不要删除。"
    )


class ApplicationDeletionRefused(ProtectedError):
    pass


@receiver(pre_delete, sender=Application, dispatch_uid="refuse_locked_application_deletion")
def refuse_locked_deletion(sender, instance, **kwargs):
    locked = applications_locked_from_deletion(Application.objects.filter(pk=instance.pk))
    if locked:
        raise ApplicationDeletionRefused(deletion_refusal_message(locked), [instance])


class RefuseLockedDeletionAdminMixin:
    """Admin side of the rule: a clear Chinese refusal instead of a confirmation page."""

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_delete_permission(request, obj):
            locked = applications_locked_from_deletion(
                self.model._default_manager.filter(pk=obj.pk)
            )
            if locked:
                self.message_user(request, deletion_refusal_message(locked), messages.ERROR)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(
                        f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                        args=[obj.pk],
                    )
                )
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (self._refusing_locked(func), name, description)
        return actions

    @staticmethod
    def _refusing_locked(delete_selected):
        @wraps(delete_selected)
        def action(modeladmin, request, queryset):
            locked = applications_locked_from_deletion(queryset)
            if locked:
                modeladmin.message_user(request, deletion_refusal_message(locked), messages.ERROR)
                return None
            return delete_selected(modeladmin, request, queryset)

        return action
