"""Store each application's answer deadline so lists can sort and filter by it."""

from django.conf import settings
from django.db import migrations, models


def compute_existing_deadlines(apps, schema_editor):
    from applications.deadlines import recompute_deadlines
    from workdays.calendar import WorkdayCalendar

    Application = apps.get_model("applications", "Application")
    calendar = WorkdayCalendar(override_model=apps.get_model("workdays", "WorkdayOverride"))
    recompute_deadlines(Application.objects.all(), calendar)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0002_lawsuit_after_review_trigger'),
        ('workdays', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='due_is_provisional',
            field=models.BooleanField(default=False, editable=False, help_text='期限用到了工作日历尚未收录的年份，暂按周一至周五计算。', verbose_name='答复期限待确认'),
        ),
        migrations.AddField(
            model_name='application',
            name='due_on',
            field=models.DateField(blank=True, editable=False, help_text='根据收到日期、补正、延期和不计入期限的期间自动计算；有尚未结束的暂停期间时为空（待定）。', null=True, verbose_name='答复期限'),
        ),
        migrations.AddField(
            model_name='historicalapplication',
            name='due_is_provisional',
            field=models.BooleanField(default=False, editable=False, help_text='期限用到了工作日历尚未收录的年份，暂按周一至周五计算。', verbose_name='答复期限待确认'),
        ),
        migrations.AddField(
            model_name='historicalapplication',
            name='due_on',
            field=models.DateField(blank=True, editable=False, help_text='根据收到日期、补正、延期和不计入期限的期间自动计算；有尚未结束的暂停期间时为空（待定）。', null=True, verbose_name='答复期限'),
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['organization', 'due_on'], name='application_org_due'),
        ),
        migrations.RunPython(compute_existing_deadlines, migrations.RunPython.noop),
    ]
