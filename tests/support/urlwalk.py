"""Every URL the project defines, found by walking the URL resolver, with its parameters
filled with records of another office.

A new screen is picked up by itself. A parameter the walker does not know how to fill is
reported (and fails the isolation matrix) instead of being skipped: teach `fill()` about
it, so that no screen escapes the matrix.
"""

import datetime
import decimal
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db import models
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from django.utils.regex_helper import normalize

from applications.models import Application, Organization

# Parameter names that mean "an office" in a URL (reports/<org>/<year>/ and the like).
OFFICE_PARAMS = {
    "org",
    "org_id",
    "org_pk",
    "organization",
    "organization_id",
    "organization_pk",
    "office",
    "office_id",
}
YEAR_PARAMS = {"year"}
DISTRICT_PARAMS = {"district", "district_id"}
APPLICATION_PARAMS = {"application", "application_id", "application_pk"}
# The pages of background jobs, with the kinds of job each shows (another kind is not found).
LEDGER_IMPORT_JOBS = {"ledger_preview", "ledger_import"}
JOB_PAGES = {
    "admin:applications_application_ledger_job": LEDGER_IMPORT_JOBS,
    "admin:applications_application_ledger_job_status": LEDGER_IMPORT_JOBS,
    "admin:applications_application_ledger_export_job": {"ledger_export"},
    "admin:applications_application_ledger_export_job_status": {"ledger_export"},
    "admin:applications_application_ledger_export_download": {"ledger_export"},
    "reports:rollup_job": {"rollup_workbook"},
    "reports:rollup_job_status": {"rollup_workbook"},
    "reports:rollup_download": {"rollup_workbook"},
}
# Admin object views: Django's <path:object_id>, UserAdmin's <id>, simple-history's positional ones.
ADMIN_OBJECT_PARAMS = {"object_id", "id", "_0"}


@dataclass
class Route:
    name: str
    format: str
    params: list
    callback: object
    model_admin: ModelAdmin | None = None
    admin_site: object = None

    def url(self, values):
        return "/" + self.format % {name: str(value) for name, value in values.items()}

    def __str__(self):
        return f"{self.name or '(unnamed)'} /{self.format}"


@dataclass
class Filled:
    """One concrete URL with another office's values, and the record it points to."""

    route: Route
    url: str
    target: object = None  # the foreign record, or None for a URL that names no record
    model: type | None = None
    params: dict = field(default_factory=dict)


def find_model_admin(callback):
    seen = callback
    while seen is not None:
        model_admin = getattr(seen, "model_admin", None)
        if isinstance(model_admin, ModelAdmin):
            return model_admin
        owner = getattr(seen, "__self__", None)
        if isinstance(owner, ModelAdmin):
            return owner
        seen = getattr(seen, "__wrapped__", None)
    return None


def walk(resolver=None, regexes=(), namespace=""):
    """Yield a Route for every URL pattern, through every include() and namespace."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        regex = pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            child_namespace = namespace
            if pattern.namespace:
                child_namespace = (
                    f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                )
            yield from walk(pattern, (*regexes, regex), child_namespace)
            continue
        format_string, params = normalize("".join((*regexes, regex)))[0]
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
        yield Route(
            name=name,
            format=format_string,
            params=list(params),
            callback=pattern.callback,
            model_admin=find_model_admin(pattern.callback),
            admin_site=getattr(pattern.callback, "admin_site", None),
        )


def latest_history_id(obj):
    history = getattr(
        type(obj), getattr(type(obj)._meta, "simple_history_manager_attribute", ""), None
    )
    if history is None:
        return None
    return (
        history.filter(**{type(obj)._meta.pk.attname: obj.pk})
        .order_by("-history_date")
        .values_list("history_id", flat=True)
        .first()
    )


from reports.models import ReportSignOff, SubmittedReport  # noqa: E402


def fill(route, foreign):
    """The URLs of `route` filled with another office's records, or None if a parameter
    is unknown. `foreign` maps each model to its records belonging to another office."""
    params = set(route.params)
    if not params:
        return [Filled(route, route.url({}))]
    model_admin = route.model_admin
    if model_admin is not None and params <= ADMIN_OBJECT_PARAMS | {"_1"}:
        objects = foreign.get(model_admin.model)
        if objects is None:
            return None
        filled = []
        for obj in objects:
            values = {name: obj.pk for name in params if name != "_1"}
            if "_1" in params:  # simple-history: /<object_id>/history/<history_id>/
                values["_1"] = latest_history_id(obj)
                if values["_1"] is None:
                    continue
            filled.append(Filled(route, route.url(values), obj, model_admin.model, values))
        return filled
    if getattr(route.callback, "__name__", "") == "catch_all_view" and params == {"url"}:
        # The admin's "no such page" answer, and its add-a-slash redirect to a foreign record.
        change = f"{Organization._meta.app_label}/{Organization._meta.model_name}/{foreign[Organization][0].pk}/change"
        return [
            Filled(route, route.url({"url": "no-such-page/"})),
            Filled(route, route.url({"url": change})),
        ]
    if route.name.endswith(":app_list") and params == {"app_label"}:
        labels = sorted({model._meta.app_label for model in admin.site._registry})
        return [Filled(route, route.url({"app_label": label})) for label in labels]
    if route.name.endswith(":view_on_site") and params == {"content_type_id", "object_id"}:
        from django.contrib.contenttypes.models import ContentType

        filled = []
        for model, objects in foreign.items():
            if hasattr(model, "get_absolute_url"):
                content_type = ContentType.objects.get_for_model(model)
                for obj in objects:
                    values = {"content_type_id": content_type.pk, "object_id": obj.pk}
                    filled.append(Filled(route, route.url(values), obj, model, values))
        return filled
    if "submission_id" in params and params <= {"submission_id", *DISTRICT_PARAMS, *YEAR_PARAMS}:
        # A submitted workbook lives under its office's district and year: fill all from it.
        filled = []
        for submitted in foreign[SubmittedReport]:
            values = {
                name: submitted.organization.parent_id
                if name in DISTRICT_PARAMS
                else submitted.year
                if name in YEAR_PARAMS
                else submitted.pk
                for name in params
            }
            filled.append(Filled(route, route.url(values), submitted, SubmittedReport, values))
        return filled
    if "version" in params and params <= {"version", *OFFICE_PARAMS, *YEAR_PARAMS}:
        # A signed-off version only exists for its own office and year: fill all three from it.
        filled = []
        for signed in foreign[ReportSignOff]:
            values = {
                name: signed.organization_id
                if name in OFFICE_PARAMS
                else signed.year
                if name in YEAR_PARAMS
                else signed.version
                for name in params
            }
            filled.append(Filled(route, route.url(values), signed, ReportSignOff, values))
        return filled
    if params == {"job_id"}:
        # A background job is only its starter's: the other office's jobs of the kinds the
        # page shows (JOB_PAGES; a page not listed there is reported, to be taught).
        from jobs.models import Job

        if Job not in foreign or route.name not in JOB_PAGES:
            return None
        return [
            Filled(route, route.url({"job_id": job.pk}), job, Job, {"job_id": job.pk})
            for job in foreign[Job]
            if job.kind in JOB_PAGES[route.name]
        ]
    if "job_id" in params and params <= {"job_id", *DISTRICT_PARAMS, *YEAR_PARAMS}:
        # A district intake's job lives under its district and year: fill all from it.
        from jobs.models import Job

        filled = []
        for job in foreign.get(Job, []):
            if job.kind != Job.Kind.DISTRICT_INTAKE:
                continue
            values = {
                name: job.params["district"]
                if name in DISTRICT_PARAMS
                else job.params["year"]
                if name in YEAR_PARAMS
                else job.pk
                for name in params
            }
            filled.append(Filled(route, route.url(values), job, Job, values))
        return filled or None
    # Project screens: offices, years, applications.
    candidates = [{}]
    for name in route.params:
        if name in OFFICE_PARAMS:
            options = [(obj.pk, obj) for obj in foreign[Organization]]
        elif name in YEAR_PARAMS:
            options = [(2021, None)]
        elif name in DISTRICT_PARAMS:
            options = [(obj.pk, obj) for obj in foreign[Organization] if obj.children.exists()]
        elif name in APPLICATION_PARAMS:
            options = [(obj.pk, obj) for obj in foreign[Application]]
        else:
            return None
        candidates = [
            {**values, name: (value, obj)} for values in candidates for value, obj in options
        ]
    filled = []
    for values in candidates:
        target = next((obj for _, obj in values.values() if obj is not None), None)
        plain = {name: value for name, (value, _) in values.items()}
        filled.append(
            Filled(route, route.url(plain), target, type(target) if target else None, plain)
        )
    return filled


def unfillable_routes(foreign):
    return [route for route in walk() if fill(route, foreign) is None]


def auto_foreign_object(model, foreign):
    """One record of a model nobody taught the matrix about, in the other office.

    Fills required fields plainly; a relation goes to the other office's record of that
    model. If this cannot make one, add the model to tests/support/world.py by hand.
    """
    values = {}
    for model_field in model._meta.concrete_fields:
        if (
            model_field.primary_key
            or model_field.has_default()
            or model_field.null
            or model_field.blank
        ):
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            continue
        if model_field.is_relation:
            related = model_field.related_model
            if related not in foreign:
                foreign[related] = [auto_foreign_object(related, foreign)]
            values[model_field.name] = foreign[related][0]
        elif model_field.choices:
            values[model_field.name] = model_field.choices[0][0]
        elif isinstance(model_field, models.DateTimeField):
            values[model_field.name] = timezone.now()
        elif isinstance(model_field, models.DateField):
            values[model_field.name] = datetime.date(2021, 3, 1)
        elif isinstance(model_field, models.BooleanField):
            values[model_field.name] = False
        elif isinstance(model_field, (models.IntegerField, models.FloatField)):
            values[model_field.name] = 2021 if "year" in model_field.name else 1
        elif isinstance(model_field, models.DecimalField):
            values[model_field.name] = decimal.Decimal("0")
        elif isinstance(model_field, models.JSONField):
            values[model_field.name] = {}
        elif isinstance(model_field, models.BinaryField):
            values[model_field.name] = b"matrix"
        elif isinstance(model_field, (models.CharField, models.TextField)):
            values[model_field.name] = "矩阵测试"
        else:
            raise AssertionError(
                f"不知道怎样为 {model._meta.label}.{model_field.name} 造数据：请在 tests/support/world.py 里手工加入该模型。"
            )
    return model._default_manager.create(**values)


def complete_foreign_objects(foreign):
    """Add an other-office record for every model registered in the admin that has none."""
    for model in admin.site._registry:
        if model not in foreign:
            foreign[model] = [auto_foreign_object(model, foreign)]
    # Not in the admin, but reached by URL: a background job of the other office's user.
    from django.contrib.auth import get_user_model

    from jobs.models import Job

    if Job not in foreign:
        user, office = foreign[get_user_model()][0], foreign[Organization][0]
        foreign[Job] = background_jobs(user, foreign[Organization])
        if office.parent_id:  # and a workbook its district is taking in
            foreign[Job].append(
                Job.objects.create(
                    kind=Job.Kind.DISTRICT_INTAKE,
                    user=user,
                    organization=office,
                    filename="矩阵测试.xlsx",
                    params={"district": office.parent_id, "year": 2021},
                )
            )
    return foreign


def background_jobs(user, organizations):
    """One queued job of each kind with a page, started by `user`: for an office among
    `organizations`, or for the district among them (the rollup workbook)."""
    from jobs.models import Job

    office = next(org for org in organizations if not org.children.exists())
    district = next(org for org in organizations if org.children.exists())
    return [
        Job.objects.create(
            kind=kind,
            user=user,
            organization=district if kind == Job.Kind.ROLLUP_WORKBOOK else office,
            filename="矩阵测试.xlsx",
            params={"year": 2021},
        )
        for kind in (Job.Kind.LEDGER_PREVIEW, Job.Kind.LEDGER_EXPORT, Job.Kind.ROLLUP_WORKBOOK)
    ]
