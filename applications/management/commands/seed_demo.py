from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from applications.demo import load_demo_ledger
from reports.demo import load_demo_report_inputs

DEMO_PASSWORD = "gongkai-demo-2021"


class Command(BaseCommand):
    help = "载入演示数据：学府街道办事处2020—2023年的依申请公开台账和演示账号。重复运行不会重复添加。"

    def handle(self, *args, **options):
        office, added = load_demo_ledger()
        load_demo_report_inputs(office)
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "last_name": "系统管理员"}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        self.stdout.write(
            f"演示数据：{office.name}，新增申请 {added['applications']} 件、"
            f"行政复议 {added['reviews']} 件、行政诉讼 {added['lawsuits']} 件"
            f"（共有申请 {office.applications.count()} 件）。"
        )
        self.stdout.write(self.style.SUCCESS(f"演示账号：用户名 admin，密码 {DEMO_PASSWORD}（系统管理员）"))
