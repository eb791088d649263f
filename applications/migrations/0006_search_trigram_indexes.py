"""Trigram indexes for the admin search on PostgreSQL; nothing on SQLite.

The admin search looks for a term anywhere in the number, the applicant's name and the
content (LIKE '%term%'), which no B-tree can serve. pg_trgm's GIN indexes can, for terms of
three characters or more (a two-character term has no trigram and is read from the table).
They index the plain columns: the search matches a term without upper and lower case
(Chinese, digits) with a plain LIKE, which these indexes serve (ApplicationAdmin).
Django's state does not know these indexes (they are database-specific), so they are
written here and not in Application.Meta.indexes.
"""

from django.db import migrations

COLUMNS = ["number", "applicant_name", "content"]


def index_name(column):
    return f"application_{column}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(column)} ON applications_application"
            f" USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(column)}")
    # The extension stays: other database objects may use it, and it costs nothing.


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_admin_list_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
