"""Production serving: the health URL, the client's address behind the proxy, and pages
that render whether or not the static files were collected yet."""

import datetime
import json

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.tasks import run_job
from lib.proxy import ClientAddressMiddleware

from .test_deploy_check import manage, production_env

CHECKS = {"Database(alias='default')", "Storage(alias='default')", "TaskQueue()"}


def test_the_health_url_answers_without_login_and_names_only_the_checks(
    client, office, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    response = client.get("/health/?format=json")

    assert response.status_code == 200
    assert json.loads(response.content) == dict.fromkeys(CHECKS, "OK")
    assert office.short_name not in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_the_health_url_fails_when_a_task_has_waited_ten_minutes(
    client, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run_job.enqueue("00000000-0000-0000-0000-000000000000")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=11))

    response = client.get("/health/?format=json")

    assert response.status_code == 500
    assert "worker" in json.loads(response.content)["TaskQueue()"]


def test_a_fresh_task_in_the_queue_is_healthy(client, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run_job.enqueue("00000000-0000-0000-0000-000000000000")

    assert client.get("/health/?format=json").status_code == 200


def address(settings, remote, forwarded=None, trusted=("10.0.0.2",)):
    settings.TRUSTED_PROXIES = list(trusted)
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    ClientAddressMiddleware(lambda request: None)(request)
    return request.META["REMOTE_ADDR"]


def test_the_client_address_comes_from_the_trusted_proxys_header(settings):
    assert address(settings, "10.0.0.2", "203.0.113.7") == "203.0.113.7"


def test_addresses_a_client_put_in_the_header_itself_are_not_believed(settings):
    assert address(settings, "10.0.0.2", "1.2.3.4, 203.0.113.7") == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client(settings):
    trusted = ("10.0.0.2", "10.0.0.3")
    assert address(settings, "10.0.0.2", "203.0.113.7, 10.0.0.3", trusted) == "203.0.113.7"


def test_the_header_from_an_untrusted_address_is_ignored(settings):
    assert address(settings, "198.51.100.9", "203.0.113.7") == "198.51.100.9"


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert address(settings, "10.0.0.2", "203.0.113.7", trusted=()) == "10.0.0.2"


@pytest.mark.parametrize("collected", [False, True], ids=["not collected", "collected"])
def test_production_pages_and_the_health_url_work_whether_or_not_static_files_are_collected(
    tmp_path, collected
):
    env = production_env(tmp_path)
    assert manage(env, "migrate", "--noinput", "-v0").returncode == 0
    if collected:
        assert manage(env, "collectstatic", "--noinput", "-v0").returncode == 0
    probe = (
        "from django.test import Client\n"
        "from django.templatetags.static import static\n"
        "client = Client(HTTP_HOST='gongkai.example.gov.cn')\n"
        "login = client.get('/admin/login/', secure=True)\n"
        "health = client.get('/health/?format=json')\n"
        "print(static('css/gongkai.css'), login.status_code, health.status_code)\n"
    )
    result = manage(env, "shell", "-c", probe)

    assert result.returncode == 0, result.stderr
    url, login, health = result.stdout.strip().splitlines()[-1].split()
    assert (login, health) == ("200", "200")  # the health URL is not redirected to HTTPS
    if collected:
        assert url.startswith("/static/css/gongkai.") and url != "/static/css/gongkai.css"
    else:
        assert url == "/static/css/gongkai.css"
