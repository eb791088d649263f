from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from lib.backup import backup


class Command(BaseCommand):
    help = "备份整个系统：数据库（全部记录，含年度报告定稿的各个版本）和上传文件目录，写成一个 .tar.gz 文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="备份文件路径（默认 backups/gongkai-年月日-时分秒.tar.gz）",
        )

    def handle(self, *args, **options):
        output = options["output"] or Path("backups") / (
            f"gongkai-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        )
        manifest = backup(output)
        total = sum(manifest["counts"].values())
        self.stdout.write(
            f"已备份到 {output}：{total} 条记录，{manifest['media_files']} 个上传文件。"
        )
