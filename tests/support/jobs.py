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
    return _followed(
        client,
        user,
        start_export(client, organization, year),
        Job.Kind.LEDGER_EXPORT,
        export_page,
        export_download,
    )


def _followed(client, user, response, kind, page, download):
    """The job a request just started (it redirected to the job's page) and its download."""
    assert response.status_code == 302, response
    job = latest_job(user, kind)
    assert response["Location"] == page(job)
    downloaded = client.get(download(job))
    assert downloaded.status_code == 200, downloaded
    return job, content(downloaded)


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
    return _followed(
        client,
        user,
        start_rollup(client, district, year),
        Job.Kind.ROLLUP_WORKBOOK,
        rollup_page,
        rollup_download,
    )
