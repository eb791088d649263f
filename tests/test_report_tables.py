import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from applications.choices import OUTCOME_GROUPS, ApplicantType, Outcome, outcome_row_label
from applications.models import Application, Organization
from reports.figures import tables
from reports.figures.checks import (
    FAIL,
    PASS,
    WARNING,
    balance_checks,
    long_open_cases,
    overdue_applications,
    report_checks,
    warning_checks,
)
from reports.outputs import grid as layout
from tests.support.factories import make_lawsuit, make_review
from tests.support.report_ledger import EXPECTED_TWO, expected_four, expected_three

D = datetime.date
YEARS = [2020, 2021, 2022]


def table_two_as_expected(table):
    values = table.values
    return {
        "regulation": tuple(values["regulation"][c] for c in ("issued", "abolished", "in_force")),
        "normative_document": tuple(
            values["normative_document"][c] for c in ("issued", "abolished", "in_force")
        ),
        "licensing": values["licensing"]["decisions"],
        "penalty": values["penalty"]["decisions"],
        "coercion": values["coercion"]["decisions"],
        "fees": tables.format_wan(values["fees"]["amount_wan"]),
    }


@pytest.mark.parametrize("year", YEARS)
def test_table_three_every_cell_matches_the_hand_count(ledger, office, year):
    assert tables.table_three(office, year).values == expected_three(year)


@pytest.mark.parametrize("year", YEARS)
def test_table_four_every_cell_matches_the_hand_count(ledger, office, year):
    assert tables.table_four(office, year).values == expected_four(year)


@pytest.mark.parametrize("year", YEARS)
def test_table_two_every_cell_matches_the_hand_count(ledger, office, year):
    assert table_two_as_expected(tables.table_two(office, year)) == EXPECTED_TWO[year]


def test_application_received_31_december_and_answered_2_january_spans_two_years(ledger, office):
    row_of = {year: tables.table_three(office, year).values for year in (2021, 2022)}
    # 2021: new and carried out, no outcome; 2022: carried in and answered (予以公开).
    assert row_of[2021]["new"]["natural_person"] == 3
    assert row_of[2021]["carried_out"]["natural_person"] == 1
    assert row_of[2021]["1"]["natural_person"] == 0
    assert row_of[2022]["carried_in"]["natural_person"] == 1
    assert row_of[2022]["1"]["natural_person"] == 1


def test_application_answered_the_day_it_arrived_is_new_and_answered_not_carried(
    db, office, make_application
):
    make_application(
        received_on=D(2021, 3, 1),
        answered_on=D(2021, 3, 1),
        applicant_type=ApplicantType.COMMERCIAL,
    )
    values = tables.table_three(office, 2021).values
    assert values["new"]["commercial"] == 1
    assert values["1"]["commercial"] == 1
    assert values["carried_out"]["commercial"] == 0
    assert tables.table_three(office, 2022).values["carried_in"]["commercial"] == 0


def test_application_answered_on_1_january_is_carried_in_and_answered_that_year(
    db, office, make_application
):
    make_application(received_on=D(2020, 12, 30), answered_on=D(2021, 1, 1))
    before, after = tables.table_three(office, 2020).values, tables.table_three(office, 2021).values
    assert (before["new"]["total"], before["carried_out"]["total"]) == (1, 1)
    assert (after["carried_in"]["total"], after["1"]["total"], after["carried_out"]["total"]) == (
        1,
        1,
        0,
    )


def test_withdrawn_application_counts_under_other_6_3(db, office, make_application):
    make_application(answered_on=D(2021, 4, 1), outcome=Outcome.OTHER)
    values = tables.table_three(office, 2021).values
    assert values["6.3"]["total"] == 1
    assert values["total"]["total"] == 1


def test_partly_disclosed_counts_only_under_2(db, office, make_application):
    make_application(answered_on=D(2021, 4, 1), outcome=Outcome.PARTLY_DISCLOSED)
    values = tables.table_three(office, 2021).values
    assert [code for code in tables.OUTCOME_CODES if values[code]["total"]] == ["2"]


def test_review_filed_in_one_year_and_concluded_in_the_next(ledger, office):
    assert tables.table_four(office, 2021).values["review"]["pending"] == 2
    assert tables.table_four(office, 2022).values["review"]["corrected"] == 1


def test_lawsuit_after_review_counts_under_after_review_and_its_review_under_review(ledger, office):
    values = tables.table_four(office, 2021).values
    assert values["lawsuit_after_review"]["upheld"] == 1
    assert values["review"]["upheld"] == 1
    assert values["lawsuit_direct"]["upheld"] == 0


def test_case_concluded_on_1_january_counts_with_its_result_that_year(ledger, office):
    assert tables.table_four(office, 2020).values["lawsuit_direct"]["pending"] == 1
    assert tables.table_four(office, 2021).values["lawsuit_direct"]["corrected"] == 1


def test_fees_count_the_applications_answered_in_the_year_with_a_fee(ledger, office):
    fees = tables.fees_charged(office, 2021)
    assert (fees.count, fees.total_yuan) == (2, Decimal("120.50"))
    assert fees.sentence == "本年度共对2件政府信息公开申请收取信息处理费，合计120.50元。"
    assert tables.fees_charged(office, 2020).sentence == "本年度未收取信息处理费。"


def test_fee_amount_is_a_decimal_with_four_places(ledger, office):
    amount = tables.table_two(office, 2021).values["fees"]["amount_wan"]
    assert isinstance(amount, Decimal)
    assert str(amount) == "0.1250"
    assert (
        tables.annual_report(office, 2021).as_json()["table_two"]["fees"]["amount_wan"] == "0.1250"
    )


def test_a_set_of_offices_gives_the_sum_of_their_tables(ledger, office, other_office):
    ids = [office.pk, other_office.pk]
    both = tables.annual_report(Organization.objects.filter(pk__in=ids), 2021)
    alone = tables.annual_report(office, 2021)
    other = tables.annual_report(other_office, 2021)
    assert tables.annual_report(ids, 2021).as_json() == both.as_json()
    assert both.as_json() == tables.sum_reports([alone, other]).as_json()
    assert both.table_three.values["new"]["total"] == alone.table_three.values["new"]["total"] + 1
    assert both.table_two.values["licensing"]["decisions"] == 112
    assert both.table_two.values["fees"]["amount_wan"] == Decimal("10.1249")


def test_report_round_trips_through_json(ledger, office):
    report = tables.annual_report(office, 2021)
    assert tables.AnnualReport.from_json(report.as_json()) == report


def test_json_uses_the_outcome_codes_as_keys(ledger, office):
    data = tables.annual_report(office, 2021).as_json()["table_three"]
    assert list(data) == [
        "new",
        "carried_in",
        *[outcome.value for outcome in Outcome],
        "total",
        "carried_out",
    ]


def test_table_three_rows_follow_the_official_order_and_labels():
    labels = [row.label for row in tables.TABLE_THREE_ROWS]
    assert labels[:3] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
    ]
    assert labels[3] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert labels[4] == "1.属于国家秘密"
    assert labels[-5:] == [
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
        "（七）总计",
        "四、结转下年度继续办理",
    ]
    assert labels[2:-2] == [
        outcome_row_label(o) for group in OUTCOME_GROUPS for o in group.outcomes
    ]


def test_table_three_layout_merges_cells_like_the_official_format():
    grid = layout.table_three_grid(tables.table_three([], 2021))
    cells = {cell.display: cell for cell in grid.cells() if cell.kind not in ("number", "money")}
    caption = cells[tables.TABLE_THREE_CAPTION]
    assert (caption.row, caption.col, caption.rowspan, caption.colspan) == (0, 0, 3, 3)
    assert (cells["申请人情况"].colspan, cells["法人或其他组织"].colspan) == (7, 5)
    assert (cells["自然人"].rowspan, cells["总计"].rowspan) == (2, 2)
    results = cells["三、本年度办理结果"]
    assert (results.row, results.col, results.rowspan) == (5, 0, 22)
    assert (cells["（三）不予公开"].rowspan, cells["（四）无法提供"].rowspan) == (8, 3)
    assert (cells["（五）不予处理"].rowspan, cells["（六）其他处理"].rowspan) == (5, 3)
    assert cells["（一）予以公开"].colspan == 2
    assert cells["四、结转下年度继续办理"].colspan == 3
    assert len(grid.rows) == 3 + 25


def test_table_four_header_rows_are_the_samples():
    grid = layout.table_four_grid(tables.table_four([], 2021))
    names = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

    def spans(row):
        return [(cell.display, cell.col, cell.rowspan, cell.colspan) for cell in grid.rows[row]]

    assert spans(0) == [("行政复议", 0, 1, 5), ("行政诉讼", 5, 1, 10)]
    assert spans(1) == [(name, col, 2, 1) for col, name in enumerate(names)] + [
        ("未经复议直接起诉", 5, 1, 5),
        ("复议后起诉", 10, 1, 5),
    ]
    assert spans(2) == [(name, 5 + col, 1, 1) for col, name in enumerate(names * 2)]
    assert grid.head_rows == 3


def test_table_two_has_its_four_blocks_in_order():
    grid = layout.table_two_grid(tables.table_two([], 2021))
    texts = [cell.display for cell in grid.cells()]
    assert [text for text in texts if text.startswith("第二十条")] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert [
        text
        for text in texts
        if text in ("规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")
    ] == [
        "规章",
        "行政规范性文件",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    ]
    assert "本年收费金额（单位：万元，保留4位小数）" in texts
    assert "0.0000" in texts


def test_empty_year_is_all_zeros(db, office):
    report = tables.annual_report(office, 2021)
    assert all(value == 0 for row in report.table_three.values.values() for value in row.values())
    assert all(value == 0 for row in report.table_four.values.values() for value in row.values())
    assert tables.format_wan(report.table_two.values["fees"]["amount_wan"]) == "0.0000"


def bulk_ledger(office, count):
    """`count` applications spread over 2020–2022, with every outcome, plus some cases."""
    outcomes = [outcome.value for outcome in Outcome]
    kinds = [kind.value for kind in ApplicantType]
    applications = []
    for index in range(count):
        received = D(2020, 11, 1) + datetime.timedelta(days=index * 3 % 500)
        answered = received + datetime.timedelta(days=index % 40) if index % 7 else None
        applications.append(
            Application(
                organization=office,
                number=f"学府街道〔批量〕{index}号",
                received_on=received,
                applicant_type=kinds[index % len(kinds)],
                applicant_name=f"申请人{index}",
                content="批量",
                answered_on=answered,
                outcome=outcomes[index % len(outcomes)] if answered else "",
                fee_yuan=Decimal("10") if index % 5 == 0 else None,
            )
        )
    Application.objects.bulk_create(applications)


@pytest.mark.parametrize("count", [5, 200])
def test_report_costs_a_fixed_number_of_queries(db, office, count, django_assert_max_num_queries):
    bulk_ledger(office, count)
    for application in Application.objects.filter(organization=office)[: count // 5]:
        make_review(application, filed_on=D(2021, 1, 5))
        make_lawsuit(application, filed_on=D(2021, 2, 5), after_review=True)
    with django_assert_max_num_queries(6):
        report = tables.annual_report(office, 2021)
    column = report.table_three.values
    assert (
        column["new"]["total"] + column["carried_in"]["total"]
        == column["total"]["total"] + column["carried_out"]["total"]
    )


@pytest.mark.parametrize("count", [5, 200])
def test_checks_cost_a_fixed_number_of_queries(db, office, count, django_assert_max_num_queries):
    bulk_ledger(office, count)
    report = tables.annual_report(office, 2021)
    # Last year as it stands (sign-offs, accepted workbooks, the ledger's tables 二 and 三: five),
    # the warnings (overdue with its clock stops and the working-day calendar: three; long-open
    # cases: two). Fixed however large the ledger.
    with django_assert_max_num_queries(10):
        report_checks(office, 2021, report, today=D(2022, 3, 1))


@pytest.mark.parametrize("year", YEARS)
def test_balance_checks_pass_on_the_ledger(ledger, office, year):
    assert [check.status for check in balance_checks(tables.annual_report(office, year))] == [
        PASS
    ] * 4


def test_balance_check_names_the_column_and_figures_that_disagree(ledger, office):
    report = tables.annual_report(office, 2021)
    report.table_three.values["new"]["research"] += 1
    check = balance_checks(report)[0]
    assert check.status == FAIL
    assert check.details == ["科研机构：一 1 + 二 1 = 2，（七）总计 1 + 四 0 = 1"]


def test_group_total_check_of_table_four_fails_when_a_total_is_wrong(ledger, office):
    report = tables.annual_report(office, 2021)
    report.table_four.values["lawsuit_direct"]["total"] = 5
    check = balance_checks(report)[3]
    assert check.status == FAIL
    assert check.details == [
        "未经复议直接起诉：结果维持 0 + 结果纠正 1 + 其他结果 0 + 尚未审结 1 = 2，总计 5"
    ]


def test_checks_warn_about_overdue_applications_and_long_open_cases(ledger, office):
    report = tables.annual_report(office, 2021)
    checks = {
        check.code: check for check in report_checks(office, 2021, report, today=D(2022, 3, 1))
    }
    assert checks["table_two_in_force"].status == PASS
    assert checks["cross_year"].status == PASS
    assert "尚未定稿" in checks["cross_year"].explanation
    assert checks["overdue_applications"].status == WARNING
    number = ledger["open"].number
    assert checks["overdue_applications"].details == [
        f"{number}（某公益协会，2021年11月20日收到，应于2021年12月17日前答复）"
    ]
    assert checks["long_open_cases"].status == WARNING
    assert checks["long_open_cases"].details == [
        f"{ledger['from_2019'].number}的行政复议（2020年10月1日立案，至今尚未审结）"
    ]


def overdue_pks(office, as_of):
    return [(found.pk, deadline) for found, deadline in overdue_applications(office, as_of)]


def test_overdue_warning_uses_the_statutory_working_day_calendar(db, office, make_application):
    # Received 28 Sep 2021: National Day holiday and the make-up Saturday 9 Oct inside -> due 1 Nov.
    application = make_application(received_on=D(2021, 9, 28))
    assert overdue_applications(office, D(2021, 11, 1)) == []
    assert overdue_pks(office, D(2021, 11, 2)) == [(application.pk, D(2021, 11, 1))]
    application.extended = True
    application.save()
    assert overdue_applications(office, D(2021, 11, 2)) == []


def test_a_long_warning_list_names_the_first_hundred_and_counts_the_rest():
    overdue = [
        (
            SimpleNamespace(
                number=f"学府街道〔2021〕{index}号",
                applicant_name="张三",
                received_on=D(2021, 1, 4),
            ),
            D(2021, 2, 1),
        )
        for index in range(1, 106)
    ]
    check = warning_checks(overdue, [], D(2021, 12, 31))[0]
    assert "以下105件申请仍未答复" in check.explanation
    assert len(check.details) == 101
    assert check.details[-1] == "……另有5件，请在申请台账中按“办理中”筛选查看。"


def test_many_offices_find_their_cases_by_office_with_the_same_figures(ledger, office):
    """A district's many offices get the same table 四 and long-open cases for an office as
    that office alone, and nothing for offices without cases."""
    many = Organization.objects.bulk_create(
        Organization(name=f"测试街道{n}", short_name=f"测试{n}") for n in range(60)
    )
    ids = [office.pk, *(other.pk for other in many)]
    for year in (2020, 2021):
        alone = tables.table_four_by_office([office.pk], year)[office.pk]
        together = tables.table_four_by_office(ids, year)
        assert together[office.pk] == alone
        assert not any(
            value
            for other in many
            for columns in together[other.pk].values.values()
            for value in columns.values()
        )
    as_of = D(2022, 3, 1)
    assert long_open_cases(ids, as_of) == long_open_cases([office.pk], as_of)
    assert long_open_cases([office.pk], as_of)
