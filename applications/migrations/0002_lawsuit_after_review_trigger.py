"""Enforce in the database that a lawsuit marked after_review has a review of the same application.

The rule spans two tables, which a CheckConstraint cannot express, so it is a pair of
triggers: one on lawsuits (insert/update) and one on reviews (delete, and moving a
review to another application).
"""

from django.db import migrations

MESSAGE = "lawsuit_after_review_requires_review"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER lawsuit_after_review_insert BEFORE INSERT ON applications_lawsuit
    FOR EACH ROW WHEN NEW.after_review AND NOT EXISTS (
        SELECT 1 FROM applications_administrativereview r WHERE r.application_id = NEW.application_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER lawsuit_after_review_update BEFORE UPDATE ON applications_lawsuit
    FOR EACH ROW WHEN NEW.after_review AND NOT EXISTS (
        SELECT 1 FROM applications_administrativereview r WHERE r.application_id = NEW.application_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER review_delete_keeps_lawsuit_after_review BEFORE DELETE ON applications_administrativereview
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM applications_lawsuit l WHERE l.application_id = OLD.application_id AND l.after_review)
      AND NOT EXISTS (
        SELECT 1 FROM applications_administrativereview r WHERE r.application_id = OLD.application_id AND r.id <> OLD.id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER review_move_keeps_lawsuit_after_review BEFORE UPDATE OF application_id ON applications_administrativereview
    FOR EACH ROW WHEN NEW.application_id <> OLD.application_id AND EXISTS (
        SELECT 1 FROM applications_lawsuit l WHERE l.application_id = OLD.application_id AND l.after_review)
      AND NOT EXISTS (
        SELECT 1 FROM applications_administrativereview r WHERE r.application_id = OLD.application_id AND r.id <> OLD.id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS lawsuit_after_review_insert;",
    "DROP TRIGGER IF EXISTS lawsuit_after_review_update;",
    "DROP TRIGGER IF EXISTS review_delete_keeps_lawsuit_after_review;",
    "DROP TRIGGER IF EXISTS review_move_keeps_lawsuit_after_review;",
]

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION gongkai_lawsuit_after_review_check() RETURNS trigger AS $$
    BEGIN
      IF NEW.after_review AND NOT EXISTS (
          SELECT 1 FROM applications_administrativereview r WHERE r.application_id = NEW.application_id) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER lawsuit_after_review_check BEFORE INSERT OR UPDATE ON applications_lawsuit
    FOR EACH ROW EXECUTE FUNCTION gongkai_lawsuit_after_review_check();
    """,
    f"""
    CREATE OR REPLACE FUNCTION gongkai_review_removal_check() RETURNS trigger AS $$
    BEGIN
      IF (TG_OP = 'DELETE' OR NEW.application_id <> OLD.application_id)
         AND EXISTS (SELECT 1 FROM applications_lawsuit l
                     WHERE l.application_id = OLD.application_id AND l.after_review)
         AND NOT EXISTS (SELECT 1 FROM applications_administrativereview r
                         WHERE r.application_id = OLD.application_id AND r.id <> OLD.id) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER review_removal_check BEFORE DELETE OR UPDATE ON applications_administrativereview
    FOR EACH ROW EXECUTE FUNCTION gongkai_review_removal_check();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS review_removal_check ON applications_administrativereview;",
    "DROP FUNCTION IF EXISTS gongkai_review_removal_check();",
    "DROP TRIGGER IF EXISTS lawsuit_after_review_check ON applications_lawsuit;",
    "DROP FUNCTION IF EXISTS gongkai_lawsuit_after_review_check();",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
