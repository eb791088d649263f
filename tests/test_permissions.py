"""accounts/permissions.py is the one home of the permission names the code checks."""

import re
from pathlib import Path

from django.contrib.auth.models import Permission

from accounts import permissions

BASE_DIR = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ["accounts", "applications", "config", "lib", "reports", "workdays"]
NAMES = [
    permissions.VIEW_SUBORDINATE_OFFICES,
    permissions.EXPORT_PERSONAL_DATA,
    permissions.SIGN_OFF_REPORT,
    permissions.ACCEPT_SUBMITTED_REPORT,
    permissions.DOWNLOAD_REPORT,
]


def test_no_module_spells_a_permission_name_but_accounts_permissions():
    spelled = []
    for directory in SOURCE_DIRS:
        for path in (BASE_DIR / directory).rglob("*.py"):
            if "migrations" in path.parts or path.name == "permissions.py":
                continue
            text = path.read_text()
            for name in NAMES:
                for word in (name, permissions.codename(name)):
                    if re.search(rf"[\"']{re.escape(word)}[\"']", text):
                        spelled.append(f"{path.relative_to(BASE_DIR)}: {word}")
    assert spelled == []


def test_every_permission_name_exists_in_the_database(db):
    missing = [
        name
        for name in NAMES
        if not Permission.objects.filter(
            content_type__app_label=permissions.app_label(name),
            codename=permissions.codename(name),
        ).exists()
    ]
    assert missing == []


def test_custom_permissions_carry_their_chinese_label(db):
    for name, label in permissions.PERMISSION_LABELS.items():
        permission = Permission.objects.get(
            content_type__app_label=permissions.app_label(name),
            codename=permissions.codename(name),
        )
        assert permission.name == label
