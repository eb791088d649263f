"""The basic fixtures: two offices, an application maker and a superuser's client."""

import pytest

from tests.support import factories


@pytest.fixture
def office(db):
    return factories.make_office("学府街道")


@pytest.fixture
def other_office(db):
    return factories.make_office("开元路街道")


@pytest.fixture
def make_application(office):
    """Create an application of `office` with sensible defaults; any field can be overridden."""

    def make(**fields):
        return factories.make_application(fields.pop("organization", office), **fields)

    return make


@pytest.fixture
def admin_user(db):
    return factories.make_superuser("root", email="root@example.com")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _background_tasks_run_at_once(settings):
    """Tasks run inside the request that queues them; tests/test_tasks.py runs a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.JOBS_PROGRESS_DATABASE = "default"


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    """Uploads and the files jobs make (exports, rollup workbooks) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
