"""An application's timeline: its own changes and those of its clock stops, reviews and
lawsuits, newest first, in Chinese, with personal data masked.

Records that hang off an application register here with register_timeline_child (the
ledger's own three below; the issued letters of the `letters` app register the same way:
`register_timeline_child(Letter, describe=lambda record: ...)` in its AppConfig.ready).
"""

from dataclasses import dataclass, field

from lib.history import EMPTY, display_value

from .choices import outcome_full_label
from .deadlines import chinese_date
from .masking import PERSONAL_DATA_FIELDS
from .models import AdministrativeReview, Application, ClockStop, Lawsuit

FORMATTERS = {**PERSONAL_DATA_FIELDS, "outcome": outcome_full_label}
# Bookkeeping columns every version repeats; the timeline says who and when itself.
QUIET_FIELDS = {"id", "application", "updated_at", "updated_by", "created_at", "created_by"}


@dataclass(frozen=True)
class TimelineChild:
    model: type
    describe: object  # historical record -> "征求第三方意见（2021年3月5日起…）"
    link_field: str = "application"


TIMELINE_CHILDREN = []


def register_timeline_child(model, describe, link_field="application"):
    """Show changes of `model` (linked to an application by `link_field`) on its timeline."""
    TIMELINE_CHILDREN.append(TimelineChild(model, describe, link_field))


def describe_case(record):
    return f"{type(record.instance)._meta.verbose_name}（{chinese_date(record.filed_on)}）"


# Records kept without a history of their own (issued letters are never changed): each
# source gives an application's entries itself.
TIMELINE_SOURCES = []


def register_timeline_source(entries_for):
    """Show what `entries_for(application) -> [TimelineEntry]` gives on the timeline."""
    TIMELINE_SOURCES.append(entries_for)


register_timeline_child(ClockStop, lambda record: f"不计入答复期限的期间：{record.instance}")
register_timeline_child(AdministrativeReview, describe_case)
register_timeline_child(Lawsuit, describe_case)


@dataclass
class TimelineEntry:
    when: object
    who: object
    action: str
    subject: str
    changes: list = field(default_factory=list)  # (field label, before, after)


def _value(model, name, value):
    return display_value(model, name, value, FORMATTERS)


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _changes(model, record, previous):
    if previous is not None and record.history_type == "~":
        return [
            (
                _label(model, change.field),
                _value(model, change.field, change.old),
                _value(model, change.field, change.new),
            )
            for change in record.diff_against(previous).changes
            if change.field not in QUIET_FIELDS
        ]
    if record.history_type == "+":
        shown = []
        for model_field in model._meta.concrete_fields:
            if model_field.name in QUIET_FIELDS:
                continue
            value = _value(model, model_field.name, getattr(record, model_field.attname))
            if value != EMPTY:
                shown.append((str(model_field.verbose_name), "", value))
        return shown
    return []


def _entries(model, records, describe):
    entries, previous = [], {}
    for record in records:
        key = getattr(record, model._meta.pk.attname)
        entries.append(
            TimelineEntry(
                when=record.history_date,
                who=record.history_user,
                action=record.get_history_type_display(),
                subject=describe(record),
                changes=_changes(model, record, previous.get(key)),
            )
        )
        previous[key] = record
    return entries


def application_timeline(application):
    """Every change of the application and of the records under it, newest first."""
    own = Application.history.filter(id=application.pk).select_related("history_user")
    entries = _entries(
        Application, own.order_by("history_date", "history_id"), lambda record: "申请"
    )
    for child in TIMELINE_CHILDREN:
        records = (
            child.model.history.filter(**{f"{child.link_field}_id": application.pk})
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        entries += _entries(child.model, records, child.describe)
    for entries_for in TIMELINE_SOURCES:
        entries += entries_for(application)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)
