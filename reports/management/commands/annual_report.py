"""python manage.py annual_report --org 学府街道 --year 2021 --output report.xlsx (or .json)"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.models import Organization
from reports.models import FIRST_YEAR
from reports.signoff import current_contents, current_workbook
from reports.tables import has_data_up_to


class Command(BaseCommand):
    help = "生成某机关某年度的政府信息公开工作年度报告：.xlsx 为报送用的 Excel 工作簿，.json 为表格数据（以办理结果代码为键）。"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="机关全称或简称，例如“洛阳市洛龙区学府街道办事处”或“学府街道”")
        parser.add_argument("--year", required=True, type=int, help="报告年度，例如 2021")
        parser.add_argument("--output", required=True, help="输出文件，以 .xlsx 或 .json 结尾")

    def fail(self, message):
        self.stderr.write(message)
        raise SystemExit(1)

    def find_organization(self, text):
        text = text.strip()
        by_name = Organization.objects.filter(name=text)
        matches = list(by_name) or list(Organization.objects.filter(short_name=text))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = "、".join(office.name for office in matches)
            self.fail(f"简称“{text}”对应多个机关（{names}），请改用机关全称。")
        known = list(Organization.objects.order_by("name").values_list("name", flat=True)[:20])
        hint = f"已登记的机关有：{'、'.join(known)}。" if known else "系统中还没有登记任何机关。"
        self.fail(f"找不到机关“{text}”，请填写机关全称或简称。{hint}")

    def handle(self, *args, org, year, output, **options):
        output = Path(output)
        suffix = output.suffix.lower()
        if suffix not in (".xlsx", ".json"):
            self.fail(f"输出文件“{output}”的扩展名应为 .xlsx（Excel 工作簿）或 .json（表格数据）。")
        organization = self.find_organization(org)
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            self.fail(f"年度 {year} 不对：应在{FIRST_YEAR}年至{this_year}年之间。")
        if not has_data_up_to(organization, year):
            self.fail(
                f"{organization.name}在{year}年及以前没有任何可统计的记录（申请、行政复议、行政诉讼、"
                f"规章和行政规范性文件、主动公开年度数据或报告文字），无法生成{year}年度报告。请核对年度是否填错。"
            )
        if not output.parent.is_dir():
            self.fail(f"无法写入“{output}”：文件夹“{output.parent}”不存在。")

        contents = current_contents(organization, year)
        if suffix == ".xlsx":
            content = current_workbook(contents)
        else:
            data = {
                "organization": {"name": organization.name, "short_name": organization.short_name},
                **contents.report.as_json(),
                "checks": [check.as_json() for check in contents.checks],
            }
            content = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        try:
            output.write_bytes(content)
        except OSError as error:
            self.fail(f"无法写入“{output}”：{error.strerror}。")
        failed = len(contents.failed_checks)
        self.stdout.write(
            f"已生成{organization.name}{year}年度报告：{output}"
            + (f"（有{failed}项校验不通过，请查看“校验”部分）" if failed else "")
        )
