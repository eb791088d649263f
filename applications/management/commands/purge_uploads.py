from django.core.management.base import BaseCommand

from applications.jobs import UPLOAD_MAX_AGE, remove_stale_uploads
from jobs.outputs import OUTPUT_MAX_AGE, remove_old_outputs


class Command(BaseCommand):
    help = (
        f"删除超过 {UPLOAD_MAX_AGE // 3600} 小时既未确认导入也未取消的上传台账文件，"
        f"以及超过 {OUTPUT_MAX_AGE // 86400} 天的导出台账和汇总工作簿文件（可每天定时运行）。"
    )

    def handle(self, *args, **options):
        removed = remove_stale_uploads()
        outputs = remove_old_outputs()
        self.stdout.write(f"已删除 {removed} 个过期的上传文件，{outputs} 个过期的导出文件。")
