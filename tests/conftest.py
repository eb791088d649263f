import datetime

import pytest

from applications.choices import ApplicantType, Outcome
from applications.models import Application, Organization


@pytest.fixture
def office(db):
    return Organization.objects.create(name="洛阳市洛龙区学府街道办事处", short_name="学府街道")


@pytest.fixture
def other_office(db):
    return Organization.objects.create(name="洛阳市洛龙区开元路街道办事处", short_name="开元路街道")


@pytest.fixture
def make_application(office):
    """Create an application with sensible defaults; any field can be overridden."""

    def make(**fields):
        fields.setdefault("organization", office)
        fields.setdefault("received_on", datetime.date(2021, 3, 1))
        fields.setdefault("applicant_type", ApplicantType.NATURAL_PERSON)
        fields.setdefault("applicant_name", "张三")
        fields.setdefault("content", "申请公开2020年辖区老旧小区改造项目清单")
        if fields.get("answered_on") and "outcome" not in fields:
            fields["outcome"] = Outcome.DISCLOSED
        return Application.objects.create(**fields)

    return make


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser(
        "root", "root@example.com", "pw-for-tests-only-1"
    )


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _background_tasks_run_at_once(settings):
    """Tasks run inside the request that queues them; tests/test_tasks.py runs a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.JOBS_PROGRESS_DATABASE = "default"
