from django.core.management.base import BaseCommand, CommandError

from accounts.audit import record
from accounts.models import AuditEvent
from applications.ledger_export import export_ledger, ledger_applications

from ._organization import require_organization


class Command(BaseCommand):
    help = "把一个机关的台账导出为工作簿（.xlsx：申请登记、行政复议、行政诉讼），格式与导入相同。"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="机关全称或简称")
        parser.add_argument("--output", required=True, help="要写入的 .xlsx 文件")
        parser.add_argument(
            "--year", type=int, help="只导出这一年收到的申请（及其行政复议、行政诉讼）"
        )

    def handle(self, *args, **options):
        organization = require_organization(options["org"])
        if not options["output"].lower().endswith(".xlsx"):
            raise CommandError("输出文件的扩展名必须是 .xlsx。")
        workbook = export_ledger(organization, options["year"])
        try:
            workbook.save(options["output"])
        except OSError as error:
            raise CommandError(f"无法写入文件 {options['output']}：{error.strerror}") from None
        count = ledger_applications(organization, options["year"]).count()
        year = f"{options['year']}年" if options["year"] else "全部"
        record(
            None,
            AuditEvent.Action.LEDGER_EXPORT,
            detail=f"命令行导出 {year} 台账到 {options['output']}，共 {count} 件申请",
            organization=organization,
            username="manage.py",
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出{organization.name}{year}台账 {count} 件申请到 {options['output']}"
            )
        )
