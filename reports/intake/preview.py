"""A workbook read and checked before it is accepted; keeping it pending; accepting it with
the district's explicit confirmation of each reading it was asked to confirm."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from applications.models import Organization

from ..figures.checks import CheckResult
from ..figures.tables import AnnualReport
from ..figures.text_checks import text_checks
from ..models import SubmittedReport
from .checking import blocking, disagreements, intake_checks
from .problems import MUST_FIX, Problem, Reading, grouped
from .reading import read_workbook

UNCONFIRMED = "请逐项勾选确认“请核对”中的{count}项后再接收；如有不对的，请放弃这份工作簿，让报送机关改正后重新报送。"


@dataclass
class Preview:
    """A workbook read and checked, before it is accepted."""

    reading: Reading
    checks: list = field(default_factory=list)
    disagreements: list = field(default_factory=list)

    @property
    def report(self):
        return self.reading.report

    @property
    def acceptable(self):
        return self.reading.report is not None and not blocking(self.checks)

    @property
    def problems(self):
        return self.reading.problems + self.disagreements

    @property
    def must_fix_count(self):
        return sum(1 for problem in self.problems if problem.severity == MUST_FIX)

    def grouped(self):
        """[(group label, [Problem])]: 必须修改 then 请核对, each problem with its sheet and cell."""
        return grouped(self.problems)

    def as_json(self):
        """What the preview page shows, as kept with the background job that made it."""
        return {
            "report": self.report.as_json() if self.report else None,
            "problems": [problem.as_json() for problem in self.reading.problems],
            "disagreements": [problem.as_json() for problem in self.disagreements],
            "checks": [check.as_json() for check in self.checks],
            "notes": list(self.reading.notes),
        }

    @classmethod
    def from_json(cls, data):
        reading = Reading(
            report=AnnualReport.from_json(data["report"]) if data["report"] else None,
            problems=[Problem.from_json(item) for item in data["problems"]],
            notes=data["notes"],
        )
        return cls(
            reading,
            [CheckResult.from_json(item) for item in data["checks"]],
            [Problem.from_json(item) for item in data["disagreements"]],
        )


def _no_progress(message, **counts):
    pass


def preview(organization, year, data, filename=None, progress=_no_progress):
    """Read and check a workbook's bytes for an office and year (the form has checked its
    size and zip directory; the reading streams and checks the rest). `progress(stage)`
    is told each stage, in the user's words."""
    progress("读取工作簿", force=True)
    reading = read_workbook(data, year, organization, filename)
    if reading.report is None:
        return Preview(reading)
    progress("核对表格")
    checks = intake_checks(organization, year, reading.report)
    if reading.texts:
        progress("核对文字")
        checks.append(text_checks(reading.report, reading.texts, reading.ref))
    return Preview(reading, checks, disagreements(checks, reading))


def store_pending(organization, year, data, filename, result, user):
    """Keep a workbook that read and checked cleanly until someone accepts or discards it,
    with what the district must confirm. The same user's earlier pending uploads for that
    office and year are discarded."""
    with transaction.atomic():
        SubmittedReport.objects.filter(
            organization=organization, year=year, uploaded_by=user, accepted_at__isnull=True
        ).delete()
        return SubmittedReport.objects.create(
            organization=organization,
            year=year,
            figures=result.report.as_json(),
            checks=[check.as_json() for check in result.checks],
            notes=result.reading.notes,
            confirmations=[problem.as_json() for problem in result.reading.confirmations],
            workbook=data,
            filename=filename[:255],
            uploaded_by=user,
        )


def unconfirmed(submission, confirmed):
    """The confirmations of a pending submission not among `confirmed` (their indexes as text)."""
    return [
        item
        for index, item in enumerate(submission.confirmations)
        if str(index) not in set(confirmed)
    ]


def accept(submission, user, confirmed=()):
    """Accept a pending workbook as the office's next version; from now on it counts in the
    district's rollup. Every confirmation must be among `confirmed`; they are kept with the
    submission, marked confirmed. Returns the accepted row, or None if it was accepted
    meanwhile."""
    missing = unconfirmed(submission, confirmed)
    if missing:
        raise ValidationError(UNCONFIRMED.format(count=len(missing)))
    confirmations = [{**item, "confirmed": True} for item in submission.confirmations]
    with transaction.atomic():
        # Lock the office so that two officials accepting at once get versions n and n+1.
        Organization.objects.select_for_update().get(pk=submission.organization_id)
        last = SubmittedReport.objects.filter(
            organization_id=submission.organization_id, year=submission.year
        ).aggregate(last=Max("version"))["last"]
        updated = SubmittedReport.objects.filter(pk=submission.pk, accepted_at__isnull=True).update(
            version=(last or 0) + 1,
            accepted_by=user,
            accepted_at=timezone.now(),
            confirmations=confirmations,
        )
        if not updated:
            return None
        return SubmittedReport.objects.get(pk=submission.pk)
