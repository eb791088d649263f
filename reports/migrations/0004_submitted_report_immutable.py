"""Make the database refuse to change an accepted submitted report (报送工作簿).

A pending row (accepted_at IS NULL) may be updated once, to accept it; after that, rows
are only ever added, as with sign-offs (migration 0002). Migration 0003 added
ReportSignOff.document as a nullable column, which SQLite adds in place (no table
rebuild), so the sign-off trigger of 0002 is still there; ReportSignOff stores its
document in the same INSERT as the rest, which that BEFORE UPDATE trigger allows.
"""

from django.db import migrations

MESSAGE = "submitted_report_is_immutable"

FORWARD = {
    "sqlite": [
        f"""
        CREATE TRIGGER submitted_report_immutable BEFORE UPDATE ON reports_submittedreport
        WHEN OLD.accepted_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """,
    ],
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION gongkai_submitted_report_immutable() RETURNS trigger AS $$
        BEGIN
          IF OLD.accepted_at IS NOT NULL THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE TRIGGER submitted_report_immutable BEFORE UPDATE ON reports_submittedreport
        FOR EACH ROW EXECUTE FUNCTION gongkai_submitted_report_immutable();
        """,
    ],
}
BACKWARD = {
    "sqlite": ["DROP TRIGGER IF EXISTS submitted_report_immutable;"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS submitted_report_immutable ON reports_submittedreport;",
        "DROP FUNCTION IF EXISTS gongkai_submitted_report_immutable();",
    ],
}


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_submitted_report_and_sign_off_document")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
