"""Create the four roles (Django groups) with their permissions; see accounts/roles.py.

Permissions are normally created after all migrations (post_migrate), so they are
created here first for every app known at this point. Re-running (setup_roles, or any
later migrate) brings the groups up to date with accounts/roles.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    sync_roles(apps)


def remove_roles(apps, schema_editor):
    from accounts.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_history"),
        ("applications", "0002_lawsuit_after_review_trigger"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
