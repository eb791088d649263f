"""Importing a ledger workbook into one office: read, check and write it in one pass, all or nothing.

1. lib.workbooks refuses unsafe or non-xlsx files (lib.uploads.LEDGER_LIMITS) and streams
   every XML part before openpyxl reads it.
2. The sheets are read in the contract's order (申请登记, 行政复议, 行政诉讼), BATCH_SIZE
   rows at a time. Every cell is parsed with the contract in ledger.py and every row is
   checked with the rules; each problem is kept with its sheet, row and column. Only what
   later rows need stays in memory: the 申请编号 of the file with their rows, and the
   numbers that have a review.
3. While no problem has been found, each batch is matched with the stored records
   (applications by 申请编号, reviews and lawsuits by application and filing date) and the
   new and changed ones are written in bulk, each with its history row (the importing user,
   reason 导入台账); unchanged records are left alone. It all happens in one transaction: a
   problem anywhere, even in the last row, rolls back everything, and nothing is written.

The problems of the cells (a date that is not a date, a missing value ...) are reported on
their own: the rules between cells and rows are reported for a file whose cells all read.

The same function previews an upload (apply=False): it reads, checks and matches the same
way and counts what would be created, updated or left unchanged, without writing.
"""

import contextlib
import logging
from dataclasses import dataclass, field
from itertools import islice

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter

from lib.bulk_history import create_with_history, update_with_history
from lib.uploads import LEDGER_LIMITS, UploadRejected
from lib.workbooks import SafeWorkbook
from workdays.calendar import WorkdayCalendar

from . import rules
from .choices import Channel
from .deadlines import compute_deadline
from .ledger import (
    APPLICATION_FIELDS,
    APPLICATION_SHEET,
    LAWSUIT_FIELDS,
    OPINION_KIND,
    OPTIONS_SHEET,
    REVIEW_FIELDS,
    REVIEW_SHEET,
    SHEETS,
    CellError,
    Date,
    Lookup,
    Problem,
    YesNo,
    compact,
    is_blank,
    ledger_clock_stop,
)
from .models import AdministrativeReview, Application, ClockStop, Lawsuit

logger = logging.getLogger("gongkai")

BATCH_SIZE = 1000
PROGRESS_EVERY = 5_000
CHANGE_REASON = "导入台账"
# Parsed values remembered per column, for the kinds whose values repeat (dates, lists, 是/否).
REMEMBERED = 4096
REMEMBERED_KINDS = (Date, Lookup, YesNo)
# Deadlines remembered per import: most applications share their facts with another.
REMEMBERED_DEADLINES = 50_000

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
NO_ROWS = "工作表里除了第1行列名之外没有任何申请，请填写后再导入。"


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


class Problems(list):
    """The problems the rules between cells and rows find, kept apart from those of the cells."""

    def error(self, message, sheet="", row=None, column=None):
        self.append(place(message, sheet, row, column))


# Reading ------------------------------------------------------------------------------------


class SheetData:
    """The columns of one sheet; a row is (excel row number, values tuple, failed column keys)."""

    def __init__(self, spec, columns):
        self.spec = spec
        self.columns = columns  # [(index in file, Column, letter)], computed columns left out
        self.index = {column.key: position for position, (_, column, _) in enumerate(columns)}
        self.kinds = {column.key: column.kind for _, column, _ in columns}
        self.count = 0  # rows read so far

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


NO_FAILURES: frozenset = frozenset()


def read_header(header, spec, report):
    """The sheet's columns from its first row; None (and the errors) when they cannot be used."""
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
    return None if missing else SheetData(spec, columns)


def remembering(parse):
    """parse(raw), remembering what each raw value gave (its value or its error)."""
    memo = {}

    def parse_remembered(raw):
        key = (raw.__class__, raw)  # 1, 1.0 and True are equal keys otherwise
        found = memo.get(key)
        if found is None:
            try:
                found = (parse(raw), None)
            except CellError as error:
                found = (None, str(error))
            if len(memo) < REMEMBERED:
                memo[key] = found
        if found[1] is not None:
            raise CellError(found[1])
        return found[0]

    return parse_remembered


def parse_rows(rows, data, report):
    """(excel row, values, failed keys) for every row that is not blank; cell errors to report."""
    title = data.spec.title
    indexes = [index for index, _, _ in data.columns]
    plan = [
        (
            column,
            (column.header, letter),
            remembering(column.kind.parse)
            if isinstance(column.kind, REMEMBERED_KINDS)
            else column.kind.parse,
        )
        for _, column, letter in data.columns
    ]
    for row_number, values in rows:
        cells = [values[index] for index in indexes]
        if all(is_blank(raw) for raw in cells):
            continue
        parsed, failed = [], set()
        for raw, (column, where, parse) in zip(cells, plan, strict=True):
            value = None
            if isinstance(raw, str) and raw in ERROR_CODES:
                report.error(
                    f"单元格是Excel的错误值“{raw}”（公式出错），请改正公式或填写数值后再导入。",
                    title,
                    row_number,
                    where,
                )
                failed.add(column.key)
            elif is_blank(raw):
                if column.required:
                    report.error("必填，不能为空。", title, row_number, where)
                    failed.add(column.key)
            else:
                try:
                    value = parse(raw)
                except CellError as error:
                    report.error(str(error), title, row_number, where)
                    failed.add(column.key)
            parsed.append(value)
        data.count += 1
        yield row_number, tuple(parsed), frozenset(failed) if failed else NO_FAILURES


def batches(rows, size=None):
    """Lists of `size` (BATCH_SIZE) rows, the last one shorter."""
    rows = iter(rows)
    while batch := list(islice(rows, size or BATCH_SIZE)):
        yield batch


# Checks across cells and rows -------------------------------------------------------------


def report_violations(problems, data, row_number, *checks):
    """File each rule violation of a row under the column of the field it names."""
    for violations in checks:
        for violation in violations:
            problems.error(
                violation.message, data.spec.title, row_number, data.where(violation.field)
            )


class ApplicationChecks:
    """The rules within a 申请登记 row, and that no 申请编号 comes twice in the file."""

    def __init__(self, data, problems):
        self.data = data
        self.problems = problems
        self.numbers = {}  # 申请编号 -> its excel row, for the whole file

    def check(self, row_number, values, failed):
        data, title = self.data, self.data.spec.title
        number = data.get(values, "number")
        if number and "number" not in failed:
            if number in self.numbers:
                self.problems.error(
                    f"申请编号“{number}”与第{self.numbers[number]}行重复；同一机关的申请编号不能重复。",
                    title,
                    row_number,
                    data.where("number"),
                )
            else:
                self.numbers[number] = row_number
        received = data.get(values, "received_on")
        answered = data.get(values, "answered_on")
        if not failed & {"answered_on", "outcome"}:
            report_violations(
                self.problems,
                data,
                row_number,
                rules.outcome_iff_answered(answered, data.get(values, "outcome")),
            )
        report_violations(
            self.problems,
            data,
            row_number,
            rules.answered_not_before_received(received, answered),
            rules.correction_not_before_received(
                received, data.get(values, "correction_received_on")
            ),
        )
        self.check_opinion(row_number, values, failed)

    def check_opinion(self, row_number, values, failed):
        data, title = self.data, self.data.spec.title
        requested = data.get(values, "opinion_requested_on")
        replied = data.get(values, "opinion_received_on")
        if not failed & {"opinion_requested_on", "opinion_received_on"}:
            if requested and not replied:
                self.problems.error(
                    "填写了征求意见日期，必须同时填写第三方答复日期（两个日期要么都填，要么都不填）。",
                    title,
                    row_number,
                    data.where("opinion_received_on"),
                )
            if replied and not requested:
                self.problems.error(
                    "填写了第三方答复日期，必须同时填写征求意见日期（两个日期要么都填，要么都不填）。",
                    title,
                    row_number,
                    data.where("opinion_requested_on"),
                )
        if requested and replied and replied < requested:
            self.problems.error(
                f"第三方答复日期（{replied:%Y-%m-%d}）早于征求意见日期（{requested:%Y-%m-%d}），请核对。",
                title,
                row_number,
                data.where("opinion_received_on"),
            )


class CaseChecks:
    """The rules within a review or lawsuit row, duplicates, and that its application exists."""

    def __init__(self, data, problems):
        self.data = data
        self.problems = problems
        self.seen = {}  # (申请编号, filing date) -> excel row

    def check(self, row_number, values, failed, known, reviewed=None):
        """known: the batch's numbers that have an application; reviewed: those with a review
        (lawsuits only)."""
        data, title = self.data, self.data.spec.title
        number, filed = data.get(values, "number"), data.get(values, "filed_on")
        if number and number not in known:
            self.problems.error(
                f"申请编号“{number}”在“申请登记”工作表和本机关已有的台账中都找不到，请先登记这件申请。",
                title,
                row_number,
                data.where("number"),
            )
        if number and filed:
            key = (number, filed)
            if key in self.seen:
                self.problems.error(
                    f"与第{self.seen[key]}行是同一件申请、同一天的{title}，重复了。",
                    title,
                    row_number,
                    data.where("filed_on"),
                )
            else:
                self.seen[key] = row_number
        result, concluded = data.get(values, "result"), data.get(values, "concluded_on")
        if not failed & {"result", "concluded_on"}:
            report_violations(
                self.problems, data, row_number, rules.result_iff_concluded(concluded, result)
            )
        report_violations(
            self.problems, data, row_number, rules.concluded_not_before_filed(filed, concluded)
        )
        if reviewed is not None and number:
            report_violations(
                self.problems,
                data,
                row_number,
                rules.lawsuit_after_review_needs_review(
                    bool(data.get(values, "after_review")), number in reviewed
                ),
            )


def stored_numbers(organization, numbers):
    """Which of these 申请编号 the office already has (one query)."""
    if not numbers:
        return set()
    return set(
        Application.objects.filter(organization=organization, number__in=numbers).values_list(
            "number", flat=True
        )
    )


def stored_reviewed_numbers(organization, numbers):
    """Which of these 申请编号 already have a review (one query)."""
    if not numbers:
        return set()
    return set(
        AdministrativeReview.objects.filter(
            application__organization=organization, application__number__in=numbers
        ).values_list("application__number", flat=True)
    )


# Writing --------------------------------------------------------------------------------


@dataclass
class ApplicationChanges:
    """What one batch of 申请登记 rows changes."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    redated: list = field(default_factory=list)  # only the deadline moved (a clock stop changed)
    new_stops: list = field(default_factory=list)
    changed_stops: list = field(default_factory=list)


class Writer:
    """Matches each batch with the stored records and writes the differences (or only counts them)."""

    def __init__(self, organization, user, report, apply):
        self.organization = organization
        self.user = user
        self.report = report
        self.apply = apply
        self.calendar = WorkdayCalendar()
        self.deadlines = {}
        self.now = timezone.now()
        self.history = {"user": user, "reason": CHANGE_REASON, "date": self.now}

    def set_deadline(self, application, stops):
        """As Application.set_deadline with this import's calendar; the same facts, one computation."""
        key = (
            application.received_on,
            application.correction_received_on,
            bool(application.extended),
            tuple((stop.kind, stop.started_on, stop.ended_on) for stop in stops),
        )
        found = self.deadlines.get(key)
        if found is None:
            deadline = compute_deadline(
                application.received_on,
                application.correction_received_on,
                application.extended,
                stops,
                self.calendar,
            )
            found = (deadline.due_on, deadline.is_provisional)
            if len(self.deadlines) < REMEMBERED_DEADLINES:
                self.deadlines[key] = found
        application.due_on, application.due_is_provisional = found

    def applications(self, data, rows):
        fields = [key for key in APPLICATION_FIELDS if data.has(key)]
        numbers = [data.get(values, "number") for _, values, _ in rows]
        stored = {
            application.number: application
            for application in Application.objects.filter(
                organization=self.organization, number__in=numbers
            ).prefetch_related("clock_stops")
        }
        changes = ApplicationChanges()
        for _, values, _ in rows:
            application = stored.get(data.get(values, "number"))
            if application is None:
                changes.created.append(self.new_application(data, values, fields, changes))
            else:
                self.compare_application(application, data, values, fields, changes)
        self.report.applications.created += len(changes.created)
        if self.apply:
            self.write_applications(changes)

    def opinion(self, data, values):
        """(征求意见日期, 第三方答复日期) when the row has a finished opinion stop, else None."""
        if not (data.has("opinion_requested_on") and data.has("opinion_received_on")):
            return None
        requested = data.get(values, "opinion_requested_on")
        return (requested, data.get(values, "opinion_received_on")) if requested else None

    def new_application(self, data, values, fields, changes):
        user_id = self.user.pk if self.user else None
        application = Application(
            organization_id=self.organization.pk,
            number=data.get(values, "number"),
            created_by_id=user_id,
            updated_by_id=user_id,
            **{key: stored_value(key, data.get(values, key)) for key in fields},
        )
        stops = []
        opinion = self.opinion(data, values)
        if opinion:
            stops.append(
                ClockStop(
                    application=application,
                    kind=OPINION_KIND,
                    started_on=opinion[0],
                    ended_on=opinion[1],
                )
            )
            changes.new_stops.extend(stops)
        self.set_deadline(application, stops)
        return application

    def compare_application(self, application, data, values, fields, changes):
        changed = [
            key
            for key in fields
            if not data.kinds[key].same(
                getattr(application, key), stored_value(key, data.get(values, key))
            )
        ]
        for key in changed:
            setattr(application, key, stored_value(key, data.get(values, key)))
        stops = list(application.clock_stops.all())
        stop_changed = self.compare_opinion(application, stops, data, values, changes)
        if not changed and not stop_changed:
            self.report.applications.unchanged += 1
            return
        self.report.applications.updated += 1
        before = (application.due_on, application.due_is_provisional)
        self.set_deadline(application, stops)
        if changed:
            application.updated_by = self.user
            application.updated_at = self.now
            changes.updated.append(application)
        elif before != (application.due_on, application.due_is_provisional):
            changes.redated.append(application)

    def compare_opinion(self, application, stops, data, values, changes):
        """Add or move the ledger's opinion stop to the row's dates; whether it changed."""
        opinion = self.opinion(data, values)
        if not opinion:
            return False
        stop = ledger_clock_stop(stops)
        if stop is None:
            stop = ClockStop(
                application=application,
                kind=OPINION_KIND,
                started_on=opinion[0],
                ended_on=opinion[1],
            )
            stops.append(stop)
            changes.new_stops.append(stop)
            return True
        if (stop.started_on, stop.ended_on) != opinion:
            stop.started_on, stop.ended_on = opinion
            changes.changed_stops.append(stop)
            return True
        return False

    def write_applications(self, changes):
        create_with_history(changes.created, Application, **self.history)
        update_with_history(
            changes.updated,
            Application,
            [*APPLICATION_FIELDS, "due_on", "due_is_provisional", "updated_by", "updated_at"],
            **self.history,
        )
        if changes.redated:
            Application.objects.bulk_update(
                changes.redated, ["due_on", "due_is_provisional"], batch_size=BATCH_SIZE
            )
        for stop in changes.new_stops:
            stop.application_id = stop.application.pk
        create_with_history(changes.new_stops, ClockStop, **self.history)
        update_with_history(
            changes.changed_stops, ClockStop, ["started_on", "ended_on"], **self.history
        )

    def cases(self, data, rows, model, fields, counts):
        fields = [key for key in fields if data.has(key)]
        applications = dict(
            Application.objects.filter(
                organization=self.organization,
                number__in={data.get(values, "number") for _, values, _ in rows},
            ).values_list("number", "pk")
        )
        stored = {}
        for case in model.objects.filter(application_id__in=applications.values()).order_by("pk"):
            stored.setdefault((case.application_id, case.filed_on), case)
        created, updated = [], []
        for _, values, _ in rows:
            application_id = applications.get(data.get(values, "number"))
            filed_on = data.get(values, "filed_on")
            case = stored.get((application_id, filed_on)) if application_id else None
            if case is None:
                case = model(
                    application_id=application_id,
                    organization_id=self.organization.pk,
                    filed_on=filed_on,
                )
                for key in fields:
                    setattr(case, key, stored_value(key, data.get(values, key)))
                created.append(case)
                continue
            changed = [
                key
                for key in fields
                if not data.kinds[key].same(
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
            create_with_history(created, model, **self.history)
            update_with_history(updated, model, fields, **self.history)


# The import --------------------------------------------------------------------------------


class RolledBack(Exception):
    """A problem was found after rows were written: undo the transaction."""


class LedgerImport:
    """One import: the sheets read in order, a batch at a time, checked and (while clean) written."""

    def __init__(self, workbook, organization, user, report, apply, progress):
        self.workbook = workbook
        self.organization = organization
        self.report = report
        self.apply = apply
        self.progress = progress
        self.problems = Problems()
        self.writer = Writer(organization, user, report, apply)
        self.applications = None  # SheetData of 申请登记, once read
        self.checks = {}  # sheet title -> its ApplicationChecks / CaseChecks
        self.reviewed = set()  # 申请编号 with a review in the file
        # The one transaction, opened at the first write and closed by import_ledger.
        self.transaction = contextlib.ExitStack()
        self.writing = False

    @property
    def clean(self):
        return not self.report.errors and not self.problems

    def run(self):
        titles = {compact(title): title for title in self.workbook.sheetnames}
        for spec in SHEETS:
            title = titles.pop(compact(spec.title), None)
            if title is None:
                if spec.required:
                    self.report.error(
                        f"找不到工作表“{spec.title}”。本工作簿中的工作表是：{'、'.join(self.workbook.sheetnames)}。"
                        f"请把申请台账所在的工作表改名为“{spec.title}”。"
                    )
                continue
            self.read_sheet(spec, title)
        for title in titles.values():
            if title != OPTIONS_SHEET:
                self.report.warn(f"工作表“{title}”不是台账的工作表，已忽略。")
        if self.applications is not None and not self.applications.count:
            self.report.error(NO_ROWS, APPLICATION_SHEET.title)
        if self.report.errors:
            return  # the problems of the cells come alone
        self.report.errors.extend(self.problems)

    def read_sheet(self, spec, title):
        rows = self.workbook.rows(title)
        first = next(rows, None)
        data = read_header(first[1] if first else None, spec, self.report)
        if data is None:
            return
        if spec is APPLICATION_SHEET:
            self.applications = data
            self.checks[spec.title] = ApplicationChecks(data, self.problems)
        else:
            self.checks[spec.title] = CaseChecks(data, self.problems)
        total = max(self.workbook.extent(title).rows - 1, 0)
        if self.progress:
            counts = {"total": total, "read": 0} if spec is APPLICATION_SHEET else {}
            self.progress(f"正在读取工作表“{spec.title}”", force=True, **counts)
        for batch in batches(parse_rows(rows, data, self.report)):
            if not self.report.errors:  # once a cell is wrong, only the cells are read
                self.take(data, batch)
            self.show_progress(data, total)
        self.show_progress(data, data.count, force=True)

    def take(self, data, rows):
        """Check a batch of rows and, while the whole file so far is clean, write it."""
        spec = data.spec
        if spec is APPLICATION_SHEET:
            checks = self.checks[spec.title]
            for row in rows:
                checks.check(*row)
        else:
            self.check_cases(data, rows)
        if not self.clean:
            return
        self.begin_writing()
        if spec is APPLICATION_SHEET:
            self.writer.applications(data, rows)
        elif spec is REVIEW_SHEET:
            self.writer.cases(data, rows, AdministrativeReview, REVIEW_FIELDS, self.report.reviews)
        else:
            self.writer.cases(data, rows, Lawsuit, LAWSUIT_FIELDS, self.report.lawsuits)

    def check_cases(self, data, rows):
        """A batch of 行政复议 or 行政诉讼 rows: which numbers exist (and have a review) first."""
        numbers = {data.get(values, "number") for _, values, _ in rows} - {None}
        in_file = self.checks[APPLICATION_SHEET.title].numbers if self.applications else {}
        known = {number for number in numbers if number in in_file}
        known |= stored_numbers(self.organization, numbers - known)
        checks = self.checks[data.spec.title]
        if data.spec is REVIEW_SHEET:
            for row in rows:
                checks.check(*row, known)
            self.reviewed.update(
                data.get(values, "number") for _, values, failed in rows if not failed
            )
            return
        wanted = {
            data.get(values, "number") for _, values, _ in rows if data.get(values, "after_review")
        }
        reviewed = (wanted & self.reviewed) | stored_reviewed_numbers(
            self.organization, wanted - self.reviewed
        )
        for row in rows:
            checks.check(*row, known, reviewed)

    def begin_writing(self):
        """Open the import's transaction before its first write (not before: on SQLite, the
        job's progress cannot be saved while it is open)."""
        if not self.apply or self.writing:
            return
        if self.progress:
            self.progress("正在核对并写入申请", force=True)
        self.transaction.enter_context(transaction.atomic())
        self.writing = True

    def show_progress(self, data, total, force=False):
        if not self.progress or data.spec is not APPLICATION_SHEET:
            return
        done = data.count
        if not force and done % PROGRESS_EVERY:
            return
        writing = self.apply and self.clean
        counts = {"read": done, "checked": done}
        if writing:
            counts["written"] = done
        self.progress(
            f"已{'写入' if writing else '核对'}申请 {done}/{total} 件",
            force=force,
            total=total,
            **counts,
        )


def import_ledger(source, organization, user=None, apply=True, progress=None, filename=None):
    """Check the workbook and, when apply and there is no error, write it; returns an ImportReport.

    source: a path or a seekable binary file; filename: the name the user gave the file,
    when source is a stored copy. Nothing is written when any error is found.
    """
    report = ImportReport()
    try:
        workbook = SafeWorkbook(source, LEDGER_LIMITS, filename)
    except UploadRejected as rejected:
        report.error(str(rejected))
        return report
    run = LedgerImport(workbook, organization, user, report, apply, progress)
    try:
        with run.transaction:
            run.run()
            if report.errors:
                raise RolledBack
    except RolledBack:
        pass
    except UploadRejected as rejected:  # a row that cannot be read
        report.error(str(rejected))
    except (IntegrityError, DatabaseError) as error:
        logger.warning("ledger import rolled back: %s", error)
        rule_message = rules.message_for_database_error(error)
        report.error(
            f"写入数据库时出错，已全部撤销，没有导入任何数据：{rule_message}"
            if rule_message
            else f"写入数据库时出错，已全部撤销，没有导入任何数据。请把这条信息告诉系统管理员：{error}"
        )
    finally:
        workbook.close()
    if report.errors:
        report.applications, report.reviews, report.lawsuits = Counts(), Counts(), Counts()
    report.applied = apply and report.ok
    return report
