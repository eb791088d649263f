"""The intake reads every layout offices really send, typed by hand (tests/intake_workbooks.py)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports import intake
from reports.figures import tables
from tests.support.district_ledger import sample_report
from tests.support.intake_workbooks import (
    half_width,
    office_workbook,
    published_workbook,
    save,
    spaced,
)


def read(content):
    return intake.read_workbook(content, 2021)


def assert_every_cell_as_typed(reading, report):
    assert reading.errors == []
    assert reading.report.table_two.as_json() == report.table_two.as_json()
    assert reading.report.table_three.as_json() == report.table_three.as_json()
    assert reading.report.table_four.as_json() == report.table_four.as_json()


@pytest.mark.parametrize("layout", ["sample", "one_row", "review_merged"])
def test_each_table_four_header_layout_of_the_format_is_read(layout):
    report = sample_report()
    reading = read(office_workbook(report, four_layout=layout))
    assert_every_cell_as_typed(reading, report)


def test_sample_layout_figures_are_read_from_the_row_below_the_lawsuit_names():
    reading = read(
        office_workbook(sample_report(), four_layout="sample", order=("four", "three", "two"))
    )
    # Table 四 first: title row 1, note row 2, 四 at row 4, headers rows 5-7, figures row 8.
    assert reading.ref(("four", "review", "upheld")) == "年度报告!A8"
    assert reading.ref(("four", "lawsuit_after_review", "total")) == "年度报告!O8"


def test_tables_on_separate_sheets_in_any_order_are_read():
    report = sample_report(seed=2)
    reading = read(office_workbook(report, separate_sheets=True, order=("four", "two", "three")))
    assert_every_cell_as_typed(reading, report)
    assert (
        reading.notes[0] == "表二读自工作表“表二”，表三读自工作表“表三”，表四读自工作表“年度报告”。"
    )


def test_title_and_note_rows_and_an_empty_spacer_column_are_passed_over():
    report = sample_report(seed=3)
    reading = read(office_workbook(report, spacer=True))
    assert_every_cell_as_typed(reading, report)
    assert (
        reading.ref(("three", "new", "natural_person")) == "年度报告!C24"
    )  # table 二 takes rows 4-19; 三's title row 20, headers 21-23


def test_numbers_stored_as_text_are_read_as_numbers():
    report = sample_report()
    reading = read(office_workbook(report, as_text=True))
    assert_every_cell_as_typed(reading, report)


def test_full_width_digits_and_thousands_separators_typed_as_text_are_read():
    content = office_workbook(sample_report())
    place = read(content).cells[("three", "new", "natural_person")]
    workbook = load_workbook(BytesIO(content))
    workbook[place.sheet].cell(place.row, place.col).value = "１２"
    workbook[place.sheet].cell(place.row, place.col + 1).value = "1,234"
    figures = read(save(workbook)).report.table_three.values["new"]
    assert (figures["natural_person"], figures["commercial"]) == (12, 1234)


def test_half_width_brackets_spaces_and_line_breaks_in_labels_are_the_official_labels():
    report = sample_report()
    labels = {row.code: spaced(half_width(row.label)) for row in tables.TABLE_THREE_ROWS}
    reading = read(office_workbook(report, labels=labels))
    assert_every_cell_as_typed(reading, report)
    assert reading.confirmations == []


def test_the_2019_single_other_row_is_read_as_6_3_with_a_note():
    report = sample_report()
    reading = read(office_workbook(report, legacy_six=True))
    assert reading.errors == []
    assert reading.legacy_six
    three = reading.report.table_three.values
    assert three["6.1"]["total"] == three["6.2"]["total"] == 0
    assert three["6.3"]["total"] == sum(
        report.table_three.values[c]["total"] for c in ("6.1", "6.2", "6.3")
    )
    assert any("2019年格式的单行“（六）其他处理”" in note for note in reading.notes)


def test_the_fee_sentence_of_section_six_is_read():
    text = "六、其他需要报告的事项\n本年度共对3件政府信息公开申请收取信息处理费，合计300.00元。"
    reading = read(office_workbook(sample_report(), fee_text=text))
    assert (reading.report.fees.count, str(reading.report.fees.total_yuan)) == (3, "300.00")


def test_the_published_reports_own_layout_is_read_with_every_cell_as_typed():
    """Labels over three merged columns and "(一) 予以公开", as 学府街道 published its 2021 report."""
    report = sample_report(seed=4)
    reading = read(published_workbook(report))
    assert_every_cell_as_typed(reading, report)
    assert reading.problems == []
