"""Corrections to the working-day calendar that admins enter by hand."""

from django.db import models
from simple_history.models import HistoricalRecords


class WorkdayOverride(models.Model):
    """One date whose status differs from (or is missing in) the chinesecalendar package.

    An override always wins. For a year the package does not know yet, entering any date
    of that year marks the whole year as known: enter all of that year's holidays and
    make-up working days from the State Council notice.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "是工作日",
        help_text="勾选：这一天上班（例如调休上班的周六）；不勾选：这一天放假（例如法定节假日）。",
    )
    note = models.CharField(
        "说明", max_length=100, blank=True, help_text="例如：2027年春节放假、国庆节调休上班。"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["-date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {kind}"
