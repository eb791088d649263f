"""The four roles, as Django groups, and exactly which permissions each one has.

This module is the ONE place that says what a role may do. The data migration
`accounts/0005_roles`, the `setup_roles` command and the post-migrate hook all call
`sync_roles()`, which makes each group's permissions exactly the list below.

Permissions are named "app_label.codename"; the ones the code checks by name come from
accounts/permissions.py. A codename whose model does not exist yet (a model added after
the migration that runs sync_roles) is skipped and reported, never an error: run
`python manage.py setup_roles` again once the model exists (`migrate` also does it).
"""

from django.apps import apps as global_apps
from django.db.models import Q

from .permissions import (
    ACCEPT_SUBMITTED_REPORT,
    EXPORT_PERSONAL_DATA,
    ISSUE_LETTER,
    RECORD_FEE,
    SIGN_OFF_REPORT,
    VIEW_LETTER,
    VIEW_SUBORDINATE_OFFICES,
    meta_permission,
)

CLERK = "登记员"
OFFICIAL = "审核人"
DISTRICT = "区级管理员"
SYSTEM_ADMIN = "系统管理员"
ROLE_NAMES = [CLERK, OFFICIAL, DISTRICT, SYSTEM_ADMIN]

# Not a role: an extra grant a 系统管理员 gives to a named person on top of their role.
PERSONAL_DATA_EXPORT_GROUP = "可导出个人信息"
ASSIGNABLE_GROUP_NAMES = [*ROLE_NAMES, PERSONAL_DATA_EXPORT_GROUP]

# Permissions that no model's Meta declares, created by sync_roles (and migration 0005).
# EXPORT_PERSONAL_DATA sits on Application's content type so that its app label is
# "applications" without a migration in the applications app.
EXTRA_PERMISSIONS = [
    ("applications", "application", *meta_permission(EXPORT_PERSONAL_DATA)),
]

LEDGER_MODELS = [
    "applications.application",
    "applications.clockstop",
    "applications.administrativereview",
    "applications.lawsuit",
]

# The annual report models ("reports.<model_name>").
# REPORT_MODELS: the report itself (审核人 and 区级管理员 view it).
# REPORT_INPUT_MODELS: what the 审核人 types into the report (numbers, narrative):
# 审核人 adds/changes/views them, 区级管理员 views them.
REPORT_MODELS: list[str] = ["reports.reportsignoff", "reports.submittedreport"]
REPORT_INPUT_MODELS: list[str] = [
    "reports.normativedocument",
    "reports.annualfigures",
    "reports.reportnarrative",
]

# The working-day calendar overrides ("app_label.model_name").
CALENDAR_MODELS: list[str] = ["workdays.workdayoverride"]


def model_permissions(actions, models):
    """["app.add_model", "app.view_model", ...] for each action and "app.model"."""
    names = []
    for model in models:
        app_label, model_name = model.split(".")
        names += [f"{app_label}.{action}_{model_name}" for action in actions]
    return names


ROLE_PERMISSIONS = {
    CLERK: [
        *model_permissions(["add", "change", "view"], LEDGER_MODELS),
        ISSUE_LETTER,
        VIEW_LETTER,
        RECORD_FEE,
    ],
    OFFICIAL: [
        *model_permissions(["view"], LEDGER_MODELS),
        *model_permissions(["view"], REPORT_MODELS),
        *model_permissions(["add", "change", "view"], REPORT_INPUT_MODELS),
        SIGN_OFF_REPORT,
        VIEW_LETTER,
    ],
    DISTRICT: [
        *model_permissions(["view"], LEDGER_MODELS),
        "applications.view_organization",
        VIEW_SUBORDINATE_OFFICES,
        *model_permissions(["view"], REPORT_MODELS),
        *model_permissions(["view"], REPORT_INPUT_MODELS),
        ACCEPT_SUBMITTED_REPORT,
        *model_permissions(["add", "change", "view"], ["reports.indicatorthresholds"]),
        VIEW_LETTER,
    ],
    SYSTEM_ADMIN: [
        *model_permissions(
            ["add", "change", "view"], ["accounts.user", "applications.organization"]
        ),
        # A 系统管理员 sits in a district office and administers the offices under it.
        VIEW_SUBORDINATE_OFFICES,
        *model_permissions(["add", "change", "delete", "view"], CALENDAR_MODELS),
        "accounts.view_auditevent",
        "auth.view_group",
        *model_permissions(["add", "change", "view"], ["letters.lettersettings"]),
        *model_permissions(["add", "change", "delete", "view"], ["letters.lettertemplate"]),
    ],
    PERSONAL_DATA_EXPORT_GROUP: [EXPORT_PERSONAL_DATA],
}


def ensure_extra_permissions(apps=global_apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, codename, name in EXTRA_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )


def sync_roles(apps=global_apps):
    """Create the role groups and set each one's permissions to exactly ROLE_PERMISSIONS.

    Safe to run any number of times. Returns the permission names that do not exist
    (yet) and were skipped.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_extra_permissions(apps)
    missing = []
    for group_name, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = {tuple(name.split(".")) for name in names}
        lookup = Q(pk__in=[])
        for app_label, codename in wanted:
            lookup |= Q(content_type__app_label=app_label, codename=codename)
        found = list(Permission.objects.filter(lookup).select_related("content_type"))
        present = {(permission.content_type.app_label, permission.codename) for permission in found}
        missing += sorted(f"{app_label}.{codename}" for app_label, codename in wanted - present)
        group.permissions.set(found)
    return sorted(set(missing))
