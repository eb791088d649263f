"""Which figures stand for an office's year: its settled version, or the live ledger.

An office that uses gongkai settles its report by signing it off (定稿, ReportSignOff); an
office that does not sends the district a workbook that the district accepts
(SubmittedReport). Where both exist, the later one counts. Where neither exists the
report is not settled and its figures come from the ledger as it stands.

standing_reports() is the one place that applies this rule; the office page's cross-year
check, the district rollup and the intake all ask it.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..models import ReportSignOff, SubmittedReport
from .tables import AnnualReport, annual_reports_by_office

SIGNED, SUBMITTED, LIVE = "signed", "submitted", "live"


@dataclass
class Settled:
    """The version that counts for one office and year."""

    kind: str  # SIGNED or SUBMITTED
    record: ReportSignOff | SubmittedReport  # without its stored files
    report: AnnualReport

    @property
    def at(self) -> datetime.datetime:
        return self.record.signed_at if self.kind == SIGNED else self.record.accepted_at

    @property
    def by(self):
        return self.record.signed_by if self.kind == SIGNED else self.record.accepted_by

    @property
    def version(self) -> int:
        return self.record.version

    @property
    def checks(self) -> list:
        return self.record.checks


def settled_reports(
    office_ids: Iterable[int], years: Iterable[int]
) -> dict[tuple[int, int], Settled]:
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


@dataclass
class Standing:
    """The figures that stand for one office and year, and where they come from."""

    kind: str  # SIGNED, SUBMITTED or LIVE
    report: AnnualReport
    settled: Settled | None = None  # the settled version, unless LIVE

    @property
    def is_settled(self) -> bool:
        return self.kind != LIVE


LiveFigures = Callable[[list[int], int], dict[int, AnnualReport]]


def standing_reports(
    office_ids: Iterable[int], years: Iterable[int], live: LiveFigures | None = None
) -> dict[tuple[int, int], Standing]:
    """{(office id, year): Standing} for every office and year asked for: THE rule of which
    figures stand for an office-year.

    The settled version where there is one (the office's latest sign-off or the latest
    workbook the district accepted from it, the later of the two where both exist),
    otherwise the figures as the ledger stands now. `live` computes the ledger's figures
    for the offices without a settled version, {office id: AnnualReport}, by default
    the whole report (annual_reports_by_office); a caller that needs fewer tables may pass
    a cheaper function. Two queries, plus `live`'s once per year with unsettled offices.
    """
    office_ids, years = list(office_ids), list(years)
    live = live or annual_reports_by_office
    settled = settled_reports(office_ids, years)
    found = {}
    for year in years:
        unsettled = [pk for pk in office_ids if (pk, year) not in settled]
        computed = live(unsettled, year) if unsettled else {}
        for pk in office_ids:
            version = settled.get((pk, year))
            found[(pk, year)] = (
                Standing(version.kind, version.report, version)
                if version
                else Standing(LIVE, computed[pk])
            )
    return found
