import io
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditEvent
from jobs.models import Job, job_token
from jobs.outputs import OUTPUT_MAX_AGE, output_exists, output_path
from lib.uploads import LEDGER_LIMITS, megabytes
from workdays.calendar import WorkdayCalendar

from .deadlines import DUE_SOON_WORKDAYS, due_soon_until
from .forms import LedgerExportForm, LedgerUploadForm
from .jobs import (
    as_problems,
    awaiting_confirmation,
    cancel_preview,
    export_detail,
    start_export,
    start_import,
    start_preview,
)
from .ledger_export import blank_template
from .masking import can_export_personal_data
from .models import Application, Organization

HOME_LIST_LENGTH = 20
RECENT_JOBS = 20
TOKEN = re.compile(r"^[0-9a-f]{32}$")
IMPORT_KINDS = [Job.Kind.LEDGER_PREVIEW, Job.Kind.LEDGER_IMPORT]
EXPORT_KINDS = [Job.Kind.LEDGER_EXPORT]


@login_required
def home(request):
    """The signed-in user's start page: what is due soon, what is overdue, what was just answered."""
    today = timezone.localdate()
    soon_until = due_soon_until(today, WorkdayCalendar())
    # The offices by id, not as a subquery: the lists then walk their date indexes and
    # test each row's office against the list (a district has a thousand offices).
    office_ids = list(Organization.objects.visible_to(request.user).values_list("pk", flat=True))
    applications = Application.objects.filter(organization__in=office_ids)
    # The open applications are few and a partial index holds them: counted over its
    # columns (not the id) it is read alone; a row due soon or overdue has a due date, so
    # COUNT(due_on) counts every one. The answered ones are all the rest.
    counts = applications.pending().aggregate(
        pending=Count("*"),
        due_soon=Count("due_on", filter=Q(due_on__gte=today, due_on__lte=soon_until)),
        overdue=Count("due_on", filter=Q(due_on__lt=today)),
    )
    listed = applications.select_related("organization")
    context = {
        "today": today,
        "due_soon_days": DUE_SOON_WORKDAYS,
        "soon_until": soon_until,
        "has_office": bool(office_ids),
        "several_offices": len(office_ids) > 1,
        "pending_count": counts["pending"],
        "answered_count": applications.count() - counts["pending"],
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
# The import runs in the task worker (applications/jobs.py): the upload page queues the
# check and shows its progress; the user confirms a clean check, which queues the import.


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


def recent_ledger_jobs(user, kinds=IMPORT_KINDS):
    return (
        Job.objects.filter(user=user, kind__in=kinds)
        .select_related("organization")
        .order_by("-created_at")[:RECENT_JOBS]
    )


def ledger_import(request, model_admin):
    """Upload a ledger workbook; its check is queued and its page shows the progress."""
    require_import_permission(request, model_admin)
    form = LedgerUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = start_preview(
            form.cleaned_data["file"], form.cleaned_data["organization"], request.user
        )
        return redirect("admin:applications_application_ledger_job", job.pk)
    context = admin_context(
        request, model_admin, "导入台账", form=form, jobs=recent_ledger_jobs(request.user)
    )
    return render(request, "admin/applications/application/ledger_import.html", context)


def own_job(request, job_id, kinds=IMPORT_KINDS):
    job = get_object_or_404(
        Job.objects.visible_to(request.user).select_related("organization"),
        pk=job_id,
        kind__in=kinds,
    )
    job.fail_if_dead()
    return job


def ledger_job(request, model_admin, job_id):
    """A check or an import: its progress while it runs, its result (kept) when it ends."""
    job = own_job(request, job_id)  # another user's job is not found, whatever one's rights
    require_import_permission(request, model_admin)
    counts = job.result.get("counts", {})
    title = "导入台账：核对" if job.kind == Job.Kind.LEDGER_PREVIEW else "导入台账：写入"
    if job.finished and job.errors:
        title = "导入台账：未导入"
    context = admin_context(
        request,
        model_admin,
        title,
        job=job,
        errors=as_problems(job.errors),
        warnings=as_problems(job.warnings),
        counts=counts,
        token=job_token(job.pk) if awaiting_confirmation(job) else None,
        form=LedgerUploadForm(user=request.user),
    )
    return render(request, "admin/applications/application/ledger_job.html", context)


def ledger_job_status(request, model_admin, job_id):
    """The progress bar's data, polled by static/js/job-progress.js."""
    job = own_job(request, job_id)
    require_import_permission(request, model_admin)
    return JsonResponse(job.progress_state())


def ledger_import_confirm(request, model_admin):
    """Queue the import of a checked upload, or cancel it."""
    require_import_permission(request, model_admin)
    if request.method != "POST":
        return redirect("admin:applications_application_ledger_import")
    token = request.POST.get("token", "")
    preview = None
    if TOKEN.match(token):
        preview = (
            Job.objects.filter(pk=token, user=request.user, kind=Job.Kind.LEDGER_PREVIEW)
            .select_related("organization")
            .first()
        )
    if preview is None or not awaiting_confirmation(preview):
        messages.error(request, "这次上传已经失效（已导入、已取消或超过一天），请重新上传台账。")
        return redirect("admin:applications_application_ledger_import")
    if (
        not Organization.objects.visible_to(request.user)
        .filter(pk=preview.organization_id)
        .exists()
    ):
        raise Http404("没有这个机关，或者您无权导入它的台账。")
    if "cancel" in request.POST:
        cancel_preview(preview)
        messages.info(request, "已取消导入，没有写入任何数据。")
        return redirect("admin:applications_application_changelist")
    job = start_import(preview, request.user)
    job.refresh_from_db()
    if job.ok:  # already done (a quick import, or tasks running in the request)
        messages.success(
            request, f"已导入“{job.filename}”到{preview.organization.name}。{job.summary}"
        )
        return redirect("admin:applications_application_changelist")
    return redirect("admin:applications_application_ledger_job", job.pk)


def require_export_permission(request, model_admin):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def ledger_export(request, model_admin):
    """Choose an office and year; the export is queued and its page shows the progress."""
    require_export_permission(request, model_admin)
    data = request.POST if request.method == "POST" else None
    requested = data.get("organization", "") if data else ""
    if (
        requested.isdigit()
        and not Organization.objects.visible_to(request.user).filter(pk=requested).exists()
    ):
        raise Http404("没有这个机关，或者您无权查看它的台账。")
    form = LedgerExportForm(data, user=request.user)
    if data is not None and form.is_valid():
        job = start_export(
            form.cleaned_data["organization"], form.cleaned_data["year"], request.user
        )
        return redirect("admin:applications_application_ledger_export_job", job.pk)
    context = admin_context(
        request,
        model_admin,
        "导出台账",
        form=form,
        template_url=reverse("admin:applications_application_ledger_template"),
        jobs=recent_ledger_jobs(request.user, EXPORT_KINDS),
    )
    return render(request, "admin/applications/application/ledger_export.html", context)


def own_export(request, model_admin, job_id):
    """The user's export job (another user's is not found), of an office they still see."""
    job = own_job(request, job_id, EXPORT_KINDS)
    require_export_permission(request, model_admin)
    if not Organization.objects.visible_to(request.user).filter(pk=job.organization_id).exists():
        raise Http404("没有这个机关，或者您无权查看它的台账。")
    return job


def ledger_export_job(request, model_admin, job_id):
    """An export: its progress while it runs, its download (kept a week) when it is done."""
    job = own_export(request, model_admin, job_id)
    title = "导出台账：未完成" if job.finished and job.errors else "导出台账"
    context = admin_context(
        request,
        model_admin,
        title,
        job=job,
        year=job.params.get("year"),
        ready=job.ok and output_exists(job),
        errors=job.errors,
        keep_days=OUTPUT_MAX_AGE // (24 * 3600),
    )
    return render(request, "admin/applications/application/ledger_export_job.html", context)


def ledger_export_job_status(request, model_admin, job_id):
    """The progress bar's data, polled by static/js/job-progress.js."""
    job = own_export(request, model_admin, job_id)
    return JsonResponse(job.progress_state())


def ledger_export_download(request, model_admin, job_id):
    """The exported workbook; back to the job's page while it is not (or no longer) there."""
    job = own_export(request, model_admin, job_id)
    page = redirect("admin:applications_application_ledger_export_job", job.pk)
    if not job.ok:
        return page
    if not output_exists(job):
        messages.error(request, "导出的文件已超过保存期限被删除，请重新导出。")
        return page
    if job.params.get("personal_data") and not can_export_personal_data(
        request.user, job.organization
    ):
        raise PermissionDenied(
            "这份台账含有完整的证件号码和联系电话，您没有导出个人信息的权限。"
            "请重新导出（证件号码和联系电话将打码），或联系系统管理员。"
        )
    record(
        request,
        AuditEvent.Action.LEDGER_EXPORT,
        detail=export_detail(job),
        organization=job.organization,
    )
    return FileResponse(output_path(job.pk).open("rb"), as_attachment=True, filename=job.filename)


def ledger_template(request, model_admin):
    """The blank ledger workbook with headers, a sample row and drop-down lists."""
    if not (model_admin.has_view_permission(request) or model_admin.has_add_permission(request)):
        raise PermissionDenied
    buffer = io.BytesIO()
    blank_template().save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename="政府信息公开申请台账模板.xlsx")
