from django.core.management.base import BaseCommand
from django.db import transaction

from applications.models import Application


class Command(BaseCommand):
    help = "重新计算并保存所有申请的答复期限（修改工作日历或升级 chinesecalendar 后运行）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = Application.objects.all().recompute_deadlines()
        total = Application.objects.count()
        self.stdout.write(f"已重新计算 {total} 件申请的答复期限，其中 {changed} 件有变化。")
