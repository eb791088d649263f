"""The ledger import and export at a province's scale: one pass, batched writes, fixed queries.

The timings themselves are measured by scripts/bench_scale.py (import_50k, export_50k);
these tests pin what keeps them low whatever the size of the ledger.
"""

import io
from functools import partial

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._reader import WorkSheetParser

from applications import ledger_import
from applications.ledger_export import export_ledger
from applications.ledger_import import import_ledger
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit
from lib.uploads import LEDGER_LIMITS
from lib.workbooks import SafeWorkbook
from tests.support.factories import make_user
from tests.support.ledger_workbooks import application_row, write_ledger


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


# The import ---------------------------------------------------------------------------------


def ledger_rows(count, answered="2021-10-20", court="洛龙区人民法院"):
    """`count` applications; every third with an opinion stop, every fifth with a review, every
    tenth with a lawsuit brought after that review."""
    applications, reviews, lawsuits = [], [], []
    for n in range(1, count + 1):
        number = f"学府街道〔2021〕{n}号"
        row = application_row(number, **{"答复日期": answered, "办理结果": "1"})
        if n % 3 == 0:
            row.update({"征求意见日期": "2021-10-08", "第三方答复日期": "2021-10-12"})
        applications.append(row)
        if n % 5 == 0:
            reviews.append(
                {"申请编号": number, "复议申请日期": "2021-11-10", "复议机关": "洛龙区人民政府"}
            )
        if n % 10 == 0:
            lawsuits.append(
                {
                    "申请编号": number,
                    "起诉日期": "2021-12-01",
                    "是否经复议": "是",
                    "受理法院": court,
                }
            )
    return applications, reviews, lawsuits


def ledger_file(path, count, **changes):
    applications, reviews, lawsuits = ledger_rows(count, **changes)
    return write_ledger(path, applications, reviews=reviews, lawsuits=lawsuits)


def test_the_import_writes_a_history_row_for_every_record_it_creates_or_changes(
    office, tmp_path, admin_user
):
    clerk = make_user("clerk", organization=office)
    assert import_ledger(ledger_file(tmp_path / "a.xlsx", 30), office, user=clerk).ok
    created = {
        model: (model.objects.count(), model.history.filter(history_type="+"))
        for model in (Application, ClockStop, AdministrativeReview, Lawsuit)
    }
    assert {model: count for model, (count, _) in created.items()} == {
        Application: 30,
        ClockStop: 10,
        AdministrativeReview: 6,
        Lawsuit: 3,
    }
    for model, (count, history) in created.items():
        assert history.count() == count
        assert set(history.values_list("id", flat=True)) == set(
            model.objects.values_list("pk", flat=True)
        )
        assert set(history.values_list("history_user", "history_change_reason")) == {
            (clerk.pk, "导入台账")
        }

    # Everything changes: the answer date (and so every deadline), the courts.
    report = import_ledger(
        ledger_file(tmp_path / "b.xlsx", 30, answered="2021-10-21", court="洛阳市中级人民法院"),
        office,
        user=admin_user,
    )

    assert (report.applications.updated, report.lawsuits.updated) == (30, 3)
    changed = Application.history.filter(history_type="~")
    assert changed.count() == 30
    assert set(changed.values_list("history_user", "history_change_reason")) == {
        (admin_user.pk, "导入台账")
    }
    # Each history row is the record as it now stands.
    for application in Application.objects.all():
        row = application.history.filter(history_type="~").get()
        assert (row.answered_on, row.due_on, row.updated_by_id) == (
            application.answered_on,
            application.due_on,
            admin_user.pk,
        )
    assert set(Lawsuit.history.filter(history_type="~").values_list("court", flat=True)) == {
        "洛阳市中级人民法院"
    }
    assert AdministrativeReview.history.filter(history_type="~").count() == 0


def count_queries(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_an_imports_queries_grow_with_its_batches_not_its_rows(
    office, other_office, tmp_path, monkeypatch, django_assert_max_num_queries
):
    # Batches of 40 applications: SQLite takes at most 999 values a statement (Django splits
    # a longer insert), so each batch is one statement a table on both databases.
    monkeypatch.setattr(ledger_import, "BATCH_SIZE", 40)
    # The first import creates every record; the second changes every one of them.
    for round, changes in enumerate(
        [{}, {"answered": "2021-10-21", "court": "洛阳市中级人民法院"}]
    ):
        small = ledger_file(tmp_path / f"30-{round}.xlsx", 30, **changes)
        large = ledger_file(tmp_path / f"300-{round}.xlsx", 300, **changes)
        one_batch = count_queries(partial(import_ledger, small, other_office))
        assert one_batch * 8 < 300  # fewer queries than rows, whatever the batch holds

        with django_assert_max_num_queries(one_batch * 8):  # 300 rows: 8 batches
            report = import_ledger(large, office)

        assert report.ok
        assert report.applications.created + report.applications.updated == 300


def test_an_error_in_a_later_batch_undoes_the_batches_already_written(
    office, tmp_path, monkeypatch
):
    monkeypatch.setattr(ledger_import, "BATCH_SIZE", 10)
    applications, reviews, lawsuits = ledger_rows(30)
    applications.append(application_row("学府街道〔2021〕3号"))  # a number of the first batch

    report = import_ledger(
        write_ledger(tmp_path / "l.xlsx", applications, reviews=reviews, lawsuits=lawsuits),
        office,
    )

    assert [str(error) for error in report.errors] == [
        "工作表“申请登记”第32行A列“申请编号”：申请编号“学府街道〔2021〕3号”与第4行重复；"
        "同一机关的申请编号不能重复。"
    ]
    assert (report.applications.created, report.applied) == (0, False)
    assert not Application.objects.exists() and not Application.history.exists()
    assert not AdministrativeReview.objects.exists() and not ClockStop.objects.exists()


def test_small_batches_import_what_one_batch_does(office, other_office, tmp_path, monkeypatch):
    path = ledger_file(tmp_path / "l.xlsx", 60)
    whole = import_ledger(path, other_office)
    monkeypatch.setattr(ledger_import, "BATCH_SIZE", 7)

    preview = import_ledger(path, office, apply=False)
    batched = import_ledger(path, office)

    assert whole.ok and preview.ok and batched.ok
    assert whole.summary() == preview.summary() == batched.summary()

    def stored(organization):
        return sorted(
            Application.objects.filter(organization=organization).values_list(
                "number", "due_on", "clock_stops__started_on", "reviews__filed_on"
            )
        )

    assert stored(office) == stored(other_office)


# The export ---------------------------------------------------------------------------------


def test_the_exports_queries_are_fixed_whatever_the_rows(office, other_office, tmp_path):
    assert import_ledger(ledger_file(tmp_path / "30.xlsx", 30), office).ok
    assert import_ledger(ledger_file(tmp_path / "300.xlsx", 300), other_office).ok

    small = count_queries(lambda: export_ledger(office).save(io.BytesIO()))
    large = count_queries(lambda: export_ledger(other_office).save(io.BytesIO()))

    # Applications, their opinion stops, reviews and lawsuits: one query each.
    assert small == large == 4


def test_the_export_writes_text_that_looks_like_a_formula_or_an_error_value_as_text(
    make_application, office, tmp_path
):
    make_application(applicant_name="#N/A", notes="@SUM(A1)", applicant_address="=1+1")
    export_ledger(office).save(tmp_path / "out.xlsx")

    sheet = load_workbook(tmp_path / "out.xlsx")["申请登记"]
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}

    for name, text in [("申请人", "#N/A"), ("备注", "@SUM(A1)"), ("联系地址", "=1+1")]:
        assert (row[name].value, row[name].data_type) == (text, "s")
