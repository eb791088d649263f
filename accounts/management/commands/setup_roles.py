from django.core.management.base import BaseCommand

from accounts.roles import ROLE_PERMISSIONS, sync_roles


class Command(BaseCommand):
    help = "创建或更新四个角色（登记员、审核人、区级管理员、系统管理员）及其权限，可重复运行。"

    def handle(self, *args, **options):
        missing = sync_roles()
        for group_name in ROLE_PERMISSIONS:
            self.stdout.write(f"已同步：{group_name}")
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    "以下权限对应的模块尚未安装，本次跳过；安装后请再次运行 setup_roles："
                    + "、".join(missing)
                )
            )
