"""Make the database refuse to change a stored sign-off (定稿): rows are only ever added.

ReportSignOff.save() already refuses; this also stops queryset.update() and raw SQL.
Deletion is left to the application (no delete in the admin, delete() refuses) so that
`manage.py flush` keeps working on SQLite.
"""

from django.db import migrations

MESSAGE = "report_sign_off_is_immutable"

FORWARD = {
    "sqlite": [
        f"""
        CREATE TRIGGER report_sign_off_immutable BEFORE UPDATE ON reports_reportsignoff
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """,
    ],
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION gongkai_report_sign_off_immutable() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE TRIGGER report_sign_off_immutable BEFORE UPDATE ON reports_reportsignoff
        FOR EACH ROW EXECUTE FUNCTION gongkai_report_sign_off_immutable();
        """,
    ],
}
BACKWARD = {
    "sqlite": ["DROP TRIGGER IF EXISTS report_sign_off_immutable;"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS report_sign_off_immutable ON reports_reportsignoff;",
        "DROP FUNCTION IF EXISTS gongkai_report_sign_off_immutable();",
    ],
}


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
