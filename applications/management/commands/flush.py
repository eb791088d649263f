"""Django's `flush`, able to empty a SQLite ledger that has a lawsuit brought after review.

On SQLite, flush deletes table by table, and the row trigger of migration 0002 refuses to
delete the last review of an application while a lawsuit marked 经复议后起诉 still needs
it; the lawsuits table comes later in the list, so `manage.py flush` (and the flush
between transactional tests) failed. Emptying the lawsuits first keeps the trigger intact.
PostgreSQL flushes with TRUNCATE, which fires no row triggers, and is left alone.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from applications.models import Lawsuit


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        first = f"DELETE FROM {connection.ops.quote_name(Lawsuit._meta.db_table)};"
        execute_sql_flush = connection.ops.execute_sql_flush

        def lawsuits_first(sql_list):
            return execute_sql_flush(sorted(sql_list, key=lambda statement: statement != first))

        connection.ops.execute_sql_flush = lawsuits_first
        try:
            return super().handle(**options)
        finally:
            del connection.ops.execute_sql_flush
