"""The ledger workbook (台账工作簿): its sheets, columns and accepted values, defined once.

Import (ledger_import), export and the blank template (ledger_export) all use these
definitions, so a file gongkai writes is always a file gongkai reads.

- Row 1 holds the headers; column order is free; unknown columns are ignored with a warning.
- Sheets: 申请登记 (required), 行政复议 and 行政诉讼 (optional).
- Dates: real Excel dates, or text 2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日.
- 办理结果: the outcome code (1, 2, 3.1 … 6.3, as text or as an Excel number), the label
  without its numbering (属于国家秘密, 部分公开 or its full label, 其他 for 6.3 …), or both
  (“3.1 属于国家秘密”, which is what export and the template's drop-down use).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, TIME_FORMATS
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from lib.dates import NoSuchDay, NotADate, parse_date_text
from lib.labels import label_key

from .choices import (
    ApplicantType,
    CaseResult,
    Channel,
    ClockStopKind,
    Outcome,
    outcome_full_label,
    outcome_row_label,
)
from .masking import mask_id_number, mask_phone
from .xlsx import FORMULA_PREFIXES, write_text

SHEET_APPLICATIONS = "申请登记"
SHEET_REVIEWS = "行政复议"
SHEET_LAWSUITS = "行政诉讼"
# The hidden sheet of the blank template that holds the drop-down lists.
OPTIONS_SHEET = "选项"

DATE_FORMAT = "yyyy-mm-dd"
# openpyxl gives a plain date this format by itself: a row can carry the date as it is.
DATES_FORMATTED = TIME_FORMATS[datetime.date] == DATE_FORMAT
YES, NO = "是", "否"
OPEN_CASE = "尚未审结"
# The clock stop the two opinion columns stand for.
OPINION_KIND = ClockStopKind.THIRD_PARTY_OPINION


class CellError(ValueError):
    """A value the ledger does not accept; the message says what to write instead."""


@dataclass(frozen=True)
class Problem:
    """An error or warning about an uploaded ledger, with its place in the workbook."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    letter: str = ""

    @property
    def place(self):
        parts = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"{self.letter}列“{self.column}”" if self.letter else f"“{self.column}”列")
        return "".join(parts)

    def __str__(self):
        return f"{self.place}：{self.message}" if self.place else self.message


# Cell values ------------------------------------------------------------------------


def is_blank(raw):
    return raw is None or (isinstance(raw, str) and not raw.strip())


def normalize_text(value):
    """Text as it survives a trip through Excel: trimmed, line breaks as \\n."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def number_as_text(raw):
    """An Excel number as the text a person typed: 3.1 -> '3.1', 1.0 -> '1', 20210001 -> '20210001'."""
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (datetime.datetime, datetime.date)):
        return raw.strftime("%Y-%m-%d")
    return str(raw)


def compact(text):
    """A key for matching labels: lib.labels.label_key, the one normaliser."""
    return label_key(text)


def text_cell(ws, text):
    """Text for a row of `ws`: the text itself, which openpyxl stores as a plain string, or a
    cell made by write_text when openpyxl would read it as a formula or an error value."""
    if text.startswith(FORMULA_PREFIXES) or text in ERROR_CODES:
        return write_text(WriteOnlyCell(ws), text)
    return text


class Text:
    """Free text typed by a person."""

    choices = ()

    def __init__(self, max_length=None):
        self.max_length = max_length

    def parse(self, raw):
        text = normalize_text(number_as_text(raw))
        if self.max_length and len(text) > self.max_length:
            raise CellError(
                f"内容有{len(text)}个字，超过了{self.max_length}个字的上限，请精简后再导入。"
            )
        return text

    def write(self, ws, value):
        if value is None or value == "":
            return None
        # Written as an import reads it back (\n line breaks), whichever XML writer openpyxl uses.
        return text_cell(ws, ILLEGAL_CHARACTERS_RE.sub("", normalize_text(value)))

    def same(self, stored, parsed):
        return normalize_text(stored) == normalize_text(parsed)


class PersonalText(Text):
    """An ID number or phone: an export without the permission carries it masked.

    Re-importing such a file must not overwrite the real number with its mask, so the
    mask of the stored value counts as "the same".
    """

    def __init__(self, mask, max_length=None):
        super().__init__(max_length)
        self.mask = mask

    def same(self, stored, parsed):
        return super().same(stored, parsed) or (
            bool(stored) and "*" in (parsed or "") and self.mask(stored) == parsed
        )


DATE_HINT = "请填写如 2021-03-05、2021/3/5、2021.3.5 或 2021年3月5日，或者使用Excel的日期格式。"


class Date:
    choices = ()

    def parse(self, raw):
        if isinstance(raw, datetime.datetime):
            day = raw.date()
        elif isinstance(raw, datetime.date):
            day = raw
        elif isinstance(raw, (int, float)):
            raise CellError(f"“{number_as_text(raw)}”是数字，不是日期。{DATE_HINT}")
        else:
            text = str(raw).strip()
            try:
                day = parse_date_text(text)
            except NotADate:
                raise CellError(f"“{text}”不是日期。{DATE_HINT}") from None
            except NoSuchDay:
                raise CellError(f"“{text}”不是有效的日期（该月没有这一天）。{DATE_HINT}") from None
        if not 1990 <= day.year <= 2100:
            raise CellError(f"“{day:%Y-%m-%d}”的年份不对，请核对。")
        return day

    def write(self, ws, value):
        if value is None or (type(value) is datetime.date and DATES_FORMATTED):
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell

    def same(self, stored, parsed):
        return stored == parsed


class Lookup:
    """A value written as one of a set of names (matched without spaces); stored as a model value.

    names: {name: stored value}; label: stored value -> what export writes (and the
    drop-down offers); blank_names: names that mean "no value" (stored as "").
    """

    def __init__(self, names, label, choices, error, blank_names=()):
        self.by_name = {}
        for name, value in names.items():
            key = compact(name)
            assert self.by_name.get(key, value) == value, f"ambiguous name {name}"
            self.by_name[key] = value
        self.label = label
        self.labels = {}  # stored value -> its label, as written
        self.choices = tuple(choices)
        self.error = error
        self.blank_names = {compact(name) for name in blank_names}

    def parse(self, raw):
        text = normalize_text(number_as_text(raw))
        if compact(text) in self.blank_names:
            return ""
        try:
            return self.by_name[compact(text)]
        except KeyError:
            raise CellError(self.error.format(text=text)) from None

    def write(self, ws, value):
        if not value:
            return None
        label = self.labels.get(value)
        if label is None:
            label = self.labels[value] = self.label(value)
        return text_cell(ws, label)

    def same(self, stored, parsed):
        return (stored or "") == (parsed or "")


def choice_lookup(choices, what):
    """One of a TextChoices' labels."""
    return Lookup(
        {label: value for value, label in choices.choices},
        lambda value: choices(value).label,
        choices.labels,
        f"“{{text}}”不是可选的{what}，请填写：{'、'.join(choices.labels)}。",
    )


def outcome_ledger_label(code):
    """How export and the drop-down write an outcome: '3.1 属于国家秘密'."""
    return f"{code} {Outcome(code).label}"


def outcome_names(outcome):
    """Every way of writing an outcome the ledger accepts."""
    code, label = outcome.value, outcome.label
    short = re.sub(r"（.*）$", "", label)
    names = {code, label, short, outcome_row_label(code), outcome_full_label(code)}
    names |= {f"{code}{label}", f"{code}{short}", f"{code}.{label}", f"{code}.{short}"}
    return names


def outcome_lookup():
    return Lookup(
        {name: outcome.value for outcome in Outcome for name in outcome_names(outcome)},
        outcome_ledger_label,
        [outcome_ledger_label(outcome.value) for outcome in Outcome],
        "“{text}”不是有效的办理结果，请填写结果代码（如 1、3.1、6.3）或结果名称（如 予以公开、属于国家秘密、其他）。",
    )


def case_result_lookup():
    """维持 / 纠正 / 其他, also written 结果维持 / 结果纠正 / 结果其他 / 其他结果; blank or 尚未审结 = open."""
    names = {result.label: result.value for result in CaseResult}
    names |= {f"结果{result.label}": result.value for result in CaseResult}
    names["其他结果"] = CaseResult.OTHER.value
    return Lookup(
        names,
        lambda value: CaseResult(value).label,
        CaseResult.labels,
        "“{text}”不是可选的结果，请填写：维持、纠正、其他（也可写作 结果维持、结果纠正、其他结果）；尚未审结的留空。",
        blank_names=[OPEN_CASE],
    )


class YesNo:
    choices = (YES, NO)

    def parse(self, raw):
        if isinstance(raw, bool):
            return raw
        text = normalize_text(number_as_text(raw))
        if text == YES:
            return True
        if text == NO:
            return False
        raise CellError(f"“{text}”无法识别，只能填写“是”或“否”（留空表示否）。")

    def write(self, ws, value):
        return YES if value else NO

    def same(self, stored, parsed):
        return bool(stored) == bool(parsed)


class Money:
    """An amount in 元 with at most two decimals; stored as Decimal."""

    choices = ()

    def __init__(self, max_digits=10):
        self.max_digits = max_digits

    def parse(self, raw):
        text = normalize_text(number_as_text(raw)).removesuffix("元").replace(",", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(
                f"“{text}”不是金额，请填写数字，如 100 或 12.50（单位：元）。"
            ) from None
        if not amount.is_finite() or amount < 0:
            raise CellError(f"“{text}”不是有效的金额，金额不能是负数。")
        try:
            cents = amount.quantize(Decimal("0.01"))
        except InvalidOperation:
            raise CellError(f"“{text}”金额过大，请核对。") from None
        if cents != amount:
            raise CellError(f"“{text}”的小数超过两位，请精确到分。")
        if len(cents.as_tuple().digits) > self.max_digits:
            raise CellError(f"“{text}”金额过大，请核对。")
        return cents

    def write(self, ws, value):
        cell = WriteOnlyCell(ws, value=value)
        if value is not None:
            cell.number_format = "0.00"
        return cell

    def same(self, stored, parsed):
        return stored == parsed


# The contract -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: object
    required: bool = False
    computed: bool = False
    width: int = 14
    sample: object = None

    def parse(self, raw):
        return self.kind.parse(raw)

    def write(self, ws, value):
        return self.kind.write(ws, value)


@dataclass(frozen=True)
class SheetSpec:
    title: str
    columns: tuple
    required: bool = False

    @property
    def by_header(self):
        return {compact(column.header): column for column in self.columns}

    @property
    def required_columns(self):
        return [column for column in self.columns if column.required]

    def column(self, key):
        return next(column for column in self.columns if column.key == key)


SAMPLE_NUMBER = "示例街道〔2021〕1号"

APPLICATION_SHEET = SheetSpec(
    SHEET_APPLICATIONS,
    (
        Column("申请编号", "number", Text(60), required=True, width=22, sample=SAMPLE_NUMBER),
        Column(
            "收到日期",
            "received_on",
            Date(),
            required=True,
            width=12,
            sample=datetime.date(2021, 9, 28),
        ),
        Column(
            "申请人类型",
            "applicant_type",
            choice_lookup(ApplicantType, "申请人类型"),
            required=True,
            width=14,
            sample=ApplicantType.NATURAL_PERSON,
        ),
        Column("申请人", "applicant_name", Text(200), required=True, width=14, sample="张三"),
        Column(
            "申请内容",
            "content",
            Text(),
            required=True,
            width=40,
            sample="申请公开2021年辖区老旧小区改造项目清单",
        ),
        Column("答复日期", "answered_on", Date(), width=12, sample=datetime.date(2021, 10, 26)),
        Column("办理结果", "outcome", outcome_lookup(), width=26, sample=Outcome.DISCLOSED),
        Column("补正收到日期", "correction_received_on", Date(), width=14),
        Column("延期答复", "extended", YesNo(), width=10, sample=False),
        Column("征求意见日期", "opinion_requested_on", Date(), width=14),
        Column("第三方答复日期", "opinion_received_on", Date(), width=14),
        Column(
            "申请方式",
            "channel",
            choice_lookup(Channel, "申请方式"),
            width=10,
            sample=Channel.IN_PERSON,
        ),
        Column("证件号码", "applicant_id_number", PersonalText(mask_id_number, 40), width=20),
        Column("联系电话", "applicant_phone", PersonalText(mask_phone, 40), width=14),
        Column("联系地址", "applicant_address", Text(300), width=24),
        Column("信息处理费（元）", "fee_yuan", Money(), width=12),
        Column("备注", "notes", Text(), width=20, sample="（示例行，导入前请删除）"),
        # Computed by gongkai: written by export, ignored by import.
        Column("答复期限", "due_on", Date(), computed=True, width=12),
        Column("办理状态", "status", Text(), computed=True, width=12),
    ),
    required=True,
)

REVIEW_SHEET = SheetSpec(
    SHEET_REVIEWS,
    (
        Column("申请编号", "number", Text(60), required=True, width=22, sample=SAMPLE_NUMBER),
        Column(
            "复议申请日期",
            "filed_on",
            Date(),
            required=True,
            width=14,
            sample=datetime.date(2021, 11, 15),
        ),
        Column("复议结果", "result", case_result_lookup(), width=10, sample="upheld"),
        Column("结案日期", "concluded_on", Date(), width=12, sample=datetime.date(2022, 1, 10)),
        Column("复议机关", "review_body", Text(100), width=20),
        Column("备注", "notes", Text(), width=20),
    ),
)

LAWSUIT_SHEET = SheetSpec(
    SHEET_LAWSUITS,
    (
        Column("申请编号", "number", Text(60), required=True, width=22, sample=SAMPLE_NUMBER),
        Column(
            "起诉日期",
            "filed_on",
            Date(),
            required=True,
            width=12,
            sample=datetime.date(2022, 2, 8),
        ),
        Column("是否经复议", "after_review", YesNo(), width=10, sample=True),
        Column("诉讼结果", "result", case_result_lookup(), width=10),
        Column("结案日期", "concluded_on", Date(), width=12),
        Column("受理法院", "court", Text(100), width=20),
        Column("备注", "notes", Text(), width=20),
    ),
)

SHEETS = (APPLICATION_SHEET, REVIEW_SHEET, LAWSUIT_SHEET)

# Application fields written straight from a column of the same key.
APPLICATION_FIELDS = (
    "received_on",
    "applicant_type",
    "applicant_name",
    "content",
    "answered_on",
    "outcome",
    "correction_received_on",
    "extended",
    "channel",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "fee_yuan",
    "notes",
)
REVIEW_FIELDS = ("result", "concluded_on", "review_body", "notes")
LAWSUIT_FIELDS = ("after_review", "result", "concluded_on", "court", "notes")


def ledger_clock_stop(clock_stops):
    """The clock stop the columns 征求意见日期/第三方答复日期 stand for.

    The first finished third-party-opinion stop; others (still running, or of another
    kind) are kept on the application page only and never touched by an import.
    """
    finished = [
        stop for stop in clock_stops if stop.kind == OPINION_KIND and stop.ended_on is not None
    ]
    return min(finished, key=lambda stop: (stop.started_on, stop.pk or 0), default=None)


# Writing ----------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def add_sheet(workbook, spec, computed=True):
    """A sheet with the spec's header row and column widths (normal or write-only workbook).

    computed=False leaves out the columns gongkai computes (for the blank template).
    """
    ws = workbook.create_sheet(spec.title)
    columns = [column for column in spec.columns if computed or not column.computed]
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws)
        write_text(cell, column.header)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
    return ws


def append_row(ws, spec, values, computed=True):
    ws.append(
        [
            column.write(ws, values.get(column.key))
            for column in spec.columns
            if computed or not column.computed
        ]
    )
