from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_roles_after_migrate(sender, using, apps=None, **kwargs):
    """After every migrate, once the last app's permissions exist, bring the roles up to
    accounts/roles.py: models added since (reports, calendar) get their permissions.
    flush (between transactional tests) sends the signal without `apps`."""
    from django.apps import apps as global_apps

    from .roles import sync_roles

    app_configs = [
        config for config in global_apps.get_app_configs() if config.models_module is not None
    ]
    if using == "default" and app_configs and sender is app_configs[-1]:
        sync_roles()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers the admin check and the audit receivers)

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts_sync_roles")
