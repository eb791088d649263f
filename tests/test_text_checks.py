"""The report's text against its tables: each rule quotes the sentence and names the figure."""

from decimal import Decimal

import pytest

from reports.figures import tables
from reports.figures.numerals import agrees, counts, money, parse_number
from reports.figures.text_checks import narrative_checks, text_checks
from tests.support.district_ledger import sample_report


@pytest.mark.parametrize(
    ("text", "value"),
    [("21", 21), ("二十一", 21), ("十二", 12), ("一百零五", 105), ("两千三百", 2300), ("１２", 12)],
)
def test_arabic_and_chinese_numerals_are_read(text, value):
    assert parse_number(text) == value


def test_500_odd_is_about_500_and_agrees_within_a_fifth():
    [amount] = counts("全年主动公开信息500余条")
    assert (amount.value, amount.about) == (500, True)
    assert agrees(amount, 540) and not agrees(amount, 700)


def test_money_in_wan_yuan_is_multiplied_out():
    assert money("行政事业性收费1.2345万元")[0].value == Decimal("12345")


def report_with(new=20):
    report = sample_report()
    three = report.table_three.values
    three[tables.NEW][tables.TOTAL] = new
    return report


def check(report, text, where="（二）依申请公开"):
    return text_checks(report, [(where, text)])


def test_received_21_while_table_three_says_20_fails_quoting_the_sentence():
    result = check(report_with(new=20), "2021年，全年共收到申请21件。")
    assert result.status == "fail"
    assert result.details == [
        "“2021年，全年共收到申请21件。”（（二）依申请公开）：文字为“21件”，"
        "表三“一、本年新收政府信息公开申请数量”的总计是20。"
    ]


def test_chinese_numerals_in_the_text_are_compared_too():
    assert check(report_with(new=20), "全年共收到申请二十件。").status == "pass"
    assert check(report_with(new=20), "全年共收到申请二十一件。").status == "fail"


def test_an_approximate_figure_that_is_far_off_is_a_warning():
    result = check(report_with(new=20), "全年收到申请近40件。")
    assert result.status == "warning"


def test_carried_in_and_carried_out_are_compared():
    report = sample_report()
    carried_in = report.table_three.values[tables.CARRIED_IN][tables.TOTAL]
    carried_out = report.table_three.values[tables.CARRIED_OUT][tables.TOTAL]
    text = f"上年结转{carried_in + 1}件，结转下年度继续办理{carried_out}件。"
    result = check(report, text)
    assert len(result.details) == 1
    assert "表三“二、上年结转政府信息公开申请数量”的总计" in result.details[0]


def test_outcomes_are_compared_with_their_groups():
    report = sample_report()
    three = report.table_three.values
    disclosed = three["1"][tables.TOTAL]
    refused = sum(three[f"3.{n}"][tables.TOTAL] for n in range(1, 9))
    text = f"其中予以公开{disclosed}件，不予公开{refused + 2}件。"
    [detail] = check(report, text).details
    assert "表三“（三）不予公开”的总计是" in detail


def test_reviews_and_lawsuits_are_compared_with_table_four():
    report = sample_report()
    four = report.table_four.values
    lawsuits = four["lawsuit_direct"]["total"] + four["lawsuit_after_review"]["total"]
    text = f"全年发生行政复议{four['review']['total']}件，行政诉讼{lawsuits + 1}件。"
    [detail] = check(report, text).details
    assert "表四“未经复议直接起诉”和“复议后起诉”的总计之和" in detail


def test_no_applications_received_against_a_non_zero_new_fails():
    result = check(report_with(new=20), "本年度没有收到政府信息公开申请。")
    assert result.status == "fail"
    assert "文字说没有收到申请" in result.details[0]


def test_fees_stated_in_section_six_are_compared_with_the_fee_records():
    report = sample_report()
    report.fees = tables.FeeSummary(2, Decimal("200.00"))
    ok = "本年度共对2件政府信息公开申请收取信息处理费，合计200.00元。"
    assert check(report, ok, "六、其他需要报告的事项").status == "pass"
    wrong = "本年度共对3件政府信息公开申请收取信息处理费，合计300.00元。"
    assert len(check(report, wrong, "六、其他需要报告的事项").details) == 2
    none = "本年度未收取信息处理费。"
    assert "文字说未收取信息处理费" in check(report, none).details[0]


def test_charges_in_wan_yuan_are_compared_with_table_two():
    report = sample_report()  # 行政事业性收费 1.2345 万元
    assert check(report, "全年行政事业性收费1.2345万元。").status == "pass"
    assert check(report, "全年行政事业性收费2万元。").status == "fail"


def test_an_empty_or_nothing_section_five_is_flagged():
    report = sample_report()
    _, five = narrative_checks(report, {"problems": "无"})
    assert five.status == "warning"
    _, five = narrative_checks(report, {"problems": "一是公开内容不够全面。"})
    assert five.status == "pass"


def test_a_workbook_reference_names_the_cell():
    result = text_checks(
        report_with(new=20),
        [("年度报告!A60", "全年共收到申请21件。")],
        ref=lambda key: "年度报告!I24" if key == ("three", "new", "total") else "",
    )
    assert result.details[0].endswith("是20（年度报告!I24）。")
