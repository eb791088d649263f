"""Reading table 三 by its labels: the seven applicant columns under their header, the rows
by their official labels (or the 2019 single row （六）其他处理, read as 6.3). A misprinted
column name or row label is read as the nearest official one, to be confirmed."""

from applications.choices import OUTCOME_GROUPS, Outcome, outcome_row_label
from lib.labels import label_key

from ..figures.tables import (
    APPLICANTS_HEADER,
    ORGANIZATIONS_HEADER,
    RESULTS_LABEL,
    TABLE_THREE_CAPTION,
    TABLE_THREE_COLUMNS,
    TABLE_THREE_ROWS,
    TableThree,
)
from .matching import COLUMN, find_labels, label_forms, only
from .numbers import read_number
from .problems import TableNotFound
from .sheets import Place

SIX = next(group for group in OUTCOME_GROUPS if group.code == "6")
SIX_CODES = tuple(outcome.value for outcome in SIX.outcomes)
HEADER_ROWS = 8  # how far above 一、本年新收 the column headers may be
BODY_ROWS = 80
GROUP_LABELS = {key for group in OUTCOME_GROUPS for key in label_forms(group.label)}
GROUP_LABELS |= label_forms(RESULTS_LABEL)
HEADERS = {
    label_key(text) for text in (APPLICANTS_HEADER, ORGANIZATIONS_HEADER, TABLE_THREE_CAPTION)
}


def _columns(book, reading, anchor):
    """{column code: column number} from the names in the header above 一、本年新收."""
    block = (
        anchor.sheet,
        (max(1, anchor.row - HEADER_ROWS), anchor.row - 1),
        (anchor.col + 1, 10_000),
    )
    wanted = [(column.code, column.label) for column in TABLE_THREE_COLUMNS]
    found = find_labels(book, reading, wanted, block, HEADERS, COLUMN, lowest=True)
    for column in TABLE_THREE_COLUMNS:
        if column.code not in found:
            raise TableNotFound(
                f"表三（工作表“{anchor.sheet}”）缺少列“{column.label}”：应在“{TABLE_THREE_ROWS[0].label}”（{anchor.ref}）上方的表头中。",
                anchor,
            )
    columns = {code: place.col for code, place in found.items()}
    if len(set(columns.values())) != len(columns):
        raise TableNotFound(
            f"表三（工作表“{anchor.sheet}”）的表头有重复的列名，无法确定各列的位置，请按国家格式填写表头。",
            anchor,
        )
    return columns


def _rows(book, reading, anchor, columns):
    """{row code: label Place}; the 2019 single row （六） under SIX.code."""
    block = (anchor.sheet, (anchor.row, anchor.row + BODY_ROWS), (1, min(columns.values()) - 1))
    wanted = [(row.code, row.label) for row in TABLE_THREE_ROWS]
    rows = find_labels(book, reading, wanted, block, known=GROUP_LABELS)
    missing = [row.label for row in TABLE_THREE_ROWS if row.code not in rows]
    if not any(code in rows for code in SIX_CODES):
        legacy = book.find(label_forms(SIX.label), *block)
        if legacy:
            reading.legacy_six = True
            rows[SIX.code] = legacy[0]
            reading.notes.append(
                f"表三采用2019年格式的单行“{SIX.label}”（{legacy[0].ref}）：其数字计入“{outcome_row_label(Outcome.OTHER)}”，"
                f"“{outcome_row_label(Outcome.NO_CORRECTION)}”和“{outcome_row_label(Outcome.FEE_NOT_PAID)}”计为 0。"
            )
            missing = [label for label in missing if label_key(label) not in _six_keys()]
    if missing:
        raise TableNotFound(
            f"表三（工作表“{anchor.sheet}”）缺少以下行：{'；'.join(missing)}。请按国家格式填写行名（2019年格式的单行“{SIX.label}”也可以）。",
            anchor,
        )
    return rows


def _six_keys():
    return {label_key(outcome_row_label(code)) for code in SIX_CODES}


def read_table_three(book, reading):
    """(TableThree, sheet name) as typed; TableNotFound when a label is missing."""
    first = TABLE_THREE_ROWS[0]
    anchor = only(
        book,
        reading,
        first.label,
        f"没有找到表三：工作簿中没有“{first.label}”这一行。请确认上传的是年度报告工作簿，并且表三的行名与国家格式一致。",
        others=[row.label for row in TABLE_THREE_ROWS[1:]],
    )
    columns = _columns(book, reading, anchor)
    rows = _rows(book, reading, anchor, columns)
    values = {row.code: {} for row in TABLE_THREE_ROWS}
    for row in TABLE_THREE_ROWS:
        if reading.legacy_six and row.code in SIX_CODES:
            continue
        for column in TABLE_THREE_COLUMNS:
            place = Place(anchor.sheet, rows[row.code].row, columns[column.code])
            key = ("three", row.code, column.code)
            label = f"{row.label} · {column.label}"
            values[row.code][column.code] = read_number(book, reading, key, place, label)
    if reading.legacy_six:
        for column in TABLE_THREE_COLUMNS:
            place = Place(anchor.sheet, rows[SIX.code].row, columns[column.code])
            key = ("three", Outcome.OTHER.value, column.code)
            label = f"{SIX.label} · {column.label}"
            values[Outcome.OTHER.value][column.code] = read_number(book, reading, key, place, label)
            values[Outcome.NO_CORRECTION.value][column.code] = 0
            values[Outcome.FEE_NOT_PAID.value][column.code] = 0
    return TableThree(values), anchor.sheet
