from django.contrib import admin
from django_tasks_db.models import DBTaskResult

# The raw task queue is not for the offices: users follow their work on its own page
# (e.g. the ledger import's), which shows only their own jobs.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
