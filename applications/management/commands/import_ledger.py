import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.audit import record
from accounts.models import AuditEvent
from applications.ledger_import import import_ledger
from applications.models import Organization
from lib.uploads import LEDGER_LIMITS

from ._organization import find_organization, known_organizations


class Command(BaseCommand):
    help = (
        "把台账工作簿（.xlsx，工作表：申请登记、行政复议、行政诉讼）导入一个机关。"
        f"全部通过检查才写入，任何错误都不会写入任何数据；文件上限 {LEDGER_LIMITS.max_bytes // 1024 // 1024} MB。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="台账工作簿 .xlsx 文件")
        parser.add_argument("--org", required=True, help="机关全称或简称")
        parser.add_argument(
            "--create-org", action="store_true", help="机关不存在时新建（--org 为全称）"
        )
        parser.add_argument(
            "--short-name", help="与 --create-org 一起使用：新建机关的简称（默认同全称）"
        )
        parser.add_argument(
            "--check", action="store_true", help="只检查并显示将要新增、更新的数量，不写入"
        )

    def handle(self, *args, **options):
        # A new office is only kept when the import succeeds.
        with transaction.atomic():
            self.run(options)

    def run(self, options):
        started = time.monotonic()
        organization = find_organization(options["org"])
        if organization is None:
            if not options["create_org"]:
                raise CommandError(
                    f"找不到机关“{options['org']}”。已有的机关：\n  {known_organizations()}\n"
                    "如需新建这个机关，请加上 --create-org（可用 --short-name 指定简称）。"
                )
            short_name = options["short_name"] or options["org"]
            if len(short_name) > Organization._meta.get_field("short_name").max_length:
                raise CommandError("机关全称较长，请用 --short-name 指定简称（不超过30个字）。")
            organization = Organization.objects.create(
                name=options["org"].strip(), short_name=short_name.strip()
            )
            self.stdout.write(f"已新建机关：{organization.name}（简称：{organization.short_name}）")

        def progress(message, force=False, **counts):
            self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}")
            self.stdout.flush()

        report = import_ledger(
            options["file"], organization, apply=not options["check"], progress=progress
        )
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"提示：{warning}"))
        if report.errors:
            transaction.set_rollback(True)
            for error in report.errors:
                self.stderr.write(f"错误：{error}")
            raise CommandError(
                f"共发现 {len(report.errors)} 个错误，没有导入任何数据。请改正后重新导入。"
            )
        if options["check"]:
            self.stdout.write(f"检查通过，尚未写入。导入后将会：{report.summary()}")
            return
        record(
            None,
            AuditEvent.Action.LEDGER_IMPORT,
            detail=f"命令行导入 {options['file']}：{report.summary()}",
            organization=organization,
            username="manage.py",
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成（{time.monotonic() - started:.1f} 秒）：{report.summary()}"
            )
        )
