"""History (历史) shown to people: field names and values in Chinese, never raw codes or None.

Used by every admin's history page (ReadableHistoryAdminMixin) and by the application's
timeline (applications/history.py), so a value reads the same everywhere.
"""

import datetime
import decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from lib.display import chinese_date

EMPTY = "（空）"


def display_value(model, field_name, value, formatters=None):
    """A stored value as a person reads it: choice labels, 是/否, Chinese dates, names for links."""
    formatter = (formatters or {}).get(field_name)
    if value is None or value == "":
        return EMPTY
    if field_name == "password":
        return "（已加密，不显示）"
    if formatter is not None:
        return formatter(value)
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a field the model no longer has: show the value as stored
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return EMPTY
        return f"（已删除的{value.model._meta.verbose_name}）"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "Y年n月j日 H:i")
    if isinstance(value, datetime.date):
        return chinese_date(value)
    if isinstance(value, decimal.Decimal):
        return f"{value:f}"
    if field.is_relation and field.many_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        return (
            str(related)
            if related is not None
            else f"（已删除的{field.related_model._meta.verbose_name}）"
        )
    return str(value)


class ReadableHistoricalRecordContextHelper(HistoricalRecordContextHelper):
    """The admin history list's "before → after" in Chinese; `formatters` per field name."""

    formatters: dict = {}

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            # A list of through-table rows: name the related records instead.
            name = get_m2m_reverse_field_name(field)
            rows = [row[name] for row in value or []]
            ids = [row for row in rows if not isinstance(row, models.Model)]
            related = [row for row in rows if isinstance(row, models.Model)]
            related += list(field.related_model._default_manager.filter(pk__in=ids))
            return "、".join(str(obj) for obj in related) or EMPTY
        return display_value(self.model, change.field, value, self.formatters)


class ReadableHistoryAdminMixin:
    """For a SimpleHistoryAdmin: history values readable (see display_value)."""

    history_helper_class = ReadableHistoricalRecordContextHelper

    def get_historical_record_context_helper(self, request, historical_record):
        return self.history_helper_class(self.model, historical_record)
