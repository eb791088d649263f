"""Intake of an annual report workbook from an office that does not use gongkai (报送).

A district official uploads the workbook an office sent: gongkai's own export, or one
filled in by hand with the labels of the official format, tables anywhere in any sheet.
gongkai finds tables 二, 三 and 四 by their LABELS (never by fixed cells), reads the
figures next to them, runs the same checks as for a report from the ledger
(reports.checks.check_report) and names the exact cells (表三!D6) of any figure that
does not add up. Nothing is stored until the upload reads cleanly; it is counted in the
district's rollup only once accepted.

How labels are compared: Unicode NFKC (full-width and half-width brackets, commas and
digits are the same), without spaces, line breaks or quotation marks, and "1、" or "1．"
read as "1.". A numbered item may also be written without its number ("属于国家秘密").

The 2019 format had a single row （六）其他处理 where the 2021 format has three items
1.逾期不补正 / 2.逾期未缴费 / 3.其他. A workbook with that single row and none of the
three items is accepted: its figures are read as 3.其他 (6.3), with 6.1 and 6.2 at 0,
and the preview says so. A workbook with some but not all of the three items is refused.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from applications.choices import OUTCOME_GROUPS, Outcome, outcome_row_label
from applications.models import Organization

from .. import checks as report_checks
from ..models import SubmittedReport
from ..settled import settled_reports
from ..tables import (
    FEE_PLACES,
    TABLE_FOUR_GROUPS,
    TABLE_FOUR_RESULT_COLUMNS,
    TABLE_THREE_COLUMNS,
    TABLE_THREE_ROWS,
    TABLE_TWO_BLOCKS,
    AnnualReport,
    FeeSummary,
    TableFour,
    TableThree,
    TableTwo,
    table_three,
    table_two,
)

# --- Upload safety -----------------------------------------------------------------------
# A report workbook is a few dozen kilobytes. These bounds are checked on the zip's
# directory before anything is decompressed or parsed. (The ledger import has its own
# guard in applications/uploads.py; the two can become one at merge.)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 300
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 256 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx


def _megabytes(size):
    return f"{size / 1024 / 1024:g} MB"


def guard_upload(uploaded):
    """The upload's bytes if it is a plain .xlsx workbook within the size bounds, else
    ValidationError in words a civil servant can act on. Nothing is decompressed here: the
    sizes come from the zip's directory, which zipfile then enforces while reading."""
    name = uploaded.name or ""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(
            f"文件“{name}”不是 .xlsx 工作簿。请在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx）后再上传。"
        )
    if uploaded.size is not None and uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"文件太大（{_megabytes(uploaded.size)}），年度报告工作簿不应超过{_megabytes(MAX_UPLOAD_BYTES)}。请删除无关的工作表或图片后再上传。"
        )
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"文件太大，年度报告工作簿不应超过{_megabytes(MAX_UPLOAD_BYTES)}。请删除无关的工作表或图片后再上传。"
        )
    if data.startswith(OLE_SIGNATURE):
        raise ValidationError(
            "这是旧版 .xls 文件或设置了打开密码的工作簿，无法读取。请取消密码，并“另存为” Excel 工作簿（*.xlsx）后再上传。"
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationError(
            "文件已损坏或不是 Excel 工作簿（*.xlsx），无法读取。请用 Excel 或 WPS 打开确认后重新保存再上传。"
        ) from None
    names = {member.filename for member in members}
    if len(members) > MAX_ENTRIES:
        raise ValidationError("工作簿内部文件过多，不像是年度报告工作簿，已拒绝读取。")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ValidationError("文件不是 Excel 工作簿（*.xlsx）。请“另存为” Excel 工作簿后再上传。")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(
            "工作簿中含有宏，已拒绝读取。请“另存为”不含宏的 Excel 工作簿（*.xlsx）后再上传。"
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise ValidationError("工作簿经过加密，无法读取。请取消密码后再上传。")
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise ValidationError("工作簿解压后过大，不像是年度报告工作簿，已拒绝读取。")
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ValidationError("工作簿的压缩比异常，不像是年度报告工作簿，已拒绝读取。")
    return data


# --- Finding labels ----------------------------------------------------------------------

QUOTES = str.maketrans("", "", "“”„‟\"'‘’「」")


def normal(text):
    """A label as compared: NFKC, no spaces or quotes, '1、' read as '1.'."""
    text = unicodedata.normalize("NFKC", str(text)).translate(QUOTES)
    text = re.sub(r"\s+", "", text)
    return re.sub(r"^(\d+)[、.]", r"\1.", text)


def unnumbered(text):
    return re.sub(r"^\d+\.", "", text)


def quote_sheet(title):
    """A sheet name as Excel writes it in a reference: quoted if it is not a plain word."""
    if re.fullmatch(r"[\w\u4e00-\u9fff]+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class Place:
    sheet: str
    row: int
    col: int

    @property
    def ref(self):
        return f"{quote_sheet(self.sheet)}!{get_column_letter(self.col)}{self.row}"


class TableNotFound(Exception):
    """A label the reader needs is missing; the message says which and where to look."""


class Workbook:
    """The label cells of every sheet, and the values around them."""

    def __init__(self, data):
        try:
            self.values = load_workbook(BytesIO(data), data_only=True)
        except Exception:  # openpyxl raises many kinds on a damaged file
            raise ValidationError(
                "无法读取这个工作簿（文件可能已损坏）。请用 Excel 或 WPS 打开确认后重新保存再上传。"
            ) from None
        self._data = data
        self._formulas = None
        self.labels = {}  # normal(text) -> [Place]
        for sheet in self.values.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.strip():
                        self.labels.setdefault(normal(cell.value), []).append(
                            Place(sheet.title, cell.row, cell.column)
                        )

    def texts(self):
        return [(text, places) for text, places in self.labels.items()]

    def value(self, place):
        return self.values[place.sheet].cell(place.row, place.col).value

    def is_formula(self, place):
        if self._formulas is None:
            self._formulas = load_workbook(BytesIO(self._data), data_only=False)
        value = self._formulas[place.sheet].cell(place.row, place.col).value
        return isinstance(value, str) and value.startswith("=")

    def find(self, forms, sheet=None, rows=None, cols=None, match=None):
        """Places of cells whose label is one of `forms` (or satisfies `match`), in reading order."""
        found = []
        for text, places in self.labels.items():
            if not (text in forms or (match is not None and match(text))):
                continue
            for place in places:
                if sheet is not None and place.sheet != sheet:
                    continue
                if rows is not None and not rows[0] <= place.row <= rows[1]:
                    continue
                if cols is not None and not cols[0] <= place.col <= cols[1]:
                    continue
                found.append(place)
        return sorted(found, key=lambda place: (place.row, place.col))

    def only(self, forms, what):
        """The one place in the workbook with this label, or TableNotFound."""
        places = self.find(forms)
        if not places:
            raise TableNotFound(what)
        sheets = {place.sheet for place in places}
        if len(places) > 1:
            where = "、".join(place.ref for place in places)
            raise TableNotFound(
                f"工作簿中有{len(places)}处“{next(iter(forms))}”（{where}）{'，分布在多个工作表中' if len(sheets) > 1 else ''}。一个工作簿只能有一份年度报告，请只保留该机关的一份后再上传。"
            )
        return places[0]


# --- Reading the tables ------------------------------------------------------------------


def _forms(label, numbered=True):
    text = normal(label)
    forms = {text}
    if numbered:
        forms.add(unnumbered(text))
    forms.add(re.sub(r"^[一二三四五六七八九十]+、", "", text))
    return forms


def row_forms(row):
    """The spellings accepted for a row of table 三."""
    forms = _forms(row.label)
    if "(" in row.label or "（" in row.label:
        short = normal(row.label).split("(区分")[0]
        forms.add(short)
    return forms


SIX = next(group for group in OUTCOME_GROUPS if group.code == "6")
SIX_CODES = tuple(outcome.value for outcome in SIX.outcomes)
THREE_HEADER_ROWS = 8  # how far above 一、本年新收 the column headers may be
THREE_BODY_ROWS = 80


@dataclass
class Reading:
    """What was read from a workbook: the figures, where each came from, and any problems."""

    report: AnnualReport = None
    cells: dict = field(default_factory=dict)  # (table, row code, column code) -> Place
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    legacy_six: bool = False

    def ref(self, key):
        place = self.cells.get(tuple(key))
        return place.ref if place else ""


class Reader:
    def __init__(self, workbook, reading):
        self.book = workbook
        self.reading = reading

    def number(self, key, place, label, money=False):
        """The figure in a cell, or an error naming the cell."""
        self.reading.cells[key] = place
        value = self.book.value(place)
        where = f"{place.ref}（{label}）"
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.book.is_formula(place):
                self.reading.errors.append(
                    f"{where}是公式，但工作簿没有保存计算结果。请在 Excel 或 WPS 中打开、保存后再上传，或直接填写数字。"
                )
            else:
                self.reading.errors.append(f"{where}是空白。请填写数字，没有的填 0。")
            return Decimal(0) if money else 0
        if isinstance(value, bool):
            self.reading.errors.append(f"{where}应是数字，填的是“{value}”。")
            return Decimal(0) if money else 0
        text = str(value).strip().replace(",", "") if isinstance(value, str) else value
        try:
            amount = Decimal(str(text))
        except InvalidOperation:
            self.reading.errors.append(f"{where}应是数字，填的是“{value}”。")
            return Decimal(0) if money else 0
        if not amount.is_finite():
            self.reading.errors.append(f"{where}应是数字，填的是“{value}”。")
            return Decimal(0) if money else 0
        if amount < 0:
            self.reading.errors.append(f"{where}不能是负数，填的是 {value}。")
            return Decimal(0) if money else 0
        if money:
            if amount != amount.quantize(FEE_PLACES):
                self.reading.errors.append(
                    f"{where}以万元为单位，最多保留4位小数，填的是 {value}。"
                )
            return amount.quantize(FEE_PLACES)
        if amount != amount.to_integral_value():
            self.reading.errors.append(f"{where}应是整数（件数），填的是 {value}。")
            return 0
        return int(amount)

    # Table 三 --------------------------------------------------------------------------

    def table_three(self):
        first = TABLE_THREE_ROWS[0]
        anchor = self.book.only(
            row_forms(first),
            f"没有找到表三：工作簿中没有“{first.label}”这一行。请确认上传的是年度报告工作簿，并且表三的行名与国家格式一致。",
        )
        sheet = anchor.sheet
        columns = {}
        for column in TABLE_THREE_COLUMNS:
            places = self.book.find(
                {normal(column.label)},
                sheet,
                rows=(max(1, anchor.row - THREE_HEADER_ROWS), anchor.row - 1),
                cols=(anchor.col + 1, 10_000),
            )
            if not places:
                raise TableNotFound(
                    f"表三（工作表“{sheet}”）缺少列“{column.label}”：应在“{first.label}”（{anchor.ref}）上方的表头中。"
                )
            columns[column.code] = max(places, key=lambda place: place.row).col
        if len(set(columns.values())) != len(columns):
            raise TableNotFound(
                f"表三（工作表“{sheet}”）的表头有重复的列名，无法确定各列的位置，请按国家格式填写表头。"
            )
        label_cols = (1, min(columns.values()) - 1)
        body = (anchor.row, anchor.row + THREE_BODY_ROWS)
        rows, missing = {}, []
        for row in TABLE_THREE_ROWS:
            places = self.book.find(row_forms(row), sheet, rows=body, cols=label_cols)
            if places:
                rows[row.code] = places[0]
            elif row.code not in SIX_CODES:
                missing.append(row.label)
        six_found = [code for code in SIX_CODES if code in rows]
        if not six_found:
            legacy = self.book.find(_forms(SIX.label), sheet, rows=body, cols=label_cols)
            if legacy:
                self.reading.legacy_six = True
                self.reading.notes.append(
                    f"表三采用2019年格式的单行“{SIX.label}”（{legacy[0].ref}）：其数字计入“{outcome_row_label(Outcome.OTHER)}”，"
                    f"“{outcome_row_label(Outcome.NO_CORRECTION)}”和“{outcome_row_label(Outcome.FEE_NOT_PAID)}”计为 0。"
                )
            else:
                missing.extend(outcome_row_label(code) for code in SIX_CODES)
        elif len(six_found) < len(SIX_CODES):
            missing.extend(outcome_row_label(code) for code in SIX_CODES if code not in rows)
        if missing:
            raise TableNotFound(
                f"表三（工作表“{sheet}”）缺少以下行：{'；'.join(missing)}。请按国家格式填写行名（2019年格式的单行“{SIX.label}”也可以）。"
            )
        values = {row.code: {} for row in TABLE_THREE_ROWS}
        for row in TABLE_THREE_ROWS:
            if self.reading.legacy_six and row.code in SIX_CODES:
                continue
            for column in TABLE_THREE_COLUMNS:
                place = Place(sheet, rows[row.code].row, columns[column.code])
                values[row.code][column.code] = self.number(
                    ("three", row.code, column.code), place, f"{row.label} · {column.label}"
                )
        if self.reading.legacy_six:
            legacy_row = legacy[0].row
            for column in TABLE_THREE_COLUMNS:
                place = Place(sheet, legacy_row, columns[column.code])
                values[Outcome.OTHER.value][column.code] = self.number(
                    ("three", Outcome.OTHER.value, column.code),
                    place,
                    f"{SIX.label} · {column.label}",
                )
                values[Outcome.NO_CORRECTION.value][column.code] = 0
                values[Outcome.FEE_NOT_PAID.value][column.code] = 0
        return TableThree(values), sheet

    # Table 四 --------------------------------------------------------------------------

    def table_four(self):
        review, direct, after = TABLE_FOUR_GROUPS
        anchor = self.book.only(
            {normal(after.label)},
            f"没有找到表四：工作簿中没有“{after.label}”。请确认表四的表头与国家格式一致（行政复议 / 行政诉讼：未经复议直接起诉、复议后起诉）。",
        )
        sheet = anchor.sheet
        starts = {after.code: anchor.col}
        for group, rows in (
            (direct, (anchor.row, anchor.row)),
            (review, (max(1, anchor.row - 3), anchor.row)),
        ):
            places = self.book.find({normal(group.label)}, sheet, rows=rows)
            if not places:
                raise TableNotFound(
                    f"表四（工作表“{sheet}”）缺少表头“{group.label}”：应在“{after.label}”（{anchor.ref}）的同一行或上方。"
                )
            starts[group.code] = max(places, key=lambda place: place.row).col
        first_label = normal(TABLE_FOUR_RESULT_COLUMNS[0].label)
        header_row = None
        for row in range(anchor.row + 1, anchor.row + 4):
            if len(self.book.find({first_label}, sheet, rows=(row, row))) >= len(TABLE_FOUR_GROUPS):
                header_row = row
                break
        if header_row is None:
            raise TableNotFound(
                f"表四（工作表“{sheet}”）缺少“{TABLE_FOUR_RESULT_COLUMNS[0].label}”等列名：应在“{after.label}”（{anchor.ref}）下方一行，每组各一套。"
            )
        ordered = sorted(starts.items(), key=lambda item: item[1])
        values = {}
        for index, (code, start) in enumerate(ordered):
            end = ordered[index + 1][1] - 1 if index + 1 < len(ordered) else start + 20
            group = next(group for group in TABLE_FOUR_GROUPS if group.code == code)
            values[code] = {}
            for column in TABLE_FOUR_RESULT_COLUMNS:
                places = self.book.find(
                    {normal(column.label)}, sheet, rows=(header_row, header_row), cols=(start, end)
                )
                if not places:
                    raise TableNotFound(
                        f"表四（工作表“{sheet}”）“{group.label}”组缺少列“{column.label}”（第{header_row}行）。"
                    )
                place = Place(sheet, header_row + 1, places[0].col)
                values[code][column.code] = self.number(
                    ("four", code, column.code), place, f"{group.label} · {column.label}"
                )
        return TableFour(values), sheet

    # Table 二 --------------------------------------------------------------------------

    def table_two(self):
        first = TABLE_TWO_BLOCKS[0]
        anchor = self.book.only(
            {normal(first.header)},
            f"没有找到表二：工作簿中没有“{first.header}”。请确认表二的表头与国家格式一致。",
        )
        sheet = anchor.sheet
        values = {}
        for block in TABLE_TWO_BLOCKS:
            headers = self.book.find(
                {normal(block.header)}, sheet, rows=(anchor.row, anchor.row + 40)
            )
            if not headers:
                raise TableNotFound(f"表二（工作表“{sheet}”）缺少“{block.header}”。")
            header = headers[0]
            columns = None
            for row in range(header.row + 1, header.row + 4):
                found = {}
                for column in block.columns:
                    wanted = normal(column.label)
                    # The money column is often written with its own note: 本年收费金额（单位：万元，保留4位小数）.
                    prefix = wanted.split("(")[0] if block.money else None
                    places = self.book.find(
                        {wanted},
                        sheet,
                        rows=(row, row),
                        match=(lambda text, prefix=prefix: text.startswith(prefix))
                        if prefix
                        else None,
                    )
                    if places:
                        found[column.code] = places[0].col
                if len(found) == len(block.columns):
                    columns = (row, found)
                    break
            if columns is None:
                labels = "、".join(f"“{column.label}”" for column in block.columns)
                raise TableNotFound(
                    f"表二（工作表“{sheet}”）“{block.header}”（{header.ref}）下方缺少列名{labels}。"
                )
            head_row, found = columns
            for row in block.rows:
                places = self.book.find(
                    _forms(row.label),
                    sheet,
                    rows=(head_row + 1, head_row + 1 + len(block.rows) + 2),
                    cols=(1, min(found.values()) - 1),
                )
                if not places:
                    raise TableNotFound(
                        f"表二（工作表“{sheet}”）“{block.header}”下缺少“{row.label}”这一行。"
                    )
                values[row.code] = {
                    column.code: self.number(
                        ("two", row.code, column.code),
                        Place(sheet, places[0].row, found[column.code]),
                        f"{row.label} · {column.label}",
                        money=block.money,
                    )
                    for column in block.columns
                }
        return TableTwo(values), sheet

    # Around the tables -----------------------------------------------------------------

    def year_and_fees(self, year):
        years = set()
        fees = None
        for text, _places in self.book.texts():
            for found in re.findall(r"(\d{4})年政府信息公开工作年度报告", text):
                years.add(int(found))
            paid = re.search(
                r"本年度共对(\d+)件政府信息公开申请收取信息处理费,合计([\d.]+)元", text
            )
            if paid:
                fees = FeeSummary(int(paid.group(1)), Decimal(paid.group(2)))
            elif "本年度未收取信息处理费" in text:
                fees = FeeSummary()
        other = sorted(years - {year})
        if other:
            self.reading.errors.append(
                f"工作簿的标题是{'、'.join(str(y) for y in sorted(years))}年度的报告，而您选择的是{year}年度。请核对年度，或上传该年度的工作簿。"
            )
        if fees is None:
            self.reading.notes.append(
                "工作簿中没有信息处理费的说明（“六、其他需要报告的事项”），信息处理费按未收取计。"
            )
            fees = FeeSummary()
        return fees


def read_workbook(data, year):
    """Read tables 二, 三 and 四 of a workbook's bytes by their labels (see the module docstring)."""
    reading = Reading()
    book = Workbook(data)
    reader = Reader(book, reading)
    try:
        two, two_sheet = reader.table_two()
        three, three_sheet = reader.table_three()
        four, four_sheet = reader.table_four()
    except TableNotFound as missing:
        reading.errors.insert(0, str(missing))
        return reading
    fees = reader.year_and_fees(year)
    reading.notes.insert(
        0,
        f"表二读自工作表“{two_sheet}”，表三读自工作表“{three_sheet}”，表四读自工作表“{four_sheet}”。",
    )
    if not reading.errors:
        reading.report = AnnualReport(year, two, three, four, fees)
    return reading


# --- Checking ----------------------------------------------------------------------------

BLOCKING = (
    "table_three_balance",
    "table_three_results_total",
    "table_three_applicant_total",
    "table_four_totals",
)
LEDGER_WARNINGS = ("overdue_applications", "long_open_cases")


@dataclass
class Disagreement:
    title: str
    detail: str
    refs: list


def previous_for(organization, year):
    """Last year's figures to compare with: its settled version (sign-off or accepted
    workbook) or the ledger; None when gongkai has nothing at all for last year."""
    last = year - 1
    settled = settled_reports([organization.pk], [last]).get((organization.pk, last))
    if settled:
        what = "定稿" if settled.kind == "signed" else "已接收的报送工作簿"
        return report_checks.PreviousYear(
            last, settled.report, True, f"与{last}年度{what}（第{settled.version}版）比较。"
        )
    two, three = table_two(organization, last), table_three(organization, last)
    if not any(value for row in three.values.values() for value in row.values()) and not any(
        value for row in two.values.values() for value in row.values()
    ):
        return None
    return report_checks.live_previous(last, two, three)


def intake_checks(organization, year, report):
    """check_report() on the figures read; the ledger's own warnings do not apply. Where
    gongkai has nothing for last year, the cross-year checks cannot be made and say so."""
    previous = previous_for(organization, year)
    stand_in = previous or report_checks.PreviousYear(year - 1, report, False, "")
    results = []
    for check in report_checks.check_report(report, stand_in, as_of=None):
        if check.code in LEDGER_WARNINGS:
            continue
        if previous is None and check.code in ("cross_year", "table_two_in_force"):
            check = report_checks.CheckResult(
                check.code,
                check.title,
                report_checks.WARNING,
                f"系统中没有{organization.name}{year - 1}年度的定稿、报送工作簿或台账数据，无法核对。",
            )
        results.append(check)
    return results


def disagreements(checks, reading):
    """Each failing balance check's details with the cells of the workbook they compare."""
    found = []
    for check in checks:
        if check.code not in BLOCKING or check.status != report_checks.FAIL:
            continue
        for index, detail in enumerate(check.details):
            keys = check.cells[index] if index < len(check.cells) else []
            found.append(
                Disagreement(
                    check.title, detail, [reading.ref(key) for key in keys if reading.ref(key)]
                )
            )
    return found


def blocking(checks):
    return [
        check for check in checks if check.code in BLOCKING and check.status == report_checks.FAIL
    ]


# --- Preview and acceptance --------------------------------------------------------------


@dataclass
class Preview:
    """A workbook read and checked, before it is accepted."""

    reading: Reading
    checks: list = field(default_factory=list)
    disagreements: list = field(default_factory=list)

    @property
    def report(self):
        return self.reading.report

    @property
    def acceptable(self):
        return self.reading.report is not None and not blocking(self.checks)


def preview(organization, year, data):
    """Read and check a workbook's bytes (already through guard_upload) for an office and year."""
    reading = read_workbook(data, year)
    if reading.report is None:
        return Preview(reading)
    checks = intake_checks(organization, year, reading.report)
    return Preview(reading, checks, disagreements(checks, reading))


def store_pending(organization, year, data, filename, result, user):
    """Keep a workbook that read and checked cleanly until someone accepts or discards it.
    The same user's earlier pending uploads for that office and year are discarded."""
    with transaction.atomic():
        SubmittedReport.objects.filter(
            organization=organization, year=year, uploaded_by=user, accepted_at__isnull=True
        ).delete()
        return SubmittedReport.objects.create(
            organization=organization,
            year=year,
            figures=result.report.as_json(),
            checks=[check.as_json() for check in result.checks],
            notes=result.reading.notes,
            workbook=data,
            filename=filename[:255],
            uploaded_by=user,
        )


def accept(submission, user):
    """Accept a pending workbook as the office's next version; from now on it counts in the
    district's rollup. Returns the accepted row, or None if it was accepted meanwhile."""
    with transaction.atomic():
        # Lock the office so that two officials accepting at once get versions n and n+1.
        Organization.objects.select_for_update().get(pk=submission.organization_id)
        last = SubmittedReport.objects.filter(
            organization_id=submission.organization_id, year=submission.year
        ).aggregate(last=Max("version"))["last"]
        updated = SubmittedReport.objects.filter(pk=submission.pk, accepted_at__isnull=True).update(
            version=(last or 0) + 1, accepted_by=user, accepted_at=timezone.now()
        )
        if not updated:
            return None
        return SubmittedReport.objects.get(pk=submission.pk)
