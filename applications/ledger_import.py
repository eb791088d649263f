"""Importing a ledger workbook into one office: check everything, then write it all or nothing.

1. lib.workbooks refuses unsafe or non-xlsx files (lib.uploads.LEDGER_LIMITS) and streams
   every XML part before openpyxl reads it.
2. Every sheet is streamed to its true extent and every cell parsed with the contract in
   ledger.py; every problem is collected with its sheet, row and column.
3. Only when there is no error: in one transaction, applications are matched by 申请编号
   (reviews and lawsuits by application and filing date), unchanged records are skipped,
   new and changed ones are written in bulk with their history rows.

The same function previews an upload (apply=False): it runs the checks and the matching
and counts what would be created or updated, without writing.
"""

import datetime
import logging
from dataclasses import dataclass, field
from functools import partial

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lib.uploads import LEDGER_LIMITS, UploadRejected
from lib.workbooks import SafeWorkbook
from workdays.calendar import WorkdayCalendar

from . import rules
from .choices import Channel
from .ledger import (
    APPLICATION_FIELDS,
    APPLICATION_SHEET,
    LAWSUIT_FIELDS,
    LAWSUIT_SHEET,
    OPINION_KIND,
    OPTIONS_SHEET,
    REVIEW_FIELDS,
    REVIEW_SHEET,
    SHEETS,
    CellError,
    Problem,
    compact,
    is_blank,
    ledger_clock_stop,
)
from .models import AdministrativeReview, Application, ClockStop, Lawsuit

logger = logging.getLogger("gongkai")

BATCH_SIZE = 1000
PROGRESS_EVERY = 5_000
CHANGE_REASON = "导入台账"

# What a blank cell means for a field that is not a date.
BLANK_VALUES = {
    "outcome": "",
    "extended": False,
    "channel": Channel.IN_PERSON,
    "after_review": False,
    "result": "",
}
TEXT_FIELDS = {
    "applicant_name",
    "content",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "notes",
    "review_body",
    "court",
}


def stored_value(key, value):
    if value is not None:
        return value
    if key in TEXT_FIELDS:
        return ""
    return BLANK_VALUES.get(key)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"新增 {self.created}，更新 {self.updated}，无变化 {self.unchanged}"


@dataclass
class ImportReport:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    applications: Counts = field(default_factory=Counts)
    reviews: Counts = field(default_factory=Counts)
    lawsuits: Counts = field(default_factory=Counts)
    applied: bool = False

    @property
    def ok(self):
        return not self.errors

    def error(self, message, sheet="", row=None, column=None):
        self.errors.append(place(message, sheet, row, column))

    def warn(self, message, sheet="", row=None, column=None):
        self.warnings.append(place(message, sheet, row, column))

    def summary(self):
        return (
            f"申请登记：{self.applications}；行政复议：{self.reviews}；行政诉讼：{self.lawsuits}。"
        )


def place(message, sheet, row, column):
    header, letter = "", ""
    if column is not None:
        header, letter = column
    return Problem(message, sheet, row, header, letter)


class SheetData:
    """The parsed rows of one sheet: (excel row number, values tuple, failed column keys)."""

    def __init__(self, spec, columns):
        self.spec = spec
        self.columns = columns  # [(index in file, Column, letter)], computed columns left out
        self.index = {column.key: position for position, (_, column, _) in enumerate(columns)}
        self.rows = []

    def has(self, key):
        return key in self.index

    def get(self, values, key):
        position = self.index.get(key)
        return None if position is None else values[position]

    def where(self, key):
        """(header, letter) of a column, for a Problem; the spec's header when the column is absent."""
        position = self.index.get(key)
        if position is None:
            return (self.spec.column(key).header, "")
        _, column, letter = self.columns[position]
        return (column.header, letter)


NO_FAILURES = frozenset()


def read_sheet(workbook, title, spec, report, progress):
    rows = workbook.rows(title)
    first = next(rows, None)
    header = first[1] if first else None
    if header is None or all(is_blank(value) for value in header):
        if spec.required:
            report.error("第1行应当是列名（申请编号、收到日期……），但这一行是空的。", spec.title, 1)
        return None
    by_header = spec.by_header
    columns, seen = [], {}
    for index, raw in enumerate(header):
        if is_blank(raw):
            continue
        letter = get_column_letter(index + 1)
        column = by_header.get(compact(str(raw)))
        if column is None:
            report.warn(
                f"“{str(raw).strip()}”不是台账的列，这一列已忽略。",
                spec.title,
                1,
                (str(raw).strip(), letter),
            )
        elif column.key in seen:
            report.error(
                f"列名“{column.header}”出现了两次（{seen[column.key]}列和{letter}列），请删除其中一列。",
                spec.title,
                1,
            )
        else:
            seen[column.key] = letter
            if not column.computed:
                columns.append((index, column, letter))
    missing = [column.header for column in spec.required_columns if column.key not in seen]
    for header_text in missing:
        report.error(f"缺少必填的列“{header_text}”，请在第1行加上这一列。", spec.title, 1)
    if missing:
        return None

    data = SheetData(spec, columns)
    # A 200,000-row ledger repeats the same few thousand dates: one object for each date
    # keeps the parsed rows within the worker's memory budget.
    dates = {}

    def shared(value):
        return dates.setdefault(value, value) if isinstance(value, datetime.date) else value

    if progress:
        total = max(workbook.extent(title).rows - 1, 0)
        progress(f"正在读取工作表“{spec.title}”", force=True, total=total, read=0)
    for row_number, values in rows:
        if all(is_blank(values[index]) for index, _, _ in columns):
            continue
        parsed, failed = [], set()
        for index, column, letter in columns:
            raw = values[index]
            value = None
            if isinstance(raw, str) and raw in ERROR_CODES:
                report.error(
                    f"单元格是Excel的错误值“{raw}”（公式出错），请改正公式或填写数值后再导入。",
                    spec.title,
                    row_number,
                    (column.header, letter),
                )
                failed.add(column.key)
            elif is_blank(raw):
                if column.required:
                    report.error(
                        "必填，不能为空。", spec.title, row_number, (column.header, letter)
                    )
                    failed.add(column.key)
            else:
                try:
                    value = column.parse(raw)
                except CellError as error:
                    report.error(str(error), spec.title, row_number, (column.header, letter))
                    failed.add(column.key)
            parsed.append(value if value is None else shared(value))
        data.rows.append((row_number, tuple(parsed), frozenset(failed) if failed else NO_FAILURES))
        if progress and len(data.rows) % PROGRESS_EVERY == 0:
            progress(f"已读取工作表“{spec.title}”{len(data.rows)} 行", read=len(data.rows))
    return data


def read_workbook(source, report, progress=None, filename=None):
    """Parse the sheets of the contract; {title: SheetData} (absent optional sheets left out).

    A refused file, or a row that cannot be read, is one error in the report and no sheets.
    """
    try:
        workbook = SafeWorkbook(source, LEDGER_LIMITS, filename)
    except UploadRejected as rejected:
        report.error(str(rejected))
        return {}
    try:
        titles = {compact(title): title for title in workbook.sheetnames}
        sheets = {}
        for spec in SHEETS:
            title = titles.pop(compact(spec.title), None)
            if title is None:
                if spec.required:
                    report.error(
                        f"找不到工作表“{spec.title}”。本工作簿中的工作表是：{'、'.join(workbook.sheetnames)}。"
                        f"请把申请台账所在的工作表改名为“{spec.title}”。"
                    )
                continue
            data = read_sheet(workbook, title, spec, report, progress)
            if data is not None:
                sheets[spec.title] = data
        for title in titles.values():
            if title != OPTIONS_SHEET:
                report.warn(f"工作表“{title}”不是台账的工作表，已忽略。")
        return sheets
    except UploadRejected as rejected:
        report.error(str(rejected))
        return {}
    finally:
        workbook.close()


# Checks across cells and rows -------------------------------------------------------------


def check_applications(data, report):
    """Rules within a row, and unique 申请编号; returns {number: excel row} of the file."""
    title = data.spec.title
    numbers = {}
    for row_number, values, failed in data.rows:
        get = partial(data.get, values)
        number = get("number")
        if number and "number" not in failed:
            if number in numbers:
                report.error(
                    f"申请编号“{number}”与第{numbers[number]}行重复；同一机关的申请编号不能重复。",
                    title,
                    row_number,
                    data.where("number"),
                )
            else:
                numbers[number] = row_number
        received, answered, outcome = get("received_on"), get("answered_on"), get("outcome")
        if not failed & {"answered_on", "outcome"}:
            report_violations(
                report, data, row_number, rules.outcome_iff_answered(answered, outcome)
            )
        report_violations(
            report,
            data,
            row_number,
            rules.answered_not_before_received(received, answered),
            rules.correction_not_before_received(received, get("correction_received_on")),
        )
        requested, replied = get("opinion_requested_on"), get("opinion_received_on")
        if not failed & {"opinion_requested_on", "opinion_received_on"}:
            if requested and not replied:
                report.error(
                    "填写了征求意见日期，必须同时填写第三方答复日期（两个日期要么都填，要么都不填）。",
                    title,
                    row_number,
                    data.where("opinion_received_on"),
                )
            if replied and not requested:
                report.error(
                    "填写了第三方答复日期，必须同时填写征求意见日期（两个日期要么都填，要么都不填）。",
                    title,
                    row_number,
                    data.where("opinion_requested_on"),
                )
        if requested and replied and replied < requested:
            report.error(
                f"第三方答复日期（{replied:%Y-%m-%d}）早于征求意见日期（{requested:%Y-%m-%d}），请核对。",
                title,
                row_number,
                data.where("opinion_received_on"),
            )
    return numbers


def check_cases(data, report, known_numbers, reviewed_numbers=None):
    """Rules within a review or lawsuit row, duplicates, and that its application exists."""
    title = data.spec.title
    seen = {}
    for row_number, values, failed in data.rows:
        get = partial(data.get, values)
        number, filed = get("number"), get("filed_on")
        if number and number not in known_numbers:
            report.error(
                f"申请编号“{number}”在“申请登记”工作表和本机关已有的台账中都找不到，请先登记这件申请。",
                title,
                row_number,
                data.where("number"),
            )
        if number and filed:
            key = (number, filed)
            if key in seen:
                report.error(
                    f"与第{seen[key]}行是同一件申请、同一天的{title}，重复了。",
                    title,
                    row_number,
                    data.where("filed_on"),
                )
            else:
                seen[key] = row_number
        result, concluded = get("result"), get("concluded_on")
        if not failed & {"result", "concluded_on"}:
            report_violations(
                report, data, row_number, rules.result_iff_concluded(concluded, result)
            )
        report_violations(
            report, data, row_number, rules.concluded_not_before_filed(filed, concluded)
        )
        if reviewed_numbers is not None and number:
            report_violations(
                report,
                data,
                row_number,
                rules.lawsuit_after_review_needs_review(
                    bool(get("after_review")), number in reviewed_numbers
                ),
            )


def report_violations(report, data, row_number, *checks):
    """File each rule violation of a row under the column of the field it names."""
    for violations in checks:
        for violation in violations:
            report.error(
                violation.message, data.spec.title, row_number, data.where(violation.field)
            )


def chunks(items, size=BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_numbers(organization, numbers):
    """Which of these 申请编号 the office already has."""
    found = set()
    for chunk in chunks(list(numbers)):
        found.update(
            Application.objects.filter(organization=organization, number__in=chunk).values_list(
                "number", flat=True
            )
        )
    return found


def numbers_with_reviews(organization, numbers):
    found = set()
    for chunk in chunks(list(numbers)):
        found.update(
            AdministrativeReview.objects.filter(
                application__organization=organization, application__number__in=chunk
            ).values_list("application__number", flat=True)
        )
    return found


def check_references(sheets, file_numbers, organization, report):
    reviews, lawsuits = sheets.get(REVIEW_SHEET.title), sheets.get(LAWSUIT_SHEET.title)
    referenced = set()
    for data in (reviews, lawsuits):
        if data:
            referenced.update(data.get(values, "number") for _, values, _ in data.rows)
    referenced.discard(None)
    known = set(file_numbers) | existing_numbers(organization, referenced - set(file_numbers))
    reviewed = set()
    if reviews:
        check_cases(reviews, report, known)
        reviewed = {
            reviews.get(values, "number") for _, values, failed in reviews.rows if not failed
        }
    if lawsuits:
        wanted = {
            lawsuits.get(values, "number")
            for _, values, _ in lawsuits.rows
            if lawsuits.get(values, "after_review")
        }
        reviewed |= numbers_with_reviews(organization, wanted - reviewed)
        check_cases(lawsuits, report, known, reviewed)


# Writing --------------------------------------------------------------------------------


class Writer:
    """Matches rows with stored records and writes the differences (or only counts them)."""

    def __init__(self, organization, user, report, apply, progress):
        self.organization = organization
        self.user = user
        self.report = report
        self.apply = apply
        self.progress = progress
        self.calendar = WorkdayCalendar()
        self.now = timezone.now()

    def applications(self, data):
        fields = [key for key in APPLICATION_FIELDS if data.has(key)]
        kinds = {key: data.spec.column(key).kind for key in fields}
        has_opinion = data.has("opinion_requested_on") and data.has("opinion_received_on")
        done = 0
        for chunk in chunks(data.rows):
            numbers = [data.get(values, "number") for _, values, _ in chunk]
            existing = {
                application.number: application
                for application in Application.objects.filter(
                    organization=self.organization, number__in=numbers
                ).prefetch_related("clock_stops")
            }
            created, updated, redated, new_stops, changed_stops = [], [], [], [], []
            for _, values, _ in chunk:
                number = data.get(values, "number")
                application = existing.get(number)
                opinion = (
                    data.get(values, "opinion_requested_on"),
                    data.get(values, "opinion_received_on"),
                )
                if application is None:
                    application = Application(
                        organization=self.organization,
                        number=number,
                        created_by=self.user,
                        updated_by=self.user,
                    )
                    for key in fields:
                        setattr(application, key, stored_value(key, data.get(values, key)))
                    stops = []
                    if has_opinion and opinion[0]:
                        stop = ClockStop(
                            application=application,
                            kind=OPINION_KIND,
                            started_on=opinion[0],
                            ended_on=opinion[1],
                        )
                        stops.append(stop)
                        new_stops.append(stop)
                    application.set_deadline(self.calendar, stops)
                    created.append(application)
                    continue
                changed = [
                    key
                    for key in fields
                    if not kinds[key].same(
                        getattr(application, key), stored_value(key, data.get(values, key))
                    )
                ]
                for key in changed:
                    setattr(application, key, stored_value(key, data.get(values, key)))
                stops = list(application.clock_stops.all())
                stop_changed = False
                if has_opinion and opinion[0]:
                    stop = ledger_clock_stop(stops)
                    if stop is None:
                        stop = ClockStop(
                            application=application,
                            kind=OPINION_KIND,
                            started_on=opinion[0],
                            ended_on=opinion[1],
                        )
                        stops.append(stop)
                        new_stops.append(stop)
                        stop_changed = True
                    elif (stop.started_on, stop.ended_on) != opinion:
                        stop.started_on, stop.ended_on = opinion
                        changed_stops.append(stop)
                        stop_changed = True
                if not changed and not stop_changed:
                    self.report.applications.unchanged += 1
                    continue
                self.report.applications.updated += 1
                before = (application.due_on, application.due_is_provisional)
                application.set_deadline(self.calendar, stops)
                if changed:
                    application.updated_by = self.user
                    application.updated_at = self.now
                    updated.append(application)
                elif before != (application.due_on, application.due_is_provisional):
                    redated.append(application)
            self.report.applications.created += len(created)
            if self.apply:
                self.write_applications(created, updated, redated, new_stops, changed_stops)
            done += len(chunk)
            if self.progress and (done % PROGRESS_EVERY == 0 or done == len(data.rows)):
                self.progress(
                    f"已{'写入' if self.apply else '核对'}申请 {done}/{len(data.rows)} 件",
                    **{"written" if self.apply else "checked": done},
                )

    def write_applications(self, created, updated, redated, new_stops, changed_stops):
        history = {
            "default_user": self.user,
            "default_change_reason": CHANGE_REASON,
            "batch_size": BATCH_SIZE,
        }
        if created:
            bulk_create_with_history(created, Application, **history)
        if updated:
            fields = [
                *APPLICATION_FIELDS,
                "due_on",
                "due_is_provisional",
                "updated_by",
                "updated_at",
            ]
            bulk_update_with_history(updated, Application, fields, **history)
        if redated:
            Application.objects.bulk_update(
                redated, ["due_on", "due_is_provisional"], batch_size=BATCH_SIZE
            )
        for stop in new_stops:
            stop.application_id = stop.application.pk
        if new_stops:
            bulk_create_with_history(new_stops, ClockStop, **history)
        if changed_stops:
            bulk_update_with_history(
                changed_stops, ClockStop, ["started_on", "ended_on"], **history
            )

    def cases(self, data, model, fields, counts):
        fields = [key for key in fields if data.has(key)]
        kinds = {key: data.spec.column(key).kind for key in fields}
        rows = data.rows
        for chunk in chunks(rows):
            numbers = {data.get(values, "number") for _, values, _ in chunk}
            applications = dict(
                Application.objects.filter(
                    organization=self.organization, number__in=numbers
                ).values_list("number", "pk")
            )
            existing = {}
            for case in model.objects.filter(application_id__in=applications.values()).order_by(
                "pk"
            ):
                existing.setdefault((case.application_id, case.filed_on), case)
            created, updated = [], []
            for _, values, _ in chunk:
                application_id = applications.get(data.get(values, "number"))
                filed_on = data.get(values, "filed_on")
                case = existing.get((application_id, filed_on)) if application_id else None
                if case is None:
                    case = model(application_id=application_id, filed_on=filed_on)
                    for key in fields:
                        setattr(case, key, stored_value(key, data.get(values, key)))
                    created.append(case)
                    continue
                changed = [
                    key
                    for key in fields
                    if not kinds[key].same(
                        getattr(case, key), stored_value(key, data.get(values, key))
                    )
                ]
                if not changed:
                    counts.unchanged += 1
                    continue
                for key in changed:
                    setattr(case, key, stored_value(key, data.get(values, key)))
                updated.append(case)
            counts.created += len(created)
            counts.updated += len(updated)
            if self.apply:
                history = {
                    "default_user": self.user,
                    "default_change_reason": CHANGE_REASON,
                    "batch_size": BATCH_SIZE,
                }
                if created:
                    bulk_create_with_history(created, model, **history)
                if updated:
                    bulk_update_with_history(updated, model, fields, **history)


def import_ledger(source, organization, user=None, apply=True, progress=None, filename=None):
    """Check the workbook and, when apply and there is no error, write it; returns an ImportReport.

    source: a path or a seekable binary file; filename: the name the user gave the file,
    when source is a stored copy. Nothing is written when any error is found.
    """
    report = ImportReport()
    sheets = read_workbook(source, report, progress, filename)
    applications = sheets.get(APPLICATION_SHEET.title)
    if applications is not None and not applications.rows:
        report.error(
            "工作表里除了第1行列名之外没有任何申请，请填写后再导入。", APPLICATION_SHEET.title
        )
    if report.errors:
        return report
    if progress:
        progress(
            f"已读取 {len(applications.rows)} 件申请，正在核对",
            force=True,
            total=len(applications.rows),
            read=len(applications.rows),
            checked=len(applications.rows) if apply else 0,
        )
    file_numbers = check_applications(applications, report)
    check_references(sheets, file_numbers, organization, report)
    if report.errors:
        return report

    writer = Writer(organization, user, report, apply, progress)
    try:
        with transaction.atomic():
            writer.applications(applications)
            if REVIEW_SHEET.title in sheets:
                writer.cases(
                    sheets[REVIEW_SHEET.title], AdministrativeReview, REVIEW_FIELDS, report.reviews
                )
            if LAWSUIT_SHEET.title in sheets:
                writer.cases(sheets[LAWSUIT_SHEET.title], Lawsuit, LAWSUIT_FIELDS, report.lawsuits)
    except (IntegrityError, DatabaseError) as error:
        logger.warning("ledger import rolled back: %s", error)
        rule_message = rules.message_for_database_error(error)
        report.error(
            f"写入数据库时出错，已全部撤销，没有导入任何数据：{rule_message}"
            if rule_message
            else f"写入数据库时出错，已全部撤销，没有导入任何数据。请把这条信息告诉系统管理员：{error}"
        )
        report.applications, report.reviews, report.lawsuits = Counts(), Counts(), Counts()
        return report
    report.applied = apply
    return report
