"""The statutory answer deadline (条例第三十三条) on China's working-day calendar.

Deadline = the 20th working day after receipt (or after the corrected application was
received), + 20 working days when extended, + the working days of every clock stop
(from its start, exclusive, to its end, inclusive; a day covered by two overlapping
stops counts once). While a clock stop has no end date the deadline is suspended: it
has no date (待定) until the end date is entered.

Plain functions over plain values; the model calls them on save and the import calls
them in bulk with one shared calendar.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from applications.choices import ClockStopKind
from lib.dates import chinese_date  # noqa: F401 - its home is lib.dates; imported from here too
from workdays.calendar import ONE_DAY, WorkdayCalendar, weekday_name

ANSWER_DAYS = 20
EXTENSION_DAYS = 20
DUE_SOON_WORKDAYS = 5


class DeadlineStatus(models.TextChoices):
    PENDING = "pending", "办理中"
    ON_TIME = "on_time", "按期答复"
    LATE = "late", "逾期答复"
    OVERDUE = "overdue", "已逾期未答复"


@dataclass(frozen=True)
class Addition:
    """Working days added to the deadline, and why."""

    days: int
    reason: str


@dataclass(frozen=True)
class Deadline:
    """A computed deadline with everything needed to explain it on screen."""

    start_on: datetime.date
    start_reason: str
    additions: tuple
    due_on: datetime.date | None
    suspended_by: str = ""
    unknown_years: tuple = ()
    # Kept only to name the holidays in lines(), which bulk recomputation never needs.
    calendar: object = field(default=None, compare=False, repr=False)

    @property
    def total_days(self):
        return sum(addition.days for addition in self.additions)

    @property
    def is_suspended(self):
        return self.due_on is None

    @property
    def is_provisional(self):
        return bool(self.unknown_years)

    @property
    def warning(self):
        if not self.unknown_years:
            return ""
        years = "、".join(f"{year}年" for year in self.unknown_years)
        return (
            f"{years}的法定节假日和调休安排尚未收录，答复期限暂按周一至周五为工作日计算，待确认。"
            f"请系统管理员在“工作日调整”中录入{years}的放假和调休上班日期，录入后期限自动更正。"
        )

    @property
    def label(self):
        """Short form for lists: '2021年11月1日', '2027年2月1日（待确认）' or '暂停计算（待定）'."""
        if self.due_on is None:
            return "暂停计算（待定）"
        text = chinese_date(self.due_on)
        return f"{text}（待确认）" if self.is_provisional else text

    def lines(self):
        """The explanation, one sentence per step, as shown on the application page."""
        lines = [f"起算日：{chinese_date(self.start_on)}（{self.start_reason}，当日不计入）。"]
        lines += [
            f"加 {addition.days} 个工作日：{addition.reason}。" for addition in self.additions
        ]
        if self.due_on is None:
            lines.append(f"答复期限：暂停计算（待定）。{self.suspended_by}")
        else:
            lines.append(
                f"答复期限：{chinese_date(self.due_on)}（起算日后第 {self.total_days} 个工作日）。"
            )
        if self.due_on is not None and self.calendar is not None:
            lines += describe_calendar(self.calendar, self.start_on, self.due_on)
        if self.warning:
            lines.append(self.warning)
        return lines


def describe_calendar(calendar, after, through):
    """Sentences naming the holidays on weekdays and the make-up working weekends in (after, through]."""
    holidays, makeups = [], []
    day = after + ONE_DAY
    while day <= through:
        weekday_rule = day.weekday() < 5
        is_workday = calendar.is_workday(day)
        if is_workday != weekday_rule:
            name = calendar.day_name(day)
            if name and is_workday and day not in calendar.overrides:
                name += "调休"
            text = f"{chinese_date(day)}（{weekday_name(day)}{'，' + name if name else ''}）"
            (makeups if is_workday else holidays).append(text)
        day += ONE_DAY
    notes = []
    if holidays:
        notes.append("其间不上班的法定节假日（周一至周五）：" + "、".join(holidays) + "。")
    if makeups:
        notes.append("其间调休上班的周末：" + "、".join(makeups) + "。")
    return tuple(notes)


def compute_deadline(
    received_on, correction_received_on=None, extended=False, clock_stops=(), calendar=None
):
    """The deadline for an application with these facts.

    clock_stops: objects with kind (ClockStopKind value), started_on and ended_on (None
    while the stop is running), e.g. ClockStop instances.
    """
    calendar = calendar or WorkdayCalendar()
    if correction_received_on:
        start_on, start_reason = correction_received_on, "收到补正后申请之日"
    else:
        start_on, start_reason = received_on, "收到申请之日"

    additions = [Addition(ANSWER_DAYS, "法定答复期限（条例第三十三条）")]
    if extended:
        additions.append(Addition(EXTENSION_DAYS, "经批准延期答复（条例第三十三条第二款）"))

    unknown = set()
    counted = set()
    suspended_by = []
    for stop in sorted(clock_stops, key=lambda stop: stop.started_on):
        kind = ClockStopKind(stop.kind).label
        if stop.ended_on is None:
            suspended_by.append(
                f"{kind}自{chinese_date(stop.started_on)}开始，尚未结束，期间不计入答复期限；"
                "填写结束日期后自动重新计算。"
            )
            continue
        days = set()
        day = stop.started_on + ONE_DAY
        while day <= stop.ended_on:
            if calendar.is_workday(day):
                days.add(day)
            day += ONE_DAY
        days -= counted
        counted |= days
        unknown.update(calendar.unknown_years(stop.started_on, stop.ended_on))
        additions.append(
            Addition(
                len(days),
                f"{kind}（{chinese_date(stop.started_on)}至{chinese_date(stop.ended_on)}，开始之日不计入，结束之日计入）",
            )
        )

    if suspended_by:
        due_on = None
    else:
        due_on = calendar.add_workdays(start_on, sum(addition.days for addition in additions))
        unknown.update(calendar.unknown_years(start_on, due_on))
    return Deadline(
        start_on=start_on,
        start_reason=start_reason,
        additions=tuple(additions),
        due_on=due_on,
        suspended_by="".join(suspended_by),
        unknown_years=tuple(sorted(unknown)),
        calendar=calendar,
    )


def deadline_for(application, clock_stops=None, calendar=None):
    """The deadline of an Application (its clock stops are read unless given)."""
    if clock_stops is None:
        clock_stops = list(application.clock_stops.all()) if application.pk else []
    return compute_deadline(
        application.received_on,
        application.correction_received_on,
        application.extended,
        clock_stops,
        calendar,
    )


def deadline_status(answered_on, due_on, today=None):
    """办理中 / 按期答复 / 逾期答复 / 已逾期未答复. A suspended deadline (no date) is never late."""
    today = today or timezone.localdate()
    if answered_on is not None:
        if due_on is not None and answered_on > due_on:
            return DeadlineStatus.LATE
        return DeadlineStatus.ON_TIME
    if due_on is not None and due_on < today:
        return DeadlineStatus.OVERDUE
    return DeadlineStatus.PENDING


def due_soon_until(today=None, calendar=None):
    """The last day counted as 即将到期: the 5th working day after today."""
    today = today or timezone.localdate()
    return (calendar or WorkdayCalendar()).add_workdays(today, DUE_SOON_WORKDAYS)


def recompute_deadlines(applications, calendar=None, batch_size=1000):
    """Recompute and store due_on for every application in the queryset; returns how many changed.

    Reads in chunks with the clock stops prefetched and writes only the changed rows
    with bulk_update (a derived value: no history rows).
    """
    calendar = calendar or WorkdayCalendar()
    model = applications.model
    queryset = applications.only(
        "id", "received_on", "correction_received_on", "extended", "due_on", "due_is_provisional"
    ).prefetch_related("clock_stops")
    changed = []
    count = 0
    for application in queryset.order_by("pk").iterator(chunk_size=batch_size):
        deadline = deadline_for(application, list(application.clock_stops.all()), calendar)
        if (application.due_on, application.due_is_provisional) != (
            deadline.due_on,
            deadline.is_provisional,
        ):
            application.due_on = deadline.due_on
            application.due_is_provisional = deadline.is_provisional
            changed.append(application)
        if len(changed) >= batch_size:
            model.objects.bulk_update(changed, ["due_on", "due_is_provisional"])
            count += len(changed)
            changed = []
    if changed:
        model.objects.bulk_update(changed, ["due_on", "due_is_provisional"])
        count += len(changed)
    return count
