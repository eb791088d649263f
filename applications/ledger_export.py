"""Writing the ledger workbook: an office's ledger, and the blank template.

Both use the sheet and column definitions of ledger.py, so what is exported imports
again unchanged.
"""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .ledger import (
    APPLICATION_FIELDS,
    APPLICATION_SHEET,
    LAWSUIT_FIELDS,
    LAWSUIT_SHEET,
    OPTIONS_SHEET,
    REVIEW_FIELDS,
    REVIEW_SHEET,
    SHEETS,
    CaseResultValue,
    OutcomeValue,
    YesNo,
    add_sheet,
    append_row,
    application_values,
    case_values,
)
from .models import AdministrativeReview, Application, Lawsuit
from .xlsx import write_text

CHUNK_SIZE = 2000


def ledger_applications(organization, year=None):
    applications = Application.objects.filter(organization=organization)
    if year:
        applications = applications.filter(received_on__year=year)
    return applications


def export_ledger(organization, year=None, today=None):
    """The office's ledger as a write-only Workbook (save it once).

    With a year: the applications received that year, and the reviews and lawsuits about
    them (so the file imports on its own). Rows are ordered by data only (收到日期, 申请编号,
    filing date), so exporting the same ledger from another database gives the same file.
    """
    today = today or timezone.localdate()
    applications = ledger_applications(organization, year)
    workbook = Workbook(write_only=True)

    ws = add_sheet(workbook, APPLICATION_SHEET)
    rows = (
        applications.only(*APPLICATION_FIELDS, "number", "due_on", "due_is_provisional")
        .prefetch_related("clock_stops")
        .order_by("received_on", "number")
    )
    for application in rows.iterator(chunk_size=CHUNK_SIZE):
        append_row(ws, APPLICATION_SHEET, application_values(application, today))

    for spec, model, fields in ((REVIEW_SHEET, AdministrativeReview, REVIEW_FIELDS), (LAWSUIT_SHEET, Lawsuit, LAWSUIT_FIELDS)):
        ws = add_sheet(workbook, spec)
        cases = (
            model.objects.filter(application__in=applications)
            .select_related("application")
            .only("application__number", "filed_on", *fields)
            .order_by("application__received_on", "application__number", "filed_on", "pk")
        )
        for case in cases.iterator(chunk_size=CHUNK_SIZE):
            append_row(ws, spec, case_values(case, fields))
    return workbook


def export_filename(organization, year=None):
    return f"{organization.short_name}政府信息公开申请台账{f'（{year}年）' if year else ''}.xlsx"


def column_letter(spec, key):
    return get_column_letter(next(i for i, column in enumerate(spec.columns, start=1) if column.key == key))


def add_list_validation(ws, spec, key, formula, prompt):
    letter = column_letter(spec, key)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请从下拉列表中选择",
        error=prompt,
        showInputMessage=True,
        promptTitle=spec.column(key).header,
        prompt=prompt,
    )
    validation.add(f"{letter}2:{letter}1048576")
    ws.add_data_validation(validation)


def inline_list(values):
    return '"' + ",".join(values) + '"'


def blank_template():
    """A workbook with the three sheets' headers, one sample row each and drop-down lists.

    The sample rows belong together (the review and lawsuit are about the sample
    application), so the template itself imports cleanly; delete them before use.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in SHEETS:
        ws = add_sheet(workbook, spec, computed=False)
        append_row(ws, spec, {column.key: column.sample for column in spec.columns}, computed=False)
        ws.freeze_panes = "A2"

    # The outcome list is longer than the 255 characters an inline list may have: it
    # lives on a hidden sheet that the import ignores.
    options = workbook.create_sheet(OPTIONS_SHEET)
    outcome_labels = OutcomeValue().choices
    for row, label in enumerate(outcome_labels, start=1):
        write_text(options.cell(row=row, column=1), label)
    options.sheet_state = "hidden"

    applications = workbook[APPLICATION_SHEET.title]
    applicant_types = APPLICATION_SHEET.column("applicant_type").kind
    add_list_validation(applications, APPLICATION_SHEET, "applicant_type", inline_list(applicant_types.choices),
                        "请选择：" + "、".join(applicant_types.choices))
    add_list_validation(applications, APPLICATION_SHEET, "outcome", f"'{OPTIONS_SHEET}'!$A$1:$A${len(outcome_labels)}",
                        "请选择办理结果；尚未答复的留空。")
    add_list_validation(applications, APPLICATION_SHEET, "extended", inline_list(YesNo.choices), "请选择“是”或“否”。")
    channels = APPLICATION_SHEET.column("channel").kind
    add_list_validation(applications, APPLICATION_SHEET, "channel", inline_list(channels.choices),
                        "请选择：" + "、".join(channels.choices))
    results = CaseResultValue().choices
    for spec in (REVIEW_SHEET, LAWSUIT_SHEET):
        add_list_validation(workbook[spec.title], spec, "result", inline_list(results),
                            "请选择：" + "、".join(results) + "；尚未审结的留空。")
    add_list_validation(workbook[LAWSUIT_SHEET.title], LAWSUIT_SHEET, "after_review", inline_list(YesNo.choices),
                        "请选择“是”或“否”。")
    return workbook

