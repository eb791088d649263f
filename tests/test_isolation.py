"""No user reaches another office's records by any route.

The matrix walks every URL the project defines (tests/support/urlwalk.py), fills its parameters
with records of another district's office, and asks as each role.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.checks import run_checks
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.scoping import GLOBAL
from applications.models import AdministrativeReview, Application, ClockStop, Organization
from tests.support.factories import make_application
from tests.support.urlwalk import fill, unfillable_routes, walk
from tests.support.world import FOREIGN_SENTINELS, ROLE_NAMES, client_as

ROLES = [*ROLE_NAMES, "anonymous"]
LOGIN_PATH = reverse(settings.LOGIN_URL)


@pytest.fixture
def world(complete_world):
    return complete_world


def filled_urls(world):
    urls = []
    for route in walk():
        filled = fill(route, world.foreign)
        assert filled is not None, (
            f"隔离矩阵不知道如何填写 {route} 的参数 {route.params}：请在 tests/support/urlwalk.py 的 fill() 中加入。"
        )
        urls += filled
    return urls


def is_unscoped(model):
    return getattr(admin.site._registry.get(model), "office_path", None) == GLOBAL


def may_see_unscoped(user, model):
    """Records of no office (groups, lockouts) are guarded by model permissions alone."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def database_state(world):
    """Row counts of every table, and the values of every foreign record."""
    from django.apps import apps

    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }
    counts.pop("sessions.Session", None)
    values = {
        (model._meta.label, obj.pk): model_to_dict(model._default_manager.get(pk=obj.pk))
        for model, objects in world.foreign.items()
        for obj in objects
    }
    return counts, values


def is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


def test_every_url_parameter_is_known_to_the_matrix(world):
    assert unfillable_routes(world.foreign) == []


def test_matrix_walks_admin_and_project_urls(world):
    names = {route.name for route in walk()}
    for name in [
        "applications:home",
        "admin:index",
        "admin:applications_application_change",
        "admin:applications_application_history",
        "admin:applications_application_simple_history",
        "admin:applications_administrativereview_delete",
        "admin:auth_user_password_change",
        "admin:accounts_auditevent_change",
    ]:
        assert name in names


@pytest.mark.urls("tests.support.urls_unknown_parameter")
def test_matrix_fails_on_a_parameter_it_cannot_fill(world):
    unknown = unfillable_routes(world.foreign)
    assert [route.name for route in unknown] == ["mystery_screen"]


@pytest.mark.parametrize("role", ROLES)
def test_another_offices_records_answer_404(world, role):
    client = client_as(world, role)
    user = getattr(world.users, role, None)
    before = database_state(world)
    violations = []
    for filled in filled_urls(world):
        if filled.target is None:
            continue
        if user is not None and is_unscoped(filled.model) and may_see_unscoped(user, filled.model):
            continue  # a record of no office that this role manages (calendar overrides): not an isolation matter
        for method in ("get", "post"):
            response = getattr(client, method)(
                filled.url, {"post": "yes", "_save": "保存"} if method == "post" else None
            )
            status = response.status_code
            if role == "anonymous":
                ok = is_login_redirect(response) or status in (404, 405)
            elif is_unscoped(filled.model):
                ok = status != 200 or may_see_unscoped(user, filled.model)
            elif filled.route.model_admin is not None and filled.route.name:
                # Change, delete, history, password pages of another office's record.
                ok = status == 404 or (status == 405 and method == "post")
            else:
                ok = status != 200 and not (
                    300 <= status < 400 and not response["Location"].startswith("/admin/")
                )
            if not ok:
                violations.append(f"{method.upper()} {filled.url} → {status}")
    assert violations == [], f"{role} 能访问另一机关的记录：\n" + "\n".join(violations)
    assert database_state(world) == before


def test_superuser_reaches_every_filled_url(world):
    """The positive control: the matrix's URLs are real pages, not typos that 404 anyway."""
    client = client_as(world, "superuser")
    missing = [
        f"GET {filled.url} → 404"
        for filled in filled_urls(world)
        if filled.target is not None and client.get(filled.url).status_code == 404
    ]
    assert missing == []


def pages_without_records(world):
    """(url, the text we typed into it) for every page that names no record."""
    for filled in filled_urls(world):
        if filled.target is not None:
            continue
        yield filled.url, None
        if filled.route.name.endswith("_changelist"):
            for sentinel in FOREIGN_SENTINELS:
                yield f"{filled.url}?q={sentinel}", sentinel


def autocomplete_urls():
    """The admin's autocomplete for every foreign key of every registered model."""
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.many_to_one
                and field.related_model in admin.site._registry
            ):
                yield (
                    (
                        reverse("admin:autocomplete")
                        + f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}&field_name={field.name}&term="
                    ),
                    None,
                )


def response_text(response):
    """The text a person would read: a page's HTML, or every cell of a downloaded workbook."""
    if not getattr(response, "streaming", False):
        return response.content.decode()
    data = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(value)
        for ws in workbook
        for row in ws.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_another_offices_records(world, role):
    client = client_as(world, role)
    leaks = []
    for url, typed in [*pages_without_records(world), *autocomplete_urls()]:
        response = client.get(url)
        if role == "anonymous":
            # The health URL is public by design (for the proxy; it names only its checks,
            # tests/test_production.py); every other page wants a sign-in.
            if response.status_code == 200 and url not in (
                reverse("admin:login"),
                reverse("health"),
            ):
                leaks.append(f"{url}：未登录也能打开")
            continue
        if response.status_code != 200:
            continue
        body = response_text(response)
        # The search box repeats what was typed; any other sentinel is a leak.
        leaks += [
            f"{url}：出现了“{sentinel}”"
            for sentinel in FOREIGN_SENTINELS
            if sentinel != typed and sentinel in body
        ]
    assert leaks == []


def test_anonymous_user_is_sent_to_the_login_page(world):
    response = Client().get(reverse("applications:home"))
    assert is_login_redirect(response)
    assert Client().get(reverse("admin:login")).status_code == 200


def test_forged_office_in_a_new_application_is_a_form_error(world):
    client = client_as(world, "clerk")
    response = client.post(
        reverse("admin:applications_application_add"),
        {
            "organization": world.office_b.pk,
            "received_on": "2021-03-02",
            "channel": "in_person",
            "applicant_type": "natural_person",
            "applicant_name": "赵六",
            "content": "申请公开某文件",
            **empty_inlines(),
        },
    )
    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    assert not Application.objects.filter(applicant_name="赵六").exists()


def empty_inlines():
    data = {}
    for prefix in ("clock_stops", "reviews", "lawsuits"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_clerk_offered_only_their_own_office_and_it_is_used(world):
    client = client_as(world, "clerk")
    form = client.get(reverse("admin:applications_application_add")).context["adminform"].form
    assert list(form.fields["organization"].queryset) == [world.office_a]
    assert form.initial["organization"] == world.office_a.pk
    response = client.post(
        reverse("admin:applications_application_add"),
        {
            "organization": world.office_a.pk,
            "received_on": "2021-03-02",
            "channel": "in_person",
            "applicant_type": "natural_person",
            "applicant_name": "赵六",
            "content": "申请公开某文件",
            **empty_inlines(),
        },
    )
    assert response.status_code == 302
    created = Application.objects.get(applicant_name="赵六")
    assert created.organization == world.office_a
    assert created.created_by == world.users.clerk


def test_forged_application_in_a_raw_id_field_is_a_form_error(world):
    client = client_as(world, "clerk")
    response = client.post(
        reverse("admin:applications_administrativereview_add"),
        {
            "application": world.b_plain.pk,
            "filed_on": "2021-08-01",
            "review_body": "伪造",
            "result": "",
            "notes": "",
        },
    )
    assert response.status_code == 200
    assert "application" in response.context["adminform"].form.errors
    assert not AdministrativeReview.objects.filter(review_body="伪造").exists()


def test_raw_id_box_does_not_name_another_offices_application(world):
    client = client_as(world, "clerk")
    response = client.get(
        reverse("admin:applications_administrativereview_add") + f"?application={world.b_plain.pk}"
    )
    assert response.status_code == 200
    assert world.b_plain.number not in response.content.decode()
    own = client.get(
        reverse("admin:applications_administrativereview_add") + f"?application={world.a_plain.pk}"
    )
    assert world.a_plain.number in own.content.decode()


def test_organization_filter_lists_only_visible_offices(world):
    client = client_as(world, "district")
    response = client.get(reverse("admin:applications_application_changelist"))
    body = response.content.decode()
    assert "学府街道" in body
    assert "王城路街道" not in body


def test_autocomplete_offers_only_visible_applications(world):
    client = client_as(world, "clerk")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "applications",
            "model_name": "lawsuit",
            "field_name": "application",
            "term": "",
        },
    )
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == {world.a_app.pk, world.a_plain.pk}


def test_district_sees_offices_under_it_but_not_another_district(world):
    client = client_as(world, "district")
    own_office_page = reverse("admin:applications_application_change", args=[world.a_app.pk])
    assert client.get(own_office_page).status_code == 200
    assert (
        client.get(
            reverse("admin:applications_application_change", args=[world.b_app.pk])
        ).status_code
        == 404
    )


def test_clerk_cannot_remove_a_clock_stop_by_forging_the_inline_delete_box(world):
    client = client_as(world, "clerk")
    url = reverse("admin:applications_application_change", args=[world.a_app.pk])
    form = client.get(url).context["adminform"].form
    stop = world.a_app.clock_stops.get()
    data = {
        name: value for name, value in form.initial.items() if value is not None and name != "id"
    }
    data |= {
        "received_on": "2021-03-01",
        "answered_on": "2021-03-20",
        "clock_stops-TOTAL_FORMS": "1",
        "clock_stops-INITIAL_FORMS": "1",
        "clock_stops-0-id": stop.pk,
        "clock_stops-0-application": world.a_app.pk,
        "clock_stops-0-kind": stop.kind,
        "clock_stops-0-started_on": "2021-03-05",
        "clock_stops-0-DELETE": "on",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
        "lawsuits-TOTAL_FORMS": "0",
        "lawsuits-INITIAL_FORMS": "0",
    }
    client.post(url, data)
    assert ClockStop.objects.filter(pk=stop.pk).exists()


def test_every_admin_must_be_office_scoped(world):
    from axes.models import AccessLog

    assert [error for error in run_checks() if error.id == "accounts.E001"] == []
    admin.site.register(AccessLog)
    try:
        errors = [error for error in run_checks() if error.id == "accounts.E001"]
    finally:
        admin.site.unregister(AccessLog)
    assert len(errors) == 1
    assert "axes.AccessLog" in errors[0].msg


def test_system_admin_of_a_district_manages_its_offices_only(world):
    client = client_as(world, "sysadmin")
    assert (
        client.get(
            reverse("admin:applications_organization_change", args=[world.office_a.pk])
        ).status_code
        == 200
    )
    form = client.get(reverse("admin:applications_organization_add")).context["adminform"].form
    assert list(form.fields["parent"].queryset) == [world.district_a]
    assert client.get(reverse("admin:applications_application_changelist")).status_code == 403
    assert Organization.objects.filter(pk=world.office_b.pk).exists()
    assert Group.objects.filter(name="登记员").exists()


def test_matrix_makes_another_offices_record_for_a_model_it_was_not_taught(world):
    """A model registered later gets its foreign record made automatically."""
    from tests.support.urlwalk import auto_foreign_object

    foreign = {
        model: objects
        for model, objects in world.foreign.items()
        if model is not AdministrativeReview
    }
    review = auto_foreign_object(AdministrativeReview, foreign)
    assert review.application.organization == world.office_b


def test_scoped_application_list_runs_the_same_queries_for_5_or_25_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(world, "clerk")
    url = reverse("admin:applications_application_changelist")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _ in range(3):
        make_application(
            world.office_a,
            received_on=datetime.date(2021, 6, 1),
            applicant_type="other",
            applicant_name="甲",
            content="乙",
        )
    few = count_queries()
    for _ in range(20):
        make_application(
            world.office_a,
            received_on=datetime.date(2021, 6, 1),
            applicant_type="other",
            applicant_name="甲",
            content="乙",
        )
    assert count_queries() == few
