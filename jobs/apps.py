from django.apps import AppConfig
from django.db.models.signals import post_delete


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jobs"
    verbose_name = "后台任务"

    def ready(self):
        from .models import Job
        from .outputs import remove_output

        post_delete.connect(remove_output, sender=Job, dispatch_uid="jobs.remove_output")
