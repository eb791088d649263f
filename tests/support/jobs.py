"""Driving background jobs through the web as a user does: start one, follow it to its page,
download what it made. Tasks run inside the request in tests (fixtures.py), so a job has
ended when the request that started it returns."""

from django.urls import reverse

from jobs.models import Job

EXPORT = "admin:applications_application_ledger_export"


def content(response):
    """The bytes of a download (a FileResponse streams them)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def latest_job(user, kind):
    return Job.objects.filter(user=user, kind=kind).latest("created_at")


def start_export(client, organization, year=None):
    return client.post(reverse(EXPORT), {"organization": organization.pk, "year": year or ""})


def export_page(job):
    return reverse("admin:applications_application_ledger_export_job", args=[job.pk])


def export_status(job):
    return reverse("admin:applications_application_ledger_export_job_status", args=[job.pk])


def export_download(job):
    return reverse("admin:applications_application_ledger_export_download", args=[job.pk])


def export_through_the_web(client, user, organization, year=None):
    """Start an export as `user` (signed in on `client`); its Job and the downloaded bytes."""
    response = start_export(client, organization, year)
    assert response.status_code == 302, response
    job = latest_job(user, Job.Kind.LEDGER_EXPORT)
    assert response["Location"] == export_page(job)
    download = client.get(export_download(job))
    assert download.status_code == 200, download
    return job, content(download)


def start_rollup(client, district, year=2021):
    return client.post(reverse("reports:district_workbook", args=[district.pk, year]))


def rollup_page(job):
    return reverse("reports:rollup_job", args=[job.pk])


def rollup_status(job):
    return reverse("reports:rollup_job_status", args=[job.pk])


def rollup_download(job):
    return reverse("reports:rollup_download", args=[job.pk])


def rollup_through_the_web(client, user, district, year=2021):
    """Queue the district's rollup workbook as `user`; its Job and the downloaded bytes."""
    response = start_rollup(client, district, year)
    assert response.status_code == 302, response
    job = latest_job(user, Job.Kind.ROLLUP_WORKBOOK)
    assert response["Location"] == rollup_page(job)
    download = client.get(rollup_download(job))
    assert download.status_code == 200, download
    return job, content(download)
