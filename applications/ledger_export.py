"""Writing the ledger workbook: an office's ledger, and the blank template.

Both use the sheet and column definitions of ledger.py, so what is exported imports
again unchanged.
"""

from operator import itemgetter

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .deadlines import DeadlineStatus, deadline_status
from .ledger import (
    APPLICATION_FIELDS,
    APPLICATION_SHEET,
    DATES_FORMATTED,
    LAWSUIT_FIELDS,
    LAWSUIT_SHEET,
    OPINION_KIND,
    OPTIONS_SHEET,
    REVIEW_FIELDS,
    REVIEW_SHEET,
    SHEETS,
    Date,
    add_sheet,
    append_row,
)
from .masking import PERSONAL_DATA_FIELDS
from .models import AdministrativeReview, Application, ClockStop, Lawsuit
from .xlsx import write_text

CHUNK_SIZE = 2000
# The stored fields of a 申请登记 row (after the id), then what export adds to them.
APPLICATION_KEYS = ("number", *APPLICATION_FIELDS, "due_on")
APPLICATION_ROW = (*APPLICATION_KEYS, "opinion_requested_on", "opinion_received_on", "status")
NO_OPINION = (None, None)
STATUS_LABELS = {status: status.label for status in DeadlineStatus}


def ledger_applications(organization, year=None):
    applications = Application.objects.filter(organization=organization)
    if year:
        applications = applications.filter(received_on__year=year)
    return applications


def row_writer(ws, spec, keys):
    """A function: a row's values (in `keys` order) -> its cells, in the spec's column order.

    A date goes in as it is (openpyxl formats a date as ledger.DATE_FORMAT by itself), and
    so does a blank; every other value through its column's kind.
    """
    in_order = itemgetter(*(keys.index(column.key) for column in spec.columns))
    convert = [
        (position, column.kind.write)
        for position, column in enumerate(spec.columns)
        if not (isinstance(column.kind, Date) and DATES_FORMATTED)
    ]

    def cells(values):
        row = list(in_order(values))
        for position, write in convert:
            value = row[position]
            if value is not None:
                row[position] = write(ws, value)
        return row

    return cells


def opinion_stops(organization, year=None):
    """{application id: (征求意见日期, 第三方答复日期)} of the ledger's opinion stops (one query).

    ledger.ledger_clock_stop's choice: an application's first finished third-party-opinion
    stop, by start date, then by id.
    """
    stops = ClockStop.objects.filter(
        application__organization=organization, kind=OPINION_KIND, ended_on__isnull=False
    )
    if year:
        stops = stops.filter(application__received_on__year=year)
    opinions = {}
    for application_id, started_on, ended_on in stops.order_by(
        "application_id", "started_on", "pk"
    ).values_list("application_id", "started_on", "ended_on"):
        opinions.setdefault(application_id, (started_on, ended_on))
    return opinions


def ledger_cases(model, organization, year=None):
    """The reviews or lawsuits about the ledger's applications (all, or received in `year`)."""
    cases = model.objects.filter(organization=organization)
    if year:
        cases = cases.filter(application__received_on__year=year)
    return cases


def ledger_row_count(organization, year=None):
    """How many rows export_ledger writes (applications, reviews, lawsuits): its progress's total."""
    return (
        ledger_applications(organization, year).count()
        + ledger_cases(AdministrativeReview, organization, year).count()
        + ledger_cases(Lawsuit, organization, year).count()
    )


def write_applications(ws, organization, year, today, include_personal_data, progress=None):
    """The 申请登记 rows, streamed from one query (and one for the opinion stops)."""
    opinions = opinion_stops(organization, year)
    answered, due = APPLICATION_ROW.index("answered_on"), APPLICATION_ROW.index("due_on")
    masks = (
        []
        if include_personal_data
        else [(APPLICATION_ROW.index(key), mask) for key, mask in PERSONAL_DATA_FIELDS.items()]
    )
    cells = row_writer(ws, APPLICATION_SHEET, APPLICATION_ROW)
    rows = (
        ledger_applications(organization, year)
        .order_by("received_on", "number")
        .values_list("pk", *APPLICATION_KEYS)
    )
    written = 0
    for pk, *values in rows.iterator(chunk_size=CHUNK_SIZE):
        written += 1
        if progress:
            progress(written)
        values += opinions.get(pk, NO_OPINION)
        values.append(STATUS_LABELS[deadline_status(values[answered], values[due], today)])
        for position, mask in masks:
            values[position] = mask(values[position])
        ws.append(cells(values))
    return written


def write_cases(ws, spec, model, fields, organization, year, progress=None, written=0):
    """The rows of 行政复议 or 行政诉讼, with their applications' numbers, from one query;
    returns the rows written so far (`written` before them)."""
    cases = ledger_cases(model, organization, year)
    keys = ("number", "filed_on", *fields)
    cells = row_writer(ws, spec, keys)
    rows = cases.order_by(
        "application__received_on", "application__number", "filed_on", "pk"
    ).values_list("application__number", "filed_on", *fields)
    for values in rows.iterator(chunk_size=CHUNK_SIZE):
        ws.append(cells(values))
        written += 1
        if progress:
            progress(written)
    return written


def export_ledger(organization, year=None, today=None, include_personal_data=True, progress=None):
    """The office's ledger as a write-only Workbook (save it once).

    With a year: the applications received that year, and the reviews and lawsuits about
    them (so the file imports on its own). Without include_personal_data, ID numbers and
    phones are masked (see applications.masking). Rows are ordered by data only (收到日期, 申请编号,
    filing date), so exporting the same ledger from another database gives the same file.
    Four queries whatever the size: applications, opinion stops, reviews, lawsuits; each
    sheet is streamed from the database into the workbook. progress(rows written so far),
    when given, is called after every row (the export job's bar).
    """
    today = today or timezone.localdate()
    workbook = Workbook(write_only=True)
    written = write_applications(
        add_sheet(workbook, APPLICATION_SHEET),
        organization,
        year,
        today,
        include_personal_data,
        progress,
    )
    for spec, model, fields in (
        (REVIEW_SHEET, AdministrativeReview, REVIEW_FIELDS),
        (LAWSUIT_SHEET, Lawsuit, LAWSUIT_FIELDS),
    ):
        written = write_cases(
            add_sheet(workbook, spec), spec, model, fields, organization, year, progress, written
        )
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
