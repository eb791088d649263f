from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from health_check.views import HealthCheckView


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for on every page, is the app's own icon."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


admin.site.site_header = "政府信息公开工作平台"
admin.site.site_title = "政府信息公开工作平台"
admin.site.index_title = "台账管理"
# Each role sees a handful of lists, all on the admin index; the sidebar repeating them
# took a quarter of the width the ledger list needs.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
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
    path("notifications/", include("notifications.urls")),
]
