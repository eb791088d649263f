"""Reviews and lawsuits keep their application's office (organization_id).

A district's table 四 and long-open warning then find the cases of a thousand offices by
office, instead of joining (or probing) the million applications behind them. The column
is filled from the applications, then kept equal to the application's office by triggers:
on a case, whatever office it is given; on an application, when it moves to another office.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

# SQLite remakes a table to change a column, which its triggers do not survive: the
# lawsuit/review triggers of 0002 are dropped first and made again at the end.
after_review = importlib.import_module("applications.migrations.0002_lawsuit_after_review_trigger")

CASE_TABLES = ("applications_administrativereview", "applications_lawsuit")
HISTORY_TABLES = ("applications_historicaladministrativereview", "applications_historicallawsuit")
OFFICE_OF_APPLICATION = (
    "(SELECT a.organization_id FROM applications_application a WHERE a.id = {row}.application_id)"
)

BACKFILL = [
    f"UPDATE {table} SET organization_id = {OFFICE_OF_APPLICATION.format(row=table)}"
    for table in CASE_TABLES + HISTORY_TABLES
]


def _sqlite_case_triggers(table):
    office = OFFICE_OF_APPLICATION.format(row="NEW")
    fix = f"UPDATE {table} SET organization_id = {office} WHERE id = NEW.id;"
    return [
        f"CREATE TRIGGER {table}_office_insert AFTER INSERT ON {table} FOR EACH ROW "
        f"WHEN NEW.organization_id IS NOT {office} BEGIN {fix} END;",
        f"CREATE TRIGGER {table}_office_update AFTER UPDATE OF application_id, organization_id "
        f"ON {table} FOR EACH ROW WHEN NEW.organization_id IS NOT {office} BEGIN {fix} END;",
    ]


SQLITE_FORWARD = [
    *_sqlite_case_triggers(CASE_TABLES[0]),
    *_sqlite_case_triggers(CASE_TABLES[1]),
    "CREATE TRIGGER application_office_to_cases AFTER UPDATE OF organization_id "
    "ON applications_application FOR EACH ROW "
    "WHEN NEW.organization_id IS NOT OLD.organization_id BEGIN "
    + " ".join(
        f"UPDATE {table} SET organization_id = NEW.organization_id WHERE application_id = NEW.id;"
        for table in CASE_TABLES
    )
    + " END;",
]
SQLITE_BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_office_{when};"
        for table in CASE_TABLES
        for when in ("insert", "update")
    ),
    "DROP TRIGGER IF EXISTS application_office_to_cases;",
]

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION gongkai_case_office() RETURNS trigger AS $$
    BEGIN
      SELECT a.organization_id INTO NEW.organization_id
        FROM applications_application a WHERE a.id = NEW.application_id;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    *(
        f"CREATE TRIGGER {table}_office BEFORE INSERT OR UPDATE OF application_id, organization_id "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION gongkai_case_office();"
        for table in CASE_TABLES
    ),
    """
    CREATE OR REPLACE FUNCTION gongkai_application_office_to_cases() RETURNS trigger AS $$
    BEGIN
    """
    + "\n".join(
        f"  UPDATE {table} SET organization_id = NEW.organization_id WHERE application_id = NEW.id;"
        for table in CASE_TABLES
    )
    + """
      RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER application_office_to_cases AFTER UPDATE OF organization_id "
    "ON applications_application FOR EACH ROW "
    "WHEN (NEW.organization_id IS DISTINCT FROM OLD.organization_id) "
    "EXECUTE FUNCTION gongkai_application_office_to_cases();",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS application_office_to_cases ON applications_application;",
    "DROP FUNCTION IF EXISTS gongkai_application_office_to_cases();",
    *(f"DROP TRIGGER IF EXISTS {table}_office ON {table};" for table in CASE_TABLES),
    "DROP FUNCTION IF EXISTS gongkai_case_office();",
]


# The same runner as 0002: statements for the database in use, none for another.
run = after_review.run


def office_field(**options):
    """The case's office; its history's copy is a plain column (simple_history's way)."""
    return models.ForeignKey(
        editable=False,
        related_name="+",
        to="applications.organization",
        verbose_name="机关",
        **options,
    )


CASE_OFFICE = {"on_delete": django.db.models.deletion.PROTECT}
HISTORY_OFFICE = {
    "blank": True,
    "db_constraint": False,
    "null": True,
    "on_delete": django.db.models.deletion.DO_NOTHING,
}


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_covering_indexes"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": after_review.SQLITE_BACKWARD}),
            run({"sqlite": after_review.SQLITE_FORWARD}),
        ),
        *(
            migrations.AddField(model_name=model, name="organization", field=office_field(**CASE_OFFICE, null=True))
            for model in ("administrativereview", "lawsuit")
        ),
        *(
            migrations.AddField(model_name=model, name="organization", field=office_field(**HISTORY_OFFICE))
            for model in ("historicaladministrativereview", "historicallawsuit")
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        *(
            migrations.AlterField(model_name=model, name="organization", field=office_field(**CASE_OFFICE))
            for model in ("administrativereview", "lawsuit")
        ),
        migrations.RunPython(
            run({"sqlite": after_review.SQLITE_FORWARD}),
            run({"sqlite": after_review.SQLITE_BACKWARD}),
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
