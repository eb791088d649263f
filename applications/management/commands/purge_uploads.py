from django.core.management.base import BaseCommand

from applications.jobs import UPLOAD_MAX_AGE, remove_stale_uploads
from jobs.outputs import OUTPUT_MAX_AGE, remove_old_outputs
from reports.intake.jobs import remove_abandoned


class Command(BaseCommand):
    help = (
        f"删除超过 {UPLOAD_MAX_AGE // 3600} 小时既未确认导入也未取消的上传台账文件，"
        f"以及同样时间内没有接收也没有放弃的报送工作簿、超过 {OUTPUT_MAX_AGE // 86400} 天的导出台账和汇总工作簿文件（可每天定时运行）。"
    )

    def handle(self, *args, **options):
        removed = remove_stale_uploads()
        outputs = remove_old_outputs()
        intake = remove_abandoned()
        self.stdout.write(
            f"已删除 {removed} 个过期的上传文件，{intake} 份过期未接收的报送工作簿，"
            f"{outputs} 个过期的导出文件。"
        )
