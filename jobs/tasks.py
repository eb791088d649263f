"""The task the worker runs. django-tasks is the backport of Django 6's tasks framework:
on Django 6 only the import below changes (from django.tasks import task)."""

from django_tasks import task

from . import runner


@task()
def run_job(job_id):
    runner.run(job_id)


def enqueue(job):
    """Queue a saved Job for the worker (TASKS in settings says which backend)."""
    run_job.enqueue(str(job.pk))
    return job
