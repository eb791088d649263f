from django.core.management.base import BaseCommand

from applications.jobs import UPLOAD_MAX_AGE, remove_stale_uploads
from reports.intake.jobs import remove_abandoned


class Command(BaseCommand):
    help = (
        f"删除超过 {UPLOAD_MAX_AGE // 3600} 小时既未确认导入也未取消的上传台账文件，"
        "以及同样时间内没有接收也没有放弃的报送工作簿（可每天定时运行）。"
    )

    def handle(self, *args, **options):
        removed = remove_stale_uploads()
        intake = remove_abandoned()
        self.stdout.write(f"已删除 {removed} 个过期的上传文件，{intake} 份过期未接收的报送工作簿。")
