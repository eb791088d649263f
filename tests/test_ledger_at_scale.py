"""The ledger import and export at a province's scale: one pass, batched writes, fixed queries.

The timings themselves are measured by scripts/bench_scale.py (import_50k, export_50k);
these tests pin what keeps them low whatever the size of the ledger.
"""

from openpyxl import Workbook
from openpyxl.worksheet._reader import WorkSheetParser

from lib.uploads import LEDGER_LIMITS
from lib.workbooks import SafeWorkbook
from tests.support.ledger_workbooks import application_row


def test_opening_a_checked_workbook_does_not_parse_its_sheets_a_second_time(tmp_path, monkeypatch):
    # openpyxl's write-only files have no <dimension>: openpyxl itself would parse each
    # such sheet to its end when opening it, only to find none.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("申请登记")
    rows = [list(application_row(f"学府街道〔2021〕{n}号").values()) for n in range(1, 6)]
    sheet.append(list(application_row()))
    for row in rows:
        sheet.append(row)
    workbook.save(tmp_path / "l.xlsx")

    def parse_dimensions(self):
        raise AssertionError("the sheet was parsed only to look for its <dimension>")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", parse_dimensions)
    with SafeWorkbook(tmp_path / "l.xlsx", LEDGER_LIMITS) as book:
        read = [values for _, values in book.rows("申请登记")]

    assert len(read) == 6
    assert [values[0] for values in read[1:]] == [row[0] for row in rows]
