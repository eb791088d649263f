from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:organization_id>/<int:year>/", views.report, name="report"),
    path("<int:organization_id>/<int:year>/workbook.xlsx", views.workbook, name="workbook"),
    path("<int:organization_id>/<int:year>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:organization_id>/<int:year>/versions/<int:version>.xlsx", views.signed_workbook, name="signed_workbook"),
]
