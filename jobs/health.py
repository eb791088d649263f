"""The task queue's health, for the proxy's health URL (config/urls.py): the queue's table
answers, and no task has been waiting so long that no worker can be running."""

import dataclasses
import datetime

from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

STUCK_AFTER = datetime.timedelta(minutes=10)


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    def run(self):
        oldest = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
        if oldest is not None and oldest < timezone.now() - STUCK_AFTER:
            raise ServiceUnavailable("Tasks have waited over 10 minutes: is the worker running?")
