"""python manage.py annual_report --org 学府街道 --year 2021 --output report.xlsx (or .json, .docx)

With --rollup, --org names a district and the output is its consolidated report (.xlsx:
汇总, one sheet per office, 报送情况, 图表; or .json).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from applications.models import Organization
from reports.figures import district as districts
from reports.figures.tables import has_data_up_to
from reports.models import FIRST_YEAR
from reports.signoff import current_contents, current_document, current_workbook

SUFFIXES = {".xlsx": "Excel 工作簿", ".json": "表格数据", ".docx": "Word 文档"}
ROLLUP_SUFFIXES = (".xlsx", ".json")


class Command(BaseCommand):
    help = (
        "生成某机关某年度的政府信息公开工作年度报告：.xlsx 为报送用的 Excel 工作簿，.json 为表格数据（以办理结果代码为键），"
        ".docx 为可发布的 Word 文档。加 --rollup 生成区县汇总（.xlsx 或 .json）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--org",
            required=True,
            help="机关全称或简称，例如“洛阳市洛龙区学府街道办事处”或“学府街道”",
        )
        parser.add_argument("--year", required=True, type=int, help="报告年度，例如 2021")
        parser.add_argument(
            "--output", required=True, help="输出文件，以 .xlsx、.json 或 .docx 结尾"
        )
        parser.add_argument(
            "--rollup",
            action="store_true",
            help="生成区县汇总：--org 填区县机关，汇总其下级机关（已定稿的按定稿，已报送的按报送工作簿，其余按当前台账）",
        )

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

    def write(self, output, content):
        try:
            output.write_bytes(content)
        except OSError as error:
            self.fail(f"无法写入“{output}”：{error.strerror}。")

    def handle(self, *args, org, year, output, rollup=False, **options):
        output = Path(output)
        suffix = output.suffix.lower()
        allowed = ROLLUP_SUFFIXES if rollup else tuple(SUFFIXES)
        if suffix not in allowed:
            kinds = [f"{ending}（{SUFFIXES[ending]}）" for ending in allowed]
            self.fail(f"输出文件“{output}”的扩展名应为 {'、'.join(kinds[:-1])}或 {kinds[-1]}。")
        organization = self.find_organization(org)
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            self.fail(f"年度 {year} 不对：应在{FIRST_YEAR}年至{this_year}年之间。")
        if not output.parent.is_dir():
            self.fail(f"无法写入“{output}”：文件夹“{output.parent}”不存在。")
        if rollup:
            return self.write_rollup(organization, year, output, suffix)
        if not has_data_up_to(organization, year):
            self.fail(
                f"{organization.name}在{year}年及以前没有任何可统计的记录（申请、行政复议、行政诉讼、"
                f"规章和行政规范性文件、主动公开年度数据或报告文字），无法生成{year}年度报告。请核对年度是否填错。"
            )

        contents = current_contents(organization, year)
        if suffix == ".xlsx":
            content = current_workbook(contents)
        elif suffix == ".docx":
            content = current_document(contents)
        else:
            data = {
                "organization": {"name": organization.name, "short_name": organization.short_name},
                **contents.report.as_json(),
                "checks": [check.as_json() for check in contents.checks],
            }
            content = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        self.write(output, content)
        failed = len(contents.failed_checks)
        self.stdout.write(
            f"已生成{organization.name}{year}年度报告：{output}"
            + (f"（有{failed}项校验不通过，请查看“校验”部分）" if failed else "")
        )

    def write_rollup(self, district, year, output, suffix):
        offices = districts.district_offices(district, Organization.objects.all())
        if not offices:
            self.fail(
                f"{district.name}没有下级机关，无法汇总。请在“机关”中把街道、乡镇等的上级机关设为{district.name}，或去掉 --rollup。"
            )
        result = districts.rollup(district, year, offices)
        if suffix == ".xlsx":
            content = districts.rollup_workbook(result, districts.rollup_charts(result))
        else:
            data = {
                "organization": {"name": district.name, "short_name": district.short_name},
                **result.report.as_json(),
                "offices": [
                    {
                        "name": row.office.name,
                        "short_name": row.office.short_name,
                        "source": row.source,
                        "version": row.settled.version if row.settled else None,
                        "counted_as": row.counted_as,
                        **row.report.as_json(),
                    }
                    for row in result.rows
                ],
            }
            content = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        self.write(output, content)
        self.stdout.write(f"已生成{district.name}{year}年度报告汇总：{output}（{result.note}）")
