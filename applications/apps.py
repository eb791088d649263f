from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "依申请公开台账"

    def ready(self):
        from lib.wording import apply_overrides

        from . import deletion  # noqa: F401  (connects the guard against deleting kept applications)

        apply_overrides()
