"""SubmittedReport.confirmations: what the district confirmed when it accepted a workbook.

SQLite adds this column by rebuilding the table, which drops the trigger of migration 0004
that refuses to change an accepted row; it is created again here. (PostgreSQL adds the
column in place and keeps its trigger.)
"""

from django.db import migrations, models

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS submitted_report_immutable BEFORE UPDATE ON reports_submittedreport
WHEN OLD.accepted_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'submitted_report_is_immutable'); END;
"""


def recreate_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_submitted_report_immutable"),
    ]

    operations = [
        migrations.AddField(
            model_name="submittedreport",
            name="confirmations",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="读取时须区里逐项确认的事项（按最接近的国家格式行名读取的行、标题与所选机关或年度不符），接收时全部确认。",
                verbose_name="接收时确认的事项",
            ),
        ),
        migrations.RunPython(recreate_trigger, migrations.RunPython.noop),
    ]
