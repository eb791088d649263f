from django.contrib import admin
from django.urls import include, path
from health_check.views import HealthCheckView

admin.site.site_header = "政府信息公开工作平台"
admin.site.site_title = "政府信息公开工作平台"
admin.site.index_title = "台账管理"
# Each role sees a handful of lists, all on the admin index; the sidebar repeating them
# took a quarter of the width the ledger list needs.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", include("applications.urls")),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    # For the reverse proxy: database, media storage and the task queue; no login, no data.
    path(
        "health/",
        HealthCheckView.as_view(
            checks=[
                "health_check.checks.Database",
                "health_check.checks.Storage",
                "jobs.health.TaskQueue",
            ]
        ),
        name="health",
    ),
]
