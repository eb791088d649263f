import io
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditEvent
from lib.uploads import LEDGER_LIMITS, megabytes
from workdays.calendar import WorkdayCalendar

from .deadlines import DUE_SOON_WORKDAYS, due_soon_until
from .forms import LedgerExportForm, LedgerUploadForm
from .ledger_export import blank_template, export_filename, export_ledger, ledger_applications
from .ledger_import import import_ledger
from .masking import can_export_personal_data
from .models import Application, Organization

HOME_LIST_LENGTH = 20


@login_required
def home(request):
    """The signed-in user's start page: what is due soon, what is overdue, what was just answered."""
    today = timezone.localdate()
    soon_until = due_soon_until(today, WorkdayCalendar())
    organizations = list(Organization.objects.visible_to(request.user))
    applications = Application.objects.visible_to(request.user)
    pending = Q(answered_on__isnull=True)
    counts = applications.aggregate(
        pending=Count("pk", filter=pending),
        answered=Count("pk", filter=~pending),
        due_soon=Count("pk", filter=pending & Q(due_on__gte=today, due_on__lte=soon_until)),
        overdue=Count("pk", filter=pending & Q(due_on__lt=today)),
    )
    listed = applications.select_related("organization")
    context = {
        "today": today,
        "due_soon_days": DUE_SOON_WORKDAYS,
        "soon_until": soon_until,
        "organizations": organizations,
        "several_offices": len(organizations) > 1,
        "pending_count": counts["pending"],
        "answered_count": counts["answered"],
        "due_soon_count": counts["due_soon"],
        "overdue_count": counts["overdue"],
        "due_soon": listed.pending()
        .filter(due_on__gte=today, due_on__lte=soon_until)
        .order_by("due_on", "id")[:HOME_LIST_LENGTH],
        "overdue": listed.overdue(today).order_by("due_on", "id")[:HOME_LIST_LENGTH],
        "recently_answered": listed.answered().order_by("-answered_on", "-id")[:HOME_LIST_LENGTH],
        "recent_pending": listed.pending().order_by("received_on", "id")[:10],
    }
    return render(request, "applications/home.html", context)


# Ledger import, export and template, shown inside the admin (ApplicationAdmin.get_urls). ---

UPLOAD_DIR = "ledger-imports"
UPLOAD_MAX_AGE = 24 * 3600
SESSION_KEY = "ledger_imports"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def upload_path(token):
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{token}.xlsx"


def remove_stale_uploads():
    """Delete uploads nobody confirmed or cancelled within a day."""
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    if not folder.is_dir():
        return
    limit = time.time() - UPLOAD_MAX_AGE
    for path in folder.glob("*.xlsx"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def store_upload(upload):
    """Save an uploaded file under MEDIA_ROOT with a random name; returns the token."""
    remove_stale_uploads()
    token = secrets.token_urlsafe(32)
    path = upload_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token


def forget_upload(request, token):
    upload_path(token).unlink(missing_ok=True)
    pending = request.session.get(SESSION_KEY, {})
    if token in pending:
        del pending[token]
        request.session[SESSION_KEY] = pending


def admin_context(request, model_admin, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Application._meta,
        "title": title,
        "max_upload": megabytes(LEDGER_LIMITS.max_bytes),
        **extra,
    }


def require_import_permission(request, model_admin):
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied


def ledger_import(request, model_admin):
    """Upload a ledger workbook and show what importing it would do (nothing is written yet)."""
    require_import_permission(request, model_admin)
    form = LedgerUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data["organization"]
        upload = form.cleaned_data["file"]
        token = store_upload(upload)
        report = None
        try:
            report = import_ledger(
                upload_path(token),
                organization,
                user=request.user,
                apply=False,
                filename=upload.name,
            )
        finally:
            if report is None:  # an unexpected error: the upload is not kept either
                upload_path(token).unlink(missing_ok=True)
        if report.ok:
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {
                "organization": organization.pk,
                "filename": upload.name,
                "user": request.user.pk,
            }
            request.session[SESSION_KEY] = pending
        else:
            upload_path(token).unlink(missing_ok=True)
            token = None
        context = admin_context(
            request,
            model_admin,
            "导入台账：核对",
            report=report,
            organization=organization,
            filename=upload.name,
            token=token,
            form=LedgerUploadForm(user=request.user),
        )
        return render(request, "admin/applications/application/ledger_import_preview.html", context)
    context = admin_context(request, model_admin, "导入台账", form=form)
    return render(request, "admin/applications/application/ledger_import.html", context)


def ledger_import_confirm(request, model_admin):
    """Apply a previewed upload: check it again and write it in one transaction."""
    require_import_permission(request, model_admin)
    if request.method != "POST":
        return redirect("admin:applications_application_ledger_import")
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {}).get(token) if TOKEN.match(token) else None
    if not pending or pending.get("user") != request.user.pk or not upload_path(token).exists():
        messages.error(request, "这次上传已经失效（已导入、已取消或超过一天），请重新上传台账。")
        return redirect("admin:applications_application_ledger_import")
    organization = get_object_or_404(
        Organization.objects.visible_to(request.user), pk=pending["organization"]
    )
    if "cancel" in request.POST:
        forget_upload(request, token)
        messages.info(request, "已取消导入，没有写入任何数据。")
        return redirect("admin:applications_application_changelist")
    try:
        report = import_ledger(
            upload_path(token),
            organization,
            user=request.user,
            apply=True,
            filename=pending["filename"],
        )
    finally:
        forget_upload(request, token)
    if not report.ok:
        context = admin_context(
            request,
            model_admin,
            "导入台账：未导入",
            report=report,
            organization=organization,
            filename=pending["filename"],
            token=None,
            form=LedgerUploadForm(user=request.user),
        )
        return render(request, "admin/applications/application/ledger_import_preview.html", context)
    record(
        request,
        AuditEvent.Action.LEDGER_IMPORT,
        detail=f"导入 {pending['filename']}：{report.summary()}",
        organization=organization,
    )
    messages.success(
        request, f"已导入“{pending['filename']}”到{organization.name}。{report.summary()}"
    )
    return redirect("admin:applications_application_changelist")


def ledger_export(request, model_admin):
    """Choose an office and year, then download its ledger workbook."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    requested = request.GET.get("organization", "")
    if (
        requested.isdigit()
        and not Organization.objects.visible_to(request.user).filter(pk=requested).exists()
    ):
        raise Http404("没有这个机关，或者您无权查看它的台账。")
    form = LedgerExportForm(request.GET or None, user=request.user)
    if request.GET and form.is_valid():
        organization, year = form.cleaned_data["organization"], form.cleaned_data["year"]
        personal_data = can_export_personal_data(request.user, organization)
        buffer = io.BytesIO()
        export_ledger(organization, year, include_personal_data=personal_data).save(buffer)
        buffer.seek(0)
        count = ledger_applications(organization, year).count()
        record(
            request,
            AuditEvent.Action.LEDGER_EXPORT,
            detail=f"导出{f'{year}年' if year else '全部'}台账，共 {count} 件申请，"
            + (
                "含申请人证件号码和联系电话（完整）"
                if personal_data
                else "证件号码和联系电话已打码"
            ),
            organization=organization,
        )
        return FileResponse(
            buffer, as_attachment=True, filename=export_filename(organization, year)
        )
    context = admin_context(
        request,
        model_admin,
        "导出台账",
        form=form,
        template_url=reverse("admin:applications_application_ledger_template"),
    )
    return render(request, "admin/applications/application/ledger_export.html", context)


def ledger_template(request, model_admin):
    """The blank ledger workbook with headers, a sample row and drop-down lists."""
    if not (model_admin.has_view_permission(request) or model_admin.has_add_permission(request)):
        raise PermissionDenied
    buffer = io.BytesIO()
    blank_template().save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename="政府信息公开申请台账模板.xlsx")
