from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.models import AuditEvent
from accounts.permissions import (
    ACCEPT_SUBMITTED_REPORT,
    DOWNLOAD_REPORT,
    SIGN_OFF_REPORT,
    VIEW_SUBORDINATE_OFFICES,
)
from applications.models import Application, Organization
from jobs.models import Job
from jobs.outputs import OUTPUT_MAX_AGE, output_exists, output_path

from . import intake, signoff
from .figures import district as districts
from .figures.checks import CheckResult
from .figures.indicators import HEADERS as INDICATOR_HEADERS
from .figures.indicators import board_indicators
from .figures.tables import SECTION_TITLES, AnnualReport, annual_report, paragraphs
from .forms import AnnualFiguresForm, IntakeForm, ReportChoiceForm, ReportNarrativeForm
from .intake.jobs import pending_submission, refused_preview, start_intake
from .models import (
    FIRST_YEAR,
    AnnualFigures,
    ReportNarrative,
    ReportSignOff,
    SubmittedReport,
    document_filename,
    overview,
    workbook_filename,
)
from .outputs.grid import report_grids
from .tasks import start_rollup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECENT_INTAKES = 10


def _office_and_year(request, organization_id, year):
    """The office, if this user may see it, and a year that can have a report; else 404."""
    organization = get_object_or_404(
        Organization.objects.visible_to(request.user), pk=organization_id
    )
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404("没有这一年度的报告。")
    return organization


def _selector(request, organizations, organization=None, year=None):
    years = signoff.report_years(organizations)
    default_year = year or (years[1] if len(years) > 1 else years[0])
    initial = {
        "organization": organization.pk if organization else request.user.organization_id,
        "year": default_year,
    }
    return ReportChoiceForm(organizations=organizations, years=years, initial=initial), years


def _xlsx_response(content, filename, content_type=XLSX):
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _require_download_permission(request):
    if not request.user.has_perm(DOWNLOAD_REPORT):
        raise PermissionDenied(
            "您没有下载年度报告（工作簿、Word文档）的权限；报告由审核人下载报送，请联系本单位审核人。"
        )


def _docx_response(content, filename):
    return _xlsx_response(content, filename, DOCX)


def district_data_years(district, visible):
    """Years in which the district or an office under it has applications or a submitted
    workbook, newest first; the last finished year when there is none yet."""
    offices = visible.filter(Q(pk=district.pk) | Q(parent=district))
    years = {
        day.year
        for day in Application.objects.filter(organization__in=offices).dates("received_on", "year")
    }
    years |= set(
        SubmittedReport.objects.filter(organization__in=offices).values_list("year", flat=True)
    )
    years = {year for year in years if FIRST_YEAR <= year <= timezone.localdate().year}
    return sorted(years, reverse=True) or [timezone.localdate().year - 1]


@login_required
def index(request):
    """Pick an office and a year; see which reports are signed off."""
    organizations = Organization.objects.visible_to(request.user)
    if "organization" in request.GET:
        years = signoff.report_years(organizations)
        form = ReportChoiceForm(request.GET, organizations=organizations, years=years)
        if form.is_valid():
            chosen, year = form.cleaned_data["organization"], form.cleaned_data["year"]
            # A district's report is its rollup: the board of its offices (issue 16).
            if organizations.filter(parent=chosen).exists():
                return redirect("reports:district", chosen.pk, year)
            return redirect("reports:report", chosen.pk, year)
    else:
        form, years = _selector(request, organizations)
    status_years = years[:10]
    latest = {
        (row["organization_id"], row["year"]): row["latest"]
        for row in ReportSignOff.objects.visible_to(request.user)
        .filter(year__in=status_years)
        .values("organization_id", "year")
        .annotate(latest=Max("version"))
        .order_by()
    }
    offices = [
        (office, [(year, latest.get((office.pk, year))) for year in status_years])
        for office in organizations.order_by("name")
    ]
    district_list = organizations.filter(children__in=organizations).distinct().order_by("name")
    context = {
        "form": form,
        "offices": offices,
        "status_years": status_years,
        "districts": [
            (district, district_data_years(district, organizations)) for district in district_list
        ],
    }
    return render(request, "reports/index.html", context)


@login_required
def report(request, organization_id, year):
    """The whole report; the latest signed-off version where there is one (?live=1: as the ledger stands)."""
    organization = _office_and_year(request, organization_id, year)
    latest = signoff.latest_sign_off(organization, year)
    show_live = latest is None or request.GET.get("live") == "1"
    if show_live:
        contents = signoff.current_contents(organization, year)
        current_report = contents.report
    else:
        contents = signoff.signed_contents(latest)
        current_report = annual_report(organization, year)
    drift = signoff.ledger_drift(latest, current_report) if latest else None
    versions = (
        ReportSignOff.objects.filter(organization=organization, year=year)
        .defer("workbook", "document")
        .select_related("signed_by")
        .order_by("-version")
    )
    form, _ = _selector(request, Organization.objects.visible_to(request.user), organization, year)
    narrative = contents.narrative
    context = {
        "organization": organization,
        "year": year,
        "contents": contents,
        "grids": report_grids(contents.report),
        "opening": paragraphs(overview(narrative)[0]),
        "overview": [(lead_in, paragraphs(text)) for lead_in, text in overview(narrative)[1]],
        "problems": paragraphs(narrative.get("problems")),
        "other_matters": paragraphs(narrative.get("other_matters")),
        "sections": SECTION_TITLES,
        "latest": latest,
        "show_live": show_live,
        "drift": drift,
        "versions": versions,
        "can_sign_off": request.user.has_perm(SIGN_OFF_REPORT),
        "can_download": request.user.has_perm(DOWNLOAD_REPORT),
        "can_edit": can_edit_report(request.user),
        "year_ended": year < timezone.localdate().year,
        "form": form,
        "charts": signoff.contents_charts(contents, live=show_live).svg_charts(),
        # The district's own office (no query: permissions are already loaded).
        "is_district": organization.pk == request.user.organization_id
        and request.user.has_perm(VIEW_SUBORDINATE_OFFICES),
    }
    return render(request, "reports/report.html", context)


@login_required
def workbook(request, organization_id, year):
    """The workbook as the ledger stands now (not signed off)."""
    organization = _office_and_year(request, organization_id, year)
    _require_download_permission(request)
    contents = signoff.current_contents(organization, year)
    content = signoff.current_workbook(contents)
    audit.record(
        request,
        AuditEvent.Action.REPORT_DOWNLOAD,
        detail=f"{year}年度报告工作簿（按当前台账生成，未定稿）",
        organization=organization,
    )
    return _xlsx_response(content, workbook_filename(organization, year))


@login_required
def signed_workbook(request, organization_id, year, version):
    """The exact workbook stored with a signed-off version."""
    organization = _office_and_year(request, organization_id, year)
    _require_download_permission(request)
    sign_off = get_object_or_404(
        ReportSignOff, organization=organization, year=year, version=version
    )
    audit.record(
        request,
        AuditEvent.Action.REPORT_DOWNLOAD,
        detail=f"{year}年度报告定稿第{version}版工作簿",
        organization=organization,
    )
    return _xlsx_response(sign_off.workbook, sign_off.filename)


@login_required
def document(request, organization_id, year):
    """The Word document as the ledger stands now (not signed off)."""
    organization = _office_and_year(request, organization_id, year)
    _require_download_permission(request)
    contents = signoff.current_contents(organization, year)
    content = signoff.current_document(contents)
    audit.record(
        request,
        AuditEvent.Action.REPORT_DOWNLOAD,
        detail=f"{year}年度报告Word文档（按当前台账生成，未定稿）",
        organization=organization,
    )
    return _docx_response(content, document_filename(organization, year))


@login_required
def signed_document(request, organization_id, year, version):
    """The Word document stored with a signed-off version."""
    organization = _office_and_year(request, organization_id, year)
    _require_download_permission(request)
    sign_off = get_object_or_404(
        ReportSignOff.objects.select_related("organization", "signed_by"),
        organization=organization,
        year=year,
        version=version,
    )
    audit.record(
        request,
        AuditEvent.Action.REPORT_DOWNLOAD,
        detail=f"{year}年度报告定稿第{version}版Word文档",
        organization=organization,
    )
    return _docx_response(
        signoff.signed_document(sign_off), document_filename(organization, year, version)
    )


# --- Issue 16: the report's text and table 二's figures, edited from the report page -------

# The same permissions as the admin's 年度报告文字部分 and 主动公开年度数据.
EDIT_REPORT_PERMISSIONS = [
    "reports.add_reportnarrative",
    "reports.change_reportnarrative",
    "reports.add_annualfigures",
    "reports.change_annualfigures",
]


def can_edit_report(user):
    return user.has_perms(EDIT_REPORT_PERMISSIONS)


@login_required
def report_edit(request, organization_id, year):
    """Edit the report's text (一、五、六) and table 二's figures of one office and year."""
    organization = _office_and_year(request, organization_id, year)
    if not can_edit_report(request.user):
        raise PermissionDenied("您没有填写年度报告文字和数据的权限，请联系本单位审核人。")
    key = {"organization": organization, "year": year}
    narrative = ReportNarrative.objects.filter(**key).first() or ReportNarrative(**key)
    figures = AnnualFigures.objects.filter(**key).first() or AnnualFigures(**key)
    data = request.POST if request.method == "POST" else None
    narrative_form = ReportNarrativeForm(data, instance=narrative, prefix="narrative")
    figures_form = AnnualFiguresForm(data, instance=figures, prefix="figures")
    if data is not None and narrative_form.is_valid() and figures_form.is_valid():
        narrative_form.save()
        figures_form.save()
        messages.success(request, f"已保存{organization.name}{year}年度报告的文字和表二数据。")
        return redirect("reports:report", organization.pk, year)
    context = {
        "organization": organization,
        "year": year,
        "narrative_form": narrative_form,
        "figures_form": figures_form,
    }
    return render(request, "reports/report_edit.html", context)


# --- Issue 16: confirmation before 定稿 ----------------------------------------------------


@login_required
def sign_off_confirm(request, organization_id, year):
    """The step before 定稿: the checks' verdict on the report as the ledger stands, then confirm."""
    organization = _office_and_year(request, organization_id, year)
    if not request.user.has_perm(SIGN_OFF_REPORT):
        raise PermissionDenied("您没有年度报告定稿的权限，请联系审核人。")
    if year >= timezone.localdate().year:
        messages.error(request, f"{year}年度还没有结束，不能定稿；请在年度结束后再定稿。")
        return redirect("reports:report", organization.pk, year)
    latest = signoff.latest_sign_off(organization, year)
    context = {
        "organization": organization,
        "year": year,
        "contents": signoff.current_contents(organization, year),
        "next_version": latest.version + 1 if latest else 1,
    }
    return render(request, "reports/sign_off_confirm.html", context)


# -------------------------------------------------------------------------------------------


@login_required
@require_POST
def sign_off(request, organization_id, year):
    """Sign off the report as the ledger stands now, as a new version."""
    organization = _office_and_year(request, organization_id, year)
    if not request.user.has_perm(SIGN_OFF_REPORT):
        raise PermissionDenied("您没有年度报告定稿的权限，请联系审核人。")
    if year >= timezone.localdate().year:
        messages.error(request, f"{year}年度还没有结束，不能定稿；请在年度结束后再定稿。")
        return redirect("reports:report", organization.pk, year)
    version = signoff.sign_off(organization, year, request.user)
    audit.record(
        request,
        AuditEvent.Action.REPORT_SIGN_OFF,
        detail=f"{year}年度报告定稿第{version.version}版",
        organization=organization,
    )
    messages.success(request, f"{organization.name}{year}年度报告已定稿（第{version.version}版）。")
    return redirect("reports:report", organization.pk, year)


# --- District: rollup, status board, intake ----------------------------------------------


def _district_and_year(request, district_id, year):
    """The district, if this user sees it and offices under it, with those offices; else 404."""
    visible = Organization.objects.visible_to(request.user)
    district = get_object_or_404(visible, pk=district_id)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404("没有这一年度的报告。")
    offices = districts.district_offices(district, visible)
    if not offices:
        raise Http404("该机关没有您可以查看的下级机关。")
    return district, offices


def _sort_links(sort):
    """For each sortable column: the ?sort= value its header links to, and its aria-sort."""
    links = {}
    for key in districts.SORT_KEYS:
        if sort == key:
            links[key] = (f"-{key}", "ascending")
        elif sort == f"-{key}":
            links[key] = (key, "descending")
        else:
            links[key] = (key, "none")
    return links


@login_required
def district_board(request, district_id, year):
    """Status board of a district's offices for the year, the summed tables and the charts."""
    district, offices = _district_and_year(request, district_id, year)
    result = districts.rollup(district, year, offices)
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in districts.SORT_KEYS:
        sort = "name"
    charts = districts.rollup_charts(result)
    context = {
        "district": district,
        "year": year,
        "rollup": result,
        "rows": result.sorted_rows(sort),
        "sort": sort,
        "sort_links": _sort_links(sort),
        "grids": report_grids(result.report),
        "sections": SECTION_TITLES,
        "charts": charts.svg_charts(),
        "notes": charts.notes,
        "can_intake": request.user.has_perm(ACCEPT_SUBMITTED_REPORT),
        "rollup_jobs": recent_rollups(request.user, district, year),
        "indicators": board_indicators(result),
        "indicator_headers": INDICATOR_HEADERS,
        "years": signoff.report_years(
            Organization.objects.filter(pk__in=[district.pk, *(office.pk for office in offices)])
        ),
    }
    return render(request, "reports/district.html", context)


RECENT_ROLLUPS = 5


def recent_rollups(user, district, year):
    return Job.objects.filter(
        user=user, kind=Job.Kind.ROLLUP_WORKBOOK, organization=district, params__year=year
    ).order_by("-created_at")[:RECENT_ROLLUPS]


@login_required
@require_POST
def district_workbook(request, district_id, year):
    """Queue the rollup workbook (汇总, one sheet per office, 报送情况, 指标, 图表); its page
    shows the progress and then offers the download."""
    district, _offices = _district_and_year(request, district_id, year)
    _require_download_permission(request)
    job = start_rollup(district, year, request.user)
    return redirect("reports:rollup_job", job.pk)


def _rollup_job(request, job_id):
    """The user's rollup job (another user's is not found), of a district they still see,
    with the same permission as the synchronous download had."""
    job = get_object_or_404(
        Job.objects.visible_to(request.user).select_related("organization"),
        pk=job_id,
        kind=Job.Kind.ROLLUP_WORKBOOK,
    )
    _district_and_year(request, job.organization_id, job.params.get("year", 0))
    _require_download_permission(request)
    job.fail_if_dead()
    return job


@login_required
def rollup_job(request, job_id):
    """A rollup workbook being made: its progress, then its download (kept a week)."""
    job = _rollup_job(request, job_id)
    context = {
        "job": job,
        "district": job.organization,
        "year": job.params["year"],
        "ready": job.ok and output_exists(job),
        "keep_days": OUTPUT_MAX_AGE // (24 * 3600),
    }
    return render(request, "reports/rollup_job.html", context)


@login_required
def rollup_job_status(request, job_id):
    """The progress bar's data, polled by static/js/job-progress.js."""
    return JsonResponse(_rollup_job(request, job_id).progress_state())


@login_required
def rollup_download(request, job_id):
    """The finished workbook; back to the job's page while it is not (or no longer) there."""
    job = _rollup_job(request, job_id)
    if not job.ok or not output_exists(job):
        if job.ok:
            messages.error(request, "汇总工作簿已超过保存期限被删除，请回到报送情况页面重新生成。")
        return redirect("reports:rollup_job", job.pk)
    audit.record(
        request,
        AuditEvent.Action.REPORT_DOWNLOAD,
        detail=f"{job.params['year']}年度报告汇总工作簿",
        organization=job.organization,
    )
    return FileResponse(
        output_path(job.pk).open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX
    )


def _intake_allowed(request):
    if not request.user.has_perm(ACCEPT_SUBMITTED_REPORT):
        raise PermissionDenied("您没有接收下级机关报送工作簿的权限，请联系系统管理员。")


def _preview_context(result):
    report = result.report
    return {
        "preview": result,
        "grids": report_grids(report) if report else [],
        "sections": SECTION_TITLES,
    }


def _intake_form(request, district, data=None, files=None):
    children = (
        Organization.objects.visible_to(request.user).filter(parent=district).order_by("name")
    )
    initial = {"organization": request.GET.get("office")}
    return IntakeForm(data, files, offices=children, initial=initial)


def _intake_context(request, district, year, form, **extra):
    recent = (
        Job.objects.filter(
            user=request.user,
            kind=Job.Kind.DISTRICT_INTAKE,
            params__district=district.pk,
            params__year=year,
        )
        .select_related("organization")
        .order_by("-created_at")[:RECENT_INTAKES]
    )
    return {"district": district, "year": year, "form": form, "recent": recent, **extra}


@login_required
def intake_upload(request, district_id, year):
    """Upload an office's workbook: it is stored and read in the background (its page shows
    the progress), then shown before it is accepted."""
    district, offices = _district_and_year(request, district_id, year)
    _intake_allowed(request)
    if request.method == "POST":
        form = _intake_form(request, district, request.POST, request.FILES)
        if form.is_valid():
            job = start_intake(
                form.cleaned_data["organization"],
                district,
                year,
                form.cleaned_data["data"],
                form.cleaned_data["workbook"].name,
                request.user,
            )
            return redirect("reports:intake_job", district.pk, year, job.pk)
    else:
        form = _intake_form(request, district)
    return render(request, "reports/intake.html", _intake_context(request, district, year, form))


def _intake_job(request, district_id, year, job_id):
    """The user's own intake job for this district and year (else 404), marked failed if
    its worker died."""
    district, _ = _district_and_year(request, district_id, year)
    _intake_allowed(request)
    job = get_object_or_404(
        Job.objects.visible_to(request.user).select_related("organization"),
        pk=job_id,
        kind=Job.Kind.DISTRICT_INTAKE,
        params__district=district.pk,
        params__year=year,
    )
    job.fail_if_dead()
    return district, job


@login_required
def intake_job(request, district_id, year, job_id):
    """An uploaded workbook being read (its progress), then the result: the pending
    submission to confirm and accept, or every problem that must be fixed."""
    district, job = _intake_job(request, district_id, year, job_id)
    submission = pending_submission(job) if job.ok else None
    if submission is not None:
        return redirect("reports:submission", district.pk, year, submission.pk)
    result = refused_preview(job)
    context = _intake_context(
        request,
        district,
        year,
        _intake_form(request, district),
        job=job,
        office=job.organization,
        filename=job.filename,
        **(_preview_context(result) if result else {}),
    )
    return render(request, "reports/intake.html", context)


@login_required
def intake_job_status(request, district_id, year, job_id):
    """The progress of an intake job, polled by static/js/job-progress.js."""
    _, job = _intake_job(request, district_id, year, job_id)
    return JsonResponse(job.progress_state())


def _submission(request, district, year, submission_id):
    return get_object_or_404(
        SubmittedReport.objects.visible_to(request.user)
        .defer("workbook")
        .select_related("organization", "uploaded_by", "accepted_by"),
        pk=submission_id,
        year=year,
        organization__parent=district,
    )


@login_required
def submission(request, district_id, year, submission_id):
    """A submitted workbook as read: pending (accept or discard it) or accepted (a version)."""
    district, _ = _district_and_year(request, district_id, year)
    item = _submission(request, district, year, submission_id)
    if not item.is_accepted:
        _intake_allowed(request)
    if request.method == "POST":
        _intake_allowed(request)
        if item.is_accepted:
            messages.info(request, "这份工作簿已经接收过了。")
        elif request.POST.get("action") == "discard":
            item.delete()
            messages.info(
                request, f"已放弃{item.organization.name}的这份工作簿，没有保存任何数据。"
            )
            return redirect("reports:intake", district.pk, year)
        else:
            try:
                accepted = intake.accept(item, request.user, request.POST.getlist("confirm"))
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect("reports:submission", district.pk, year, item.pk)
            if accepted is None:
                messages.info(request, "这份工作簿已经接收过了。")
            else:
                audit.record(
                    request,
                    AuditEvent.Action.REPORT_INTAKE,
                    detail=f"接收{accepted.organization.name}报送的{year}年度报告工作簿（第{accepted.version}版，{accepted.filename}）",
                    organization=accepted.organization,
                )
                messages.success(
                    request,
                    f"已接收{accepted.organization.name}{year}年度报告工作簿（第{accepted.version}版），已计入{district.name}的汇总。",
                )
                return redirect("reports:submission", district.pk, year, accepted.pk)
        return redirect("reports:submission", district.pk, year, item.pk)
    report = AnnualReport.from_json(item.figures)
    checks = [CheckResult.from_json(check) for check in item.checks]
    history = (
        SubmittedReport.objects.accepted()
        .filter(organization=item.organization, year=year)
        .defer("workbook", "figures", "checks")
        .select_related("accepted_by")
        .order_by("-version")
    )
    context = {
        "district": district,
        "year": year,
        "item": item,
        "checks": checks,
        "grids": report_grids(report),
        "sections": SECTION_TITLES,
        "history": history,
        "can_intake": request.user.has_perm(ACCEPT_SUBMITTED_REPORT),
    }
    return render(request, "reports/submission.html", context)


@login_required
def submission_workbook(request, district_id, year, submission_id):
    """The workbook exactly as uploaded."""
    district, _ = _district_and_year(request, district_id, year)
    item = _submission(request, district, year, submission_id)
    content = SubmittedReport.objects.values_list("workbook", flat=True).get(pk=item.pk)
    audit.record(
        request,
        AuditEvent.Action.REPORT_DOWNLOAD,
        detail=f"{item}的原工作簿",
        organization=item.organization,
    )
    return _xlsx_response(content, item.filename)
