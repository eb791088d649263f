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


def ledger_cases(model, applications):
    return model.objects.filter(application__in=applications)


def ledger_row_count(organization, year=None):
    """How many rows export_ledger writes (applications, reviews, lawsuits): its progress's total."""
    applications = ledger_applications(organization, year)
    return (
        applications.count()
        + ledger_cases(AdministrativeReview, applications).count()
        + ledger_cases(Lawsuit, applications).count()
    )


def export_ledger(organization, year=None, today=None, include_personal_data=True, progress=None):
    """The office's ledger as a write-only Workbook (save it once).

    With a year: the applications received that year, and the reviews and lawsuits about
    them (so the file imports on its own). Without include_personal_data, ID numbers and
    phones are masked (see applications.masking). Rows are ordered by data only (收到日期, 申请编号,
    filing date), so exporting the same ledger from another database gives the same file.
    progress(rows written so far), when given, is called after every row (the export job's bar).
    """
    today = today or timezone.localdate()
    applications = ledger_applications(organization, year)
    workbook = Workbook(write_only=True)
    written = 0

    ws = add_sheet(workbook, APPLICATION_SHEET)
    rows = (
        applications.only(*APPLICATION_FIELDS, "number", "due_on", "due_is_provisional")
        .prefetch_related("clock_stops")
        .order_by("received_on", "number")
    )
    for application in rows.iterator(chunk_size=CHUNK_SIZE):
        append_row(
            ws, APPLICATION_SHEET, application_values(application, today, include_personal_data)
        )
        written += 1
        if progress:
            progress(written)

    for spec, model, fields in (
        (REVIEW_SHEET, AdministrativeReview, REVIEW_FIELDS),
        (LAWSUIT_SHEET, Lawsuit, LAWSUIT_FIELDS),
    ):
        ws = add_sheet(workbook, spec)
        cases = (
            ledger_cases(model, applications)
            .select_related("application")
            .only("application__number", "filed_on", *fields)
            .order_by("application__received_on", "application__number", "filed_on", "pk")
        )
        for case in cases.iterator(chunk_size=CHUNK_SIZE):
            append_row(ws, spec, case_values(case, fields))
            written += 1
            if progress:
                progress(written)
    return workbook


def export_filename(organization, year=None):
    return f"{organization.short_name}政府信息公开申请台账{f'（{year}年）' if year else ''}.xlsx"


def column_letter(spec, key):
    return get_column_letter(
        next(i for i, column in enumerate(spec.columns, start=1) if column.key == key)
    )


def add_list_validation(ws, spec, key, formula=None):
    """A drop-down on a column, listing the column's own choices unless a formula is given."""
    column = spec.column(key)
    letter = column_letter(spec, key)
    choices = "、".join(column.kind.choices)
    prompt = f"请选择：{choices}" if len(choices) < 200 else "请从下拉列表中选择"
    if not column.required:
        prompt += "；可留空"
    validation = DataValidation(
        type="list",
        formula1=formula or '"' + ",".join(column.kind.choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请从下拉列表中选择",
        error=prompt,
        showInputMessage=True,
        promptTitle=column.header,
        prompt=prompt,
    )
    validation.add(f"{letter}2:{letter}1048576")
    ws.add_data_validation(validation)


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
    outcomes = APPLICATION_SHEET.column("outcome").kind.choices
    for row, label in enumerate(outcomes, start=1):
        write_text(options.cell(row=row, column=1), label)
    options.sheet_state = "hidden"

    applications = workbook[APPLICATION_SHEET.title]
    add_list_validation(applications, APPLICATION_SHEET, "applicant_type")
    add_list_validation(
        applications, APPLICATION_SHEET, "outcome", f"'{OPTIONS_SHEET}'!$A$1:$A${len(outcomes)}"
    )
    add_list_validation(applications, APPLICATION_SHEET, "extended")
    add_list_validation(applications, APPLICATION_SHEET, "channel")
    for spec in (REVIEW_SHEET, LAWSUIT_SHEET):
        add_list_validation(workbook[spec.title], spec, "result")
    add_list_validation(workbook[LAWSUIT_SHEET.title], LAWSUIT_SHEET, "after_review")
    return workbook
