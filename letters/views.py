"""The letter screens, reached from the application's page in the admin.

Access is one helper at the top: the application must be one the user may see (else
404, as for any other office's record), then the permission is checked (else 403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from accounts import audit
from accounts.models import AuditEvent
from accounts.permissions import ISSUE_LETTER, RECORD_FEE, VIEW_LETTER
from accounts.scoping import NOT_FOUND_MESSAGE
from applications.models import Application

from .defaults import default_template_bytes
from .fees import compute_fee
from .forms import FeeForm, LetterDetailsForm
from .issuing import LetterRefused, issue_letter, kinds_for, latest_fee, problems_for, record_fee
from .kinds import KIND_LABELS, KINDS
from .models import LetterSettings
from .rendering import placeholder_help

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def application_for(request, application_id, permission):
    """The application if the user may see it (404 otherwise) and holds `permission` (403)."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("organization"),
        pk=application_id,
    )
    if not request.user.has_perm(permission):
        raise PermissionDenied
    if permission != VIEW_LETTER and not (
        request.user.is_superuser or request.user.organization_id == application.organization_id
    ):
        raise PermissionDenied  # only the office's own clerks issue its letters
    return application


def application_url(application):
    return reverse("admin:applications_application_change", args=[application.pk])


def issue(request, model_admin, application_id):
    application = application_for(request, application_id, ISSUE_LETTER)
    letter_settings = LetterSettings.objects.filter(organization=application.organization).first()
    offered = kinds_for(application)
    code = request.POST.get("kind") or request.GET.get("kind") or offered[0].code
    kind = next((k for k in offered if k.code == code), None)
    if kind is None:
        raise Http404("这件申请没有这一种告知书。")
    problems = problems_for(kind, application, letter_settings)
    form = LetterDetailsForm(kind, application, request.POST or None)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            letter = issue_letter(application, kind, request.user, form.cleaned_data)
        except LetterRefused as refused:
            problems = refused.problems
        else:
            audit.record(
                request,
                AuditEvent.Action.LETTER_ISSUE,
                f"{letter.number}　{letter.kind_label}　第{letter.version}版（申请{application.number}）",
                organization=application.organization_id,
            )
            messages.success(
                request, f"已出具{letter.kind_label}（{letter.number}，第{letter.version}版）。"
            )
            return redirect(application_url(application))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Application._meta,
        "title": f"出具告知书：{application.number}",
        "application": application,
        "application_url": application_url(application),
        "kinds": [(k, KIND_LABELS[k.code], k.code == kind.code) for k in offered],
        "kind": kind,
        "kind_label": KIND_LABELS[kind.code],
        "article": kind.article_for({}),
        "problems": problems,
        "form": form,
    }
    return TemplateResponse(request, "admin/letters/issue.html", context)


def fee(request, model_admin, application_id):
    application = application_for(request, application_id, RECORD_FEE)
    form = FeeForm(request.POST or None)
    computation = None
    if request.method == "POST" and form.is_valid():
        computation = compute_fee(
            application, form.cleaned_data["method"], form.cleaned_data["pages"]
        )
        if "record" in request.POST:
            assessment = record_fee(application, computation, request.user)
            audit.record(
                request,
                AuditEvent.Action.FEE_RECORD,
                f"申请{application.number}：{assessment.get_method_display()}，{assessment.amount}元",
                organization=application.organization_id,
            )
            messages.success(
                request,
                f"已记录信息处理费{assessment.amount}元（{assessment.get_method_display()}）。",
            )
            return redirect(application_url(application))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Application._meta,
        "title": f"计算信息处理费：{application.number}",
        "application": application,
        "application_url": application_url(application),
        "form": form,
        "computation": computation,
        "latest": latest_fee(application),
    }
    return TemplateResponse(request, "admin/letters/fee.html", context)


def download(request, model_admin, object_id):
    letter = model_admin.get_object(request, object_id)  # 404 outside the user's offices
    if not model_admin.has_view_permission(request, letter):
        raise PermissionDenied
    audit.record(
        request,
        AuditEvent.Action.LETTER_DOWNLOAD,
        f"{letter.number}　{letter.kind_label}　第{letter.version}版",
        organization=letter.application.organization_id,
    )
    response = HttpResponse(bytes(letter.content), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, letter.filename)
    return response


def default_template(request, model_admin):
    """The default .docx of a kind (?kind=), for an office to edit and upload as its own."""
    kind = KINDS.get(request.GET.get("kind", ""))
    if kind is None or not model_admin.has_view_permission(request):
        raise Http404(NOT_FOUND_MESSAGE)
    response = HttpResponse(default_template_bytes(kind.code), content_type=DOCX)
    filename = f"默认模板-{KIND_LABELS[kind.code]}.docx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def placeholder_table():
    """For the upload page: each kind's placeholders and what they hold."""
    return [(KIND_LABELS[code], placeholder_help(kind)) for code, kind in KINDS.items()]
