"""Production settings: `check --deploy` is clean, and the pages carry the security headers
and a Content Security Policy of the app's own assets only, which the admin works under."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.support.inline_code import inline_code
from tests.support.urlwalk import fill, walk

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "gongkai.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://gongkai.example.gov.cn",
        "SQLITE_PATH": str(tmp_path / "production.sqlite3"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.fixture(scope="module")
def production_pages(tmp_path_factory):
    """Admin pages fetched through the full production middleware stack, in a subprocess."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path)
    for args in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    result = manage(
        env, "shell", "-c", (BASE_DIR / "tests" / "support" / "production_probe.py").read_text()
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    return {page["url"]: page for page in json.loads(line.removeprefix("PROBE"))}


def test_production_pages_send_the_security_headers(production_pages):
    for url, page in production_pages.items():
        if url.startswith("http:"):
            continue
        assert page["status"] == 200, url
        headers = page["headers"]
        assert (
            headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
        )
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        policy = dict(
            (part.strip().split(" ", 1) + [""])[:2]
            for part in headers["content-security-policy"].split(";")
        )
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in headers["content-security-policy"]


def test_production_cookies_are_secure(production_pages):
    login = production_pages["/admin/login/"]
    assert login["cookies"]["csrftoken"]["secure"]
    signed_in = production_pages["/admin/"]
    for cookie in signed_in["cookies"].values():
        assert cookie["secure"]
    assert signed_in["cookies"]["sessionid"]["httponly"]


def test_plain_http_is_redirected_to_https(production_pages):
    page = production_pages["http:/admin/login/"]
    assert page["status"] == 301
    assert page["headers"]["location"] == "https://gongkai.example.gov.cn/admin/login/"


def test_admin_works_under_the_csp_in_production(production_pages):
    for url, page in production_pages.items():
        assert page.get("inline", []) == [], url


def test_every_page_works_under_a_self_only_csp(complete_world):
    """Every screen the project defines (found by walking the URL resolver) has the CSP
    header and nothing inline that it would block: later screens are checked too."""
    world = complete_world
    client = Client()
    client.force_login(world.users.superuser)
    problems = []
    checked = 0
    for route in walk():
        for filled in fill(route, world.foreign) or []:
            response = client.get(filled.url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            if "Content-Security-Policy" not in response:
                problems.append(f"{filled.url}：没有 Content-Security-Policy")
            problems += [
                f"{filled.url}：{found}" for found in inline_code(response.content.decode())
            ]
    assert checked > 40
    assert problems == []
