"""China's working-day calendar: the chinesecalendar package plus the admins' overrides.

A day is a working day when an override says so; otherwise when the package says so; and
for a year that neither knows, when it is Monday to Friday (such a year is "unknown" and
every result that relies on it must be shown as provisional).

Implements docs/deadlines.md §Rules (working days).
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)

# A working day is always found within a few weeks; this bound only stops a loop if the
# overrides were ever to mark a whole year as holidays.
MAX_DAYS_SEARCHED = 3 * 366


@lru_cache(maxsize=1)
def package_years() -> tuple[int, int]:
    """The first and last year the installed chinesecalendar package has data for."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def package_knows_year(year: int) -> bool:
    first, last = package_years()
    return first <= year <= last


def package_is_workday(day: datetime.date) -> bool:
    """The package's answer for a year it knows (its public holiday and make-up day tables)."""
    if day in chinese_calendar.workdays:
        return True
    return day.weekday() < 5 and day not in chinese_calendar.holidays


def package_day_name(day: datetime.date) -> str:
    """The Chinese name of the holiday a day belongs to in the package ('国庆节'), or ''."""
    name = chinese_calendar.workdays.get(day) or chinese_calendar.holidays.get(day)
    return chinese_calendar.Holiday(name).chinese if name else ""


def weekday_name(day: datetime.date) -> str:
    return "星期" + "一二三四五六日"[day.weekday()]


class WorkdayCalendar:
    """Answers "is this a working day?" with one database query per batch of years.

    Overrides are loaded a whole year at a time (one query for all the years asked for at
    once), so computing any number of deadlines costs a query or two, never one per day.
    Make one calendar per request, command or import and pass it around.
    """

    def __init__(self, override_model: Any = None) -> None:
        if override_model is None:
            from .models import WorkdayOverride

            override_model = WorkdayOverride
        self.override_model = override_model
        self.overrides: dict[datetime.date, bool] = {}
        self.notes: dict[datetime.date, str] = {}
        self.loaded_years: set[int] = set()
        self.override_years: set[int] = set()

    def load_years(self, first_year: int, last_year: int) -> None:
        """Load the overrides of every year in [first_year, last_year] not loaded yet, in one query."""
        missing = [
            year for year in range(first_year, last_year + 1) if year not in self.loaded_years
        ]
        if not missing:
            return
        rows = self.override_model.objects.filter(
            date__gte=datetime.date(min(missing), 1, 1),
            date__lte=datetime.date(max(missing), 12, 31),
        ).values_list("date", "is_workday", "note")
        for day, is_workday, note in rows:
            if day.year in self.loaded_years:
                continue
            self.overrides[day] = is_workday
            self.notes[day] = note
            self.override_years.add(day.year)
        self.loaded_years.update(range(min(missing), max(missing) + 1))

    def _ensure(self, year: int) -> None:
        if year not in self.loaded_years:
            # Deadlines run a few weeks past the year they start in: fetch the next year too.
            self.load_years(year, year + 1)

    def knows_year(self, year: int) -> bool:
        """Whether this year's holidays come from data (package or overrides), not a weekday guess."""
        self._ensure(year)
        return package_knows_year(year) or year in self.override_years

    def is_workday(self, day: datetime.date) -> bool:
        self._ensure(day.year)
        if day in self.overrides:
            return self.overrides[day]
        if package_knows_year(day.year):
            return package_is_workday(day)
        return day.weekday() < 5

    def day_name(self, day: datetime.date) -> str:
        """Why a day is (not) a working day: the override's note, else the package's holiday name."""
        self._ensure(day.year)
        if day in self.overrides:
            return self.notes[day]
        return package_day_name(day) if package_knows_year(day.year) else ""

    def unknown_years(self, after: datetime.date, through: datetime.date) -> list[int]:
        """The years of the days in (after, through] that neither the package nor an override knows."""
        if through <= after:
            return []
        first = (after + ONE_DAY).year
        return [year for year in range(first, through.year + 1) if not self.knows_year(year)]

    def add_workdays(self, day: datetime.date, count: int) -> datetime.date:
        """The count-th working day after `day` (the day itself never counts)."""
        searched = 0
        while count > 0:
            day += ONE_DAY
            searched += 1
            if searched > MAX_DAYS_SEARCHED:
                raise ValueError("工作日历中连续一年以上没有工作日，请检查工作日调整。")
            if self.is_workday(day):
                count -= 1
        return day
