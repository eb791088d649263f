"""Issue 16 item 9: every page, as every role, in Chinese.

Walks every URL the project defines (tests/urlwalk.py) with each role's OWN records, and
fails on any Latin word on screen outside a short allow-list (IDs, file names, units).
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.support.urlwalk import fill, walk
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
    """The records each page can be filled with: the A side of tests/world.py."""
    own = dict(world.own)
    own[User] = [world.users.clerk]
    own[Group] = list(Group.objects.filter(name="登记员"))
    return own


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
