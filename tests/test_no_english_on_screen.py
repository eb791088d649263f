"""Issue 16 item 9: every page, as every role, in Chinese.

Walks every URL the project defines (tests/urlwalk.py) with each role's OWN records, and
fails on any Latin word on screen outside a short allow-list (IDs, file names, units).
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from jobs.models import Job, this_worker
from jobs.outputs import save_workbook
from tests.support.urlwalk import background_jobs, fill, walk
from tests.support.world import build_world

ROLES = ["clerk", "official", "district", "sysadmin"]
# Latin that belongs on a Chinese screen: formats, file types, units, identifiers.
ALLOWED = {
    "Excel",
    "xlsx",
    "docx",
    "Word",
    "PDF",
    "CSV",
    "SMTP",
    "ID",
    "IP",
    "URL",
    "SVG",
    "yyyy",
    "mm",
    "dd",
    "HTTPS",
    "MB",
    # Key names in Django's hint for choosing several items ("按住 Control 键或 Mac 上的 Command 键").
    "Control",
    "Command",
    "Mac",
}
WORD = re.compile(r"[A-Za-z]{2,}")
HIDDEN = re.compile(r"<(script|style|svg|template|noscript)\b.*?</\1>", re.S | re.I)


def visible_words(html):
    html = HIDDEN.sub(" ", html)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    titles = re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    # Placeholders an office types into its letter templates and 文号 pattern ({{ applicant }},
    # {year}) are identifiers, like user names.
    text = re.sub(r"\{\{[^{}]*\}\}|\{[^{}]*\}", " ", text)
    return [word for chunk in [text, *titles] for word in WORD.findall(chunk)]


def own_records(world):
    """The records each page can be filled with: the A side of tests/world.py, and the
    background jobs of its clerk and district user: queued, running, done and failed."""
    own = dict(world.own)
    own[User] = [world.users.clerk]
    own[Group] = list(Group.objects.filter(name="登记员"))
    offices = [world.office_a, world.district_a]
    clerk_jobs = background_jobs(world.users.clerk, offices)
    district_jobs = background_jobs(world.users.district, offices)
    failed_jobs = background_jobs(world.users.district, offices)
    finished(clerk_jobs[1])  # the clerk's export
    Job.objects.filter(pk=district_jobs[1].pk).update(
        status=Job.Status.RUNNING, worker=this_worker(), stage="正在处理", rows_total=10
    )
    finished(district_jobs[2])  # the district's rollup workbook
    Job.objects.filter(pk__in=[job.pk for job in failed_jobs]).update(
        status=Job.Status.FAILED, errors=[{"message": "没有生成。"}]
    )
    own[Job] = [*clerk_jobs, *district_jobs, *failed_jobs]
    return own


def finished(job):
    save_workbook(job, Workbook())
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, summary="共 1 行")


@pytest.fixture
def world(db):
    return build_world()


def test_every_page_for_every_role_is_in_chinese(world):
    own = own_records(world)
    urls = []
    for route in walk():
        try:
            filled = fill(route, own)
        except (KeyError, IndexError):
            filled = None
        urls += filled or []
    usernames = sorted(User.objects.values_list("username", flat=True), key=len, reverse=True)
    found, checked = {}, 0
    for role in ROLES:
        client = Client()
        client.force_login(getattr(world.users, role))
        for item in urls:
            if item.url == reverse("health"):  # for the reverse proxy, not a page for people
                continue
            response = client.get(item.url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            html = response.content.decode()
            for username in usernames:  # user names are identifiers, typed in Latin letters
                html = html.replace(username, " ")
            latin = sorted(set(visible_words(html)) - ALLOWED)
            if latin:
                found[(role, item.url)] = latin
    assert checked > 100  # the walk reached the pages
    assert found == {}
