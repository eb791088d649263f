"""The information-processing fee (国办函〔2020〕109号) at every threshold, and its recording."""

from decimal import Decimal

import pytest

from letters.fees import BY_COUNT, BY_PAGES, MatchedBy, compute_fee, fee_by_count, fee_by_pages
from letters.issuing import record_fee
from tests.support.letters import D, ledger_application


@pytest.mark.parametrize(
    ("place", "amount"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)],
)
def test_by_count_charges_the_band_of_the_applications_place_in_the_month(place, amount):
    assert fee_by_count(place).amount == Decimal(amount)


@pytest.mark.parametrize(
    ("pages", "amount"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)],
)
def test_by_pages_charges_each_page_at_its_bands_rate(pages, amount):
    assert fee_by_pages(pages).amount == Decimal(amount)


def test_by_pages_explains_each_band_step_by_step():
    assert fee_by_pages(201).steps == (
        "按量计收：提供政府信息共201页。",
        "第1—30页共30页，30页以下（含30页）不收费；",
        "第31—100页共70页，每页10元，计700元；",
        "第101—200页共100页，每页20元，计2000元；",
        "第201页共1页，每页40元，计40元；",
        "合计收费2740元。",
    )


def test_by_count_explains_the_band():
    assert fee_by_count(41).steps[1] == (
        "按件计收：累计30件以上的部分以10件为一档、每增加一档提高100元/件，第41—50件为300元/件。"
    )


def make_month(office, count, **fields):
    days = [1 + i * 27 // max(count - 1, 1) for i in range(count)]
    return [ledger_application(office, received_on=D(2021, 3, day), **fields) for day in days]


@pytest.mark.parametrize(
    ("count", "amount"), [(10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300)]
)
def test_by_count_counts_the_applicants_applications_in_the_calendar_month(
    letter_office, count, amount
):
    applications = make_month(letter_office, count, applicant_id_number="410303198801011234")
    computation = compute_fee(applications[-1], BY_COUNT)
    assert computation.quantity == count
    assert computation.amount == Decimal(amount)
    assert computation.matched_by == MatchedBy.ID_NUMBER
    assert "按证件号码（身份证号或统一社会信用代码）认定同一申请人" in computation.explanation
    assert f"2021年3月累计申请，本件为第{count}件" in computation.explanation


def test_by_count_ignores_other_months_and_other_applicants(letter_office):
    make_month(letter_office, 10, applicant_id_number="410303198801011234")
    ledger_application(
        letter_office, received_on=D(2021, 2, 28), applicant_id_number="410303198801011234"
    )
    ledger_application(
        letter_office, received_on=D(2021, 4, 1), applicant_id_number="410303198801011234"
    )
    ledger_application(
        letter_office, received_on=D(2021, 3, 31), applicant_id_number="410303199901019999"
    )
    last = ledger_application(
        letter_office, received_on=D(2021, 3, 31), applicant_id_number="410303198801011234"
    )
    assert compute_fee(last, BY_COUNT).quantity == 11


def test_by_count_matches_by_name_when_no_id_number_and_says_so(letter_office):
    make_month(letter_office, 11, applicant_name="王某某")
    last = ledger_application(letter_office, received_on=D(2021, 3, 30), applicant_name="王某某")
    computation = compute_fee(last, BY_COUNT)
    assert computation.quantity == 12
    assert computation.matched_by == MatchedBy.NAME
    assert "按申请人姓名或名称认定同一申请人" in computation.explanation


def test_recording_a_fee_stores_it_on_the_application(letter_office):
    application = ledger_application(letter_office)
    assessment = record_fee(application, compute_fee(application, BY_PAGES, 31), None)
    application.refresh_from_db()
    assert application.fee_yuan == Decimal("10.00") == assessment.amount
    assert assessment.explanation.endswith("合计收费10元。")
