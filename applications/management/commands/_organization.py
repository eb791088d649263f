"""Finding the office named on the command line (full or short name)."""

from django.core.management.base import CommandError
from django.db.models import Q

from applications.models import Organization


def find_organization(name):
    name = name.strip()
    matches = list(Organization.objects.filter(Q(name=name) | Q(short_name=name)))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = "、".join(f"{org.name}" for org in matches)
        raise CommandError(f"有多个机关的名称或简称是“{name}”：{listed}。请用机关全称。")
    return None


def known_organizations():
    names = [
        f"{org.name}（简称：{org.short_name}）" for org in Organization.objects.order_by("name")
    ]
    return "\n  ".join(names) if names else "（还没有任何机关）"


def require_organization(name):
    organization = find_organization(name)
    if organization is None:
        raise CommandError(f"找不到机关“{name}”。已有的机关：\n  {known_organizations()}")
    return organization
