from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.checks import Error, Tags, register
from django.core.exceptions import FieldDoesNotExist

from applications.models import Organization

from .scoping import GLOBAL, OfficeScopedAdminMixin

HINT = (
    "让它继承 accounts.scoping.OfficeScopedAdminMixin（写在基类的第一个），并设置 office_path："
    '从该模型到所属机关的查询路径，例如 "organization" 或 "application__organization"；'
    "不属于任何机关的记录设为 accounts.scoping.GLOBAL。"
)


def office_path_error(model, office_path):
    """Why `office_path` does not lead from `model` to an Organization, or None."""
    if office_path == GLOBAL:
        return None
    if not isinstance(office_path, str) or not office_path:
        return "没有设置 office_path"
    if model is Organization and office_path in ("id", "pk"):
        return None
    try:
        field = get_fields_from_path(model, office_path)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return f"office_path “{office_path}” 不是 {model._meta.label} 的字段路径"
    if getattr(field, "related_model", None) is not Organization:
        return f"office_path “{office_path}” 没有指向机关（Organization）"
    return None


@register(Tags.admin, Tags.security)
def check_admins_are_office_scoped(app_configs, **kwargs):
    """Every admin screen must be scoped to the user's offices (see accounts/scoping.py)."""
    errors = []
    for model, model_admin in admin.site._registry.items():
        admin_class = type(model_admin)
        mro = admin_class.__mro__
        if OfficeScopedAdminMixin not in mro or mro.index(OfficeScopedAdminMixin) > mro.index(
            admin.ModelAdmin
        ):
            problem = "没有按机关隔离"
        else:
            problem = office_path_error(model, model_admin.office_path)
        if problem:
            errors.append(
                Error(
                    f"{model._meta.label} 的后台管理类 {admin_class.__name__} {problem}。",
                    hint=HINT,
                    obj=admin_class,
                    id="accounts.E001",
                )
            )
    return errors
