"""History rows for many records at once: one INSERT … SELECT per batch.

simple_history's bulk_create_with_history and bulk_update_with_history build a historical
model instance per record in Python and insert them through the ORM: at 50,000 records
that is most of an import's time. copy_to_history() writes the same rows in the database:
each record, as it now stands in its table, is copied into its history table with the
same tracked fields, history_date, history_type ("+" created, "~" changed), the user and
the change reason, so every change to a record is still kept in its history.

create_with_history / update_with_history are the two bulk writes with their history (on a
database that does not return the ids of a bulk insert, creating falls back on
simple_history's own).
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

CREATED, CHANGED = "+", "~"
BATCH_SIZE = 1000


def copy_to_history(
    model: type[Model],
    pks: Iterable[Any],
    history_type: str,
    *,
    user: Any = None,
    reason: str | None = None,
    date: datetime.datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> None:
    """A history row for each record of `model` whose primary key is in `pks`.

    user: the history_user (by default, as simple_history: the request's user, if any).
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    pks = list(pks)
    if not pks:
        return
    history = model.history.model  # type: ignore[attr-defined]
    if user is None:
        user = history.get_default_history_user(model())
    connection = connections[router.db_for_write(history)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    meta = model._meta
    prefix = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, "
        f"{quote('history_date')}, {quote('history_change_reason')}, "
        f"{quote('history_type')}, {quote('history_user_id')}) "
        f"SELECT {columns}, %s, %s, %s, %s FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.pk.column)} IN "
    )
    date_value = history._meta.get_field("history_date").get_db_prep_value(
        date or timezone.now(), connection
    )
    fixed = [date_value, reason, history_type, user.pk if user else None]
    if connection.features.max_query_params:  # SQLite: 999 values a statement
        batch_size = min(batch_size, connection.features.max_query_params - len(fixed))
    with connection.cursor() as cursor:
        for start in range(0, len(pks), batch_size):
            chunk = pks[start : start + batch_size]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"{prefix}({placeholders}) ORDER BY {quote(meta.pk.column)}", [*fixed, *chunk]
            )


def returns_ids(model: type[Model]) -> bool:
    connection = connections[router.db_for_write(model)]
    return bool(connection.features.can_return_rows_from_bulk_insert)


def create_with_history(
    objs: Sequence[Model],
    model: type[Model],
    *,
    user: Any = None,
    reason: str | None = None,
    date: datetime.datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> None:
    """bulk_create the records, then their history rows ("+")."""
    if not objs:
        return
    if not returns_ids(model):
        bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
        return
    model._default_manager.bulk_create(objs, batch_size=batch_size)
    copy_to_history(
        model,
        [obj.pk for obj in objs],
        CREATED,
        user=user,
        reason=reason,
        date=date,
        batch_size=batch_size,
    )


def update_with_history(
    objs: Sequence[Model],
    model: type[Model],
    fields: Sequence[str],
    *,
    user: Any = None,
    reason: str | None = None,
    date: datetime.datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> None:
    """bulk_update these fields of the records, then their history rows ("~")."""
    if not objs:
        return
    model._default_manager.bulk_update(objs, fields, batch_size=batch_size)
    copy_to_history(
        model,
        [obj.pk for obj in objs],
        CHANGED,
        user=user,
        reason=reason,
        date=date,
        batch_size=batch_size,
    )
