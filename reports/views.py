from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.models import AuditEvent
from applications.models import Organization

from . import signoff
from .forms import ReportChoiceForm
from .models import FIRST_YEAR, OVERVIEW_PARTS, SIGN_OFF_PERMISSION, ReportSignOff, workbook_filename
from .tables import SECTION_TITLES, annual_report, paragraphs, report_grids

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office_and_year(request, organization_id, year):
    """The office, if this user may see it, and a year that can have a report; else 404."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=organization_id)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404("没有这一年度的报告。")
    return organization


def _selector(request, organizations, organization=None, year=None):
    years = signoff.report_years(organizations)
    default_year = year or (years[1] if len(years) > 1 else years[0])
    initial = {"organization": organization.pk if organization else request.user.organization_id, "year": default_year}
    return ReportChoiceForm(organizations=organizations, years=years, initial=initial), years


def _xlsx_response(content, filename):
    response = HttpResponse(bytes(content), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def index(request):
    """Pick an office and a year; see which reports are signed off."""
    organizations = Organization.objects.visible_to(request.user)
    if "organization" in request.GET:
        years = signoff.report_years(organizations)
        form = ReportChoiceForm(request.GET, organizations=organizations, years=years)
        if form.is_valid():
            return redirect("reports:report", form.cleaned_data["organization"].pk, form.cleaned_data["year"])
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
        (office, [(year, latest.get((office.pk, year))) for year in status_years]) for office in organizations.order_by("name")
    ]
    return render(request, "reports/index.html", {"form": form, "offices": offices, "status_years": status_years})


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
        .defer("workbook")
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
        "overview": [(label, paragraphs(narrative.get(name))) for name, label in OVERVIEW_PARTS],
        "problems": paragraphs(narrative.get("problems")),
        "other_matters": paragraphs(narrative.get("other_matters")),
        "sections": SECTION_TITLES,
        "latest": latest,
        "show_live": show_live,
        "drift": drift,
        "versions": versions,
        "can_sign_off": request.user.has_perm(SIGN_OFF_PERMISSION),
        "year_ended": year < timezone.localdate().year,
        "form": form,
    }
    return render(request, "reports/report.html", context)


@login_required
def workbook(request, organization_id, year):
    """The workbook as the ledger stands now (not signed off)."""
    organization = _office_and_year(request, organization_id, year)
    contents = signoff.current_contents(organization, year)
    content = signoff.current_workbook(contents)
    audit.record(
        request, AuditEvent.Action.REPORT_DOWNLOAD, detail=f"{year}年度报告工作簿（按当前台账生成，未定稿）", organization=organization
    )
    return _xlsx_response(content, workbook_filename(organization, year))


@login_required
def signed_workbook(request, organization_id, year, version):
    """The exact workbook stored with a signed-off version."""
    organization = _office_and_year(request, organization_id, year)
    sign_off = get_object_or_404(ReportSignOff, organization=organization, year=year, version=version)
    audit.record(request, AuditEvent.Action.REPORT_DOWNLOAD, detail=f"{year}年度报告定稿第{version}版工作簿", organization=organization)
    return _xlsx_response(sign_off.workbook, sign_off.filename)


@login_required
@require_POST
def sign_off(request, organization_id, year):
    """Sign off the report as the ledger stands now, as a new version."""
    organization = _office_and_year(request, organization_id, year)
    if not request.user.has_perm(SIGN_OFF_PERMISSION):
        raise PermissionDenied("您没有年度报告定稿的权限，请联系审核人。")
    if year >= timezone.localdate().year:
        messages.error(request, f"{year}年度还没有结束，不能定稿；请在年度结束后再定稿。")
        return redirect("reports:report", organization.pk, year)
    version = signoff.sign_off(organization, year, request.user)
    audit.record(
        request, AuditEvent.Action.REPORT_SIGN_OFF, detail=f"{year}年度报告定稿第{version.version}版", organization=organization
    )
    messages.success(request, f"{organization.name}{year}年度报告已定稿（第{version.version}版）。")
    return redirect("reports:report", organization.pk, year)
