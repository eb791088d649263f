"""Which applications, reviews, lawsuits and documents count in report year Y, and where.

THE counting rules of the annual report, as queryset
filters (Q) for the database and as plain predicates for rows already in memory (history
rows). Tables 二, 三 and 四 (reports.figures.tables), the five-year chart
(reports.figures.trends), the sign-off drift check (reports.signoff) and the deletion lock
(applications.deletion) all use these; nothing else writes a date rule of the report.

Implements docs/report-format.md §Counting rules for table 三 and §Counting rules for table 四.
"""

import datetime

from django.db.models import Q, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, ExtractYear

# An application still open counts in every year from the one it was received in.
OPEN_ENDED_YEAR = 9999


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """1 January and 31 December of the year."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- Applications (table 三) --------------------------------------------------------------


def received_in(year: int) -> Q:
    """一、本年新收: received in the year."""
    return Q(received_on__range=year_bounds(year))


def carried_in(year: int) -> Q:
    """二、上年结转: received before 1 January and not answered before it."""
    start = year_bounds(year)[0]
    return Q(received_on__lt=start) & (Q(answered_on__isnull=True) | Q(answered_on__gte=start))


def answered_in(year: int) -> Q:
    """三、本年度办理结果: answered in the year (in the row of its outcome)."""
    return Q(answered_on__range=year_bounds(year))


def carried_out(year: int) -> Q:
    """四、结转下年度继续办理: received by 31 December and not answered by it."""
    end = year_bounds(year)[1]
    return Q(received_on__lte=end) & (Q(answered_on__isnull=True) | Q(answered_on__gt=end))


def application_counted_in(year: int) -> Q:
    """In any row of the year's table 三: received by 31 December, not answered before 1 January."""
    start, end = year_bounds(year)
    return Q(received_on__lte=end) & (Q(answered_on__isnull=True) | Q(answered_on__gte=start))


def counted_years_between(received_on: Combinable, answered_on: Combinable) -> dict:
    """Lookups on a `year` field for the years an application counts in (from the year it was
    received to the year it was answered, or on while open), given expressions for its two
    dates (e.g. OuterRef("received_on")): the deletion lock's rule."""
    return {
        "year__gte": ExtractYear(received_on),
        "year__lte": Coalesce(ExtractYear(answered_on), Value(OPEN_ENDED_YEAR)),
    }


def counts_in(year: int, began_on: datetime.date | None, ended_on: datetime.date | None) -> bool:
    """In memory: whether something that began on `began_on` and ended on `ended_on` (None:
    not yet) counts in the year. The same rule for an application (received, answered), a
    review or lawsuit (filed, concluded) and a document (issued, abolished)."""
    start, end = year_bounds(year)
    return began_on is not None and began_on <= end and (ended_on is None or ended_on >= start)


# --- Reviews and lawsuits (table 四) ------------------------------------------------------


def case_counted_in(year: int) -> Q:
    """A case counts in the year: filed by 31 December and not concluded before 1 January."""
    start, end = year_bounds(year)
    return Q(filed_on__lte=end) & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))


def case_concluded_by(year: int) -> Q:
    """Shows its result: concluded on or before 31 December."""
    return Q(concluded_on__lte=year_bounds(year)[1])


def case_pending_at(year: int) -> Q:
    """尚未审结: not concluded by 31 December."""
    end = year_bounds(year)[1]
    return Q(concluded_on__isnull=True) | Q(concluded_on__gt=end)


# --- Normative documents (table 二) -------------------------------------------------------


def issued_in(year: int) -> Q:
    return Q(issued_on__range=year_bounds(year))


def abolished_in(year: int) -> Q:
    return Q(abolished_on__range=year_bounds(year))


def in_force_at_end(year: int) -> Q:
    """现行有效: issued by 31 December and not abolished by then."""
    end = year_bounds(year)[1]
    return Q(issued_on__lte=end) & (Q(abolished_on__isnull=True) | Q(abolished_on__gt=end))
