from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:organization_id>/<int:year>/", views.report, name="report"),
    path("<int:organization_id>/<int:year>/workbook.xlsx", views.workbook, name="workbook"),
    path("<int:organization_id>/<int:year>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:organization_id>/<int:year>/edit/", views.report_edit, name="report_edit"),
    path(
        "<int:organization_id>/<int:year>/sign-off/confirm/",
        views.sign_off_confirm,
        name="sign_off_confirm",
    ),
    path(
        "<int:organization_id>/<int:year>/versions/<int:version>.xlsx",
        views.signed_workbook,
        name="signed_workbook",
    ),
    path("<int:organization_id>/<int:year>/report.docx", views.document, name="document"),
    path(
        "<int:organization_id>/<int:year>/versions/<int:version>.docx",
        views.signed_document,
        name="signed_document",
    ),
    path("district/<int:district_id>/<int:year>/", views.district_board, name="district"),
    path(
        "district/<int:district_id>/<int:year>/rollup/",
        views.district_workbook,
        name="district_workbook",
    ),
    path("district/rollup/<uuid:job_id>/", views.rollup_job, name="rollup_job"),
    path(
        "district/rollup/<uuid:job_id>/status/",
        views.rollup_job_status,
        name="rollup_job_status",
    ),
    path(
        "district/rollup/<uuid:job_id>/rollup.xlsx",
        views.rollup_download,
        name="rollup_download",
    ),
    path("district/<int:district_id>/<int:year>/intake/", views.intake_upload, name="intake"),
    path(
        "district/<int:district_id>/<int:year>/intake/jobs/<uuid:job_id>/",
        views.intake_job,
        name="intake_job",
    ),
    path(
        "district/<int:district_id>/<int:year>/intake/jobs/<uuid:job_id>/status/",
        views.intake_job_status,
        name="intake_job_status",
    ),
    path(
        "district/<int:district_id>/<int:year>/intake/<int:submission_id>/",
        views.submission,
        name="submission",
    ),
    path(
        "district/<int:district_id>/<int:year>/intake/<int:submission_id>/workbook.xlsx",
        views.submission_workbook,
        name="submission_workbook",
    ),
]
