"""Which version of an office's report counts for a year once it is settled.

An office that uses gongkai settles its report by signing it off (定稿, ReportSignOff); an
office that does not sends the district a workbook that the district accepts
(SubmittedReport). Where both exist, the later one counts. Where neither exists the
report is not settled and its figures come from the ledger as it stands.
"""

from dataclasses import dataclass

from ..models import ReportSignOff, SubmittedReport
from .tables import AnnualReport

SIGNED, SUBMITTED, LIVE = "signed", "submitted", "live"


@dataclass
class Settled:
    """The version that counts for one office and year."""

    kind: str  # SIGNED or SUBMITTED
    record: object  # the ReportSignOff or SubmittedReport, without its stored files
    report: AnnualReport

    @property
    def at(self):
        return self.record.signed_at if self.kind == SIGNED else self.record.accepted_at

    @property
    def by(self):
        return self.record.signed_by if self.kind == SIGNED else self.record.accepted_by

    @property
    def version(self):
        return self.record.version

    @property
    def checks(self):
        return self.record.checks


def settled_reports(office_ids, years):
    """{(office id, year): Settled} for the offices and years that have one (two queries)."""
    found = {}
    sign_offs = (
        ReportSignOff.objects.filter(organization__in=list(office_ids), year__in=list(years))
        .defer("workbook", "document", "narrative")
        .select_related("signed_by")
        .order_by("organization_id", "year", "-version")
    )
    for sign_off in sign_offs:
        key = (sign_off.organization_id, sign_off.year)
        if key not in found:
            found[key] = Settled(SIGNED, sign_off, AnnualReport.from_json(sign_off.figures))
    submissions = (
        SubmittedReport.objects.accepted()
        .filter(organization__in=list(office_ids), year__in=list(years))
        .defer("workbook")
        .select_related("accepted_by")
        .order_by("organization_id", "year", "-version")
    )
    seen = set()
    for submission in submissions:
        key = (submission.organization_id, submission.year)
        if key in seen:
            continue
        seen.add(key)
        if key not in found or submission.accepted_at > found[key].at:
            found[key] = Settled(SUBMITTED, submission, AnnualReport.from_json(submission.figures))
    return found
