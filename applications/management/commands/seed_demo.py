from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import CLERK, DISTRICT, OFFICIAL, sync_roles
from applications.demo import load_demo_ledger
from letters.demo import load_demo_letter_settings
from reports.demo import load_demo_report_inputs

DEMO_PASSWORD = "gongkai-demo-2021"

# (username, display name, role, office: "office" or "district")
DEMO_USERS = [
    ("dengji", "登记员小王", CLERK, "office"),
    ("shenhe", "审核人老李", OFFICIAL, "office"),
    ("quji", "区政务公开办", DISTRICT, "district"),
]


class Command(BaseCommand):
    help = "载入演示数据：学府街道办事处2020—2023年的依申请公开台账、报告文字和演示账号。重复运行不会重复添加。"

    @transaction.atomic
    def handle(self, *args, **options):
        office, added = load_demo_ledger()
        load_demo_report_inputs(office)
        load_demo_letter_settings(office)
        sync_roles()
        User = get_user_model()
        accounts = [("admin", "系统管理员（超级用户）")]
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "last_name": "系统管理员"},
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        for username, name, role, where in DEMO_USERS:
            organization = office if where == "office" else office.parent
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"last_name": name, "organization": organization, "is_staff": True},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.add(Group.objects.get(name=role))
            accounts.append((username, f"{role}，{organization.short_name}"))
        self.stdout.write(
            f"演示数据：{office.name}，新增申请 {added['applications']} 件、"
            f"行政复议 {added['reviews']} 件、行政诉讼 {added['lawsuits']} 件"
            f"（共有申请 {office.applications.count()} 件）。"
        )
        for username, description in accounts:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示账号：用户名 {username}，密码 {DEMO_PASSWORD}（{description}）"
                )
            )
