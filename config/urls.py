from django.contrib import admin
from django.urls import include, path

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
    path("notifications/", include("notifications.urls")),
]
