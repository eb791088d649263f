import datetime
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from reports.figures import tables
from reports.models import ReportNarrative
from tests.support.factories import make_office
from tests.support.report_ledger import EXPECTED_FOUR, expected_three

TODAY = datetime.datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("annual_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("annual_report", *args, stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 1
    return err.getvalue()


def test_writes_the_workbook_for_a_short_name(ledger, office, tmp_path):
    output = tmp_path / "report.xlsx"
    out, _ = run("--org", "学府街道", "--year", "2021", "--output", str(output))
    assert "已生成洛阳市洛龙区学府街道办事处2021年度报告" in out
    workbook = load_workbook(output)
    assert workbook.sheetnames == ["表二", "表三", "表四", "校验", "文字部分", "图表"]
    assert workbook["表三"]["J6"].value == 6  # 一、本年新收 · 总计


def test_writes_json_with_outcome_codes_as_keys_for_a_full_name(ledger, office, tmp_path):
    output = tmp_path / "report.json"
    run("--org", "洛阳市洛龙区学府街道办事处", "--year", "2021", "--output", str(output))
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["organization"] == {"name": "洛阳市洛龙区学府街道办事处", "short_name": "学府街道"}
    assert data["year"] == 2021
    assert data["table_three"] == expected_three(2021)
    assert data["table_three"]["6.3"]["natural_person"] == 1
    assert [
        data["table_four"][group][column]
        for group in ("review", "lawsuit_direct", "lawsuit_after_review")
        for column in ("upheld", "corrected", "other", "pending", "total")
    ] == (
        EXPECTED_FOUR[2021]["review"]
        + EXPECTED_FOUR[2021]["lawsuit_direct"]
        + EXPECTED_FOUR[2021]["lawsuit_after_review"]
    )
    assert data["table_two"]["fees"]["amount_wan"] == "0.1250"
    assert data["table_two"]["normative_document"] == {"issued": 2, "abolished": 2, "in_force": 1}
    assert data["fees"] == {"count": 2, "total_yuan": "120.50"}
    assert data == {**data, **tables.annual_report(office, 2021).as_json()}


def test_unknown_office_is_a_chinese_error(ledger, tmp_path):
    error = fails("--org", "不存在街道", "--year", "2021", "--output", str(tmp_path / "r.xlsx"))
    assert "找不到机关“不存在街道”" in error
    assert "洛阳市洛龙区学府街道办事处" in error
    assert not (tmp_path / "r.xlsx").exists()


def test_ambiguous_short_name_asks_for_the_full_name(ledger, tmp_path):
    make_office("学府街道", name="另一个学府街道办事处")
    error = fails("--org", "学府街道", "--year", "2021", "--output", str(tmp_path / "r.xlsx"))
    assert "简称“学府街道”对应多个机关" in error and "请改用机关全称" in error


def test_year_with_nothing_to_report_from_is_refused(ledger, tmp_path):
    error = fails("--org", "学府街道", "--year", "2017", "--output", str(tmp_path / "r.xlsx"))
    assert "在2017年及以前没有任何可统计的记录" in error
    assert not (tmp_path / "r.xlsx").exists()
    # 2018: the earliest record is a document issued on 1 January 2018, so there is a report.
    run("--org", "学府街道", "--year", "2018", "--output", str(tmp_path / "r.xlsx"))
    assert (tmp_path / "r.xlsx").exists()


def test_empty_office_year_is_refused_until_something_is_entered(office, tmp_path):
    output = tmp_path / "r.json"
    assert "没有任何可统计的记录" in fails(
        "--org", "学府街道", "--year", "2021", "--output", str(output)
    )
    ReportNarrative.objects.create(organization=office, year=2021, problems="无")
    run("--org", "学府街道", "--year", "2021", "--output", str(output))
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["table_three"]["new"]["total"] == 0


def test_future_year_and_unknown_extension_are_refused(ledger, tmp_path):
    assert "应在2000年至2022年之间" in fails(
        "--org", "学府街道", "--year", "2023", "--output", str(tmp_path / "r.xlsx")
    )
    assert "扩展名应为 .xlsx" in fails(
        "--org", "学府街道", "--year", "2021", "--output", str(tmp_path / "r.csv")
    )
    assert "文件夹" in fails(
        "--org", "学府街道", "--year", "2021", "--output", str(tmp_path / "missing" / "r.xlsx")
    )
