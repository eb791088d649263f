"""Reading table 四 in each header layout offices use (annual-report-format.md):

- the sample report's: 行政复议 | 行政诉讼; then 行政复议's five names (merged down) |
  未经复议直接起诉 | 复议后起诉; then the lawsuit groups' ten names;
- all fifteen names on one row, under 行政复议 | 未经复议直接起诉 | 复议后起诉;
- the same with 行政复议 merged over the first two header rows.

So each group's five names are looked for anywhere from the 复议后起诉 row to three rows
below it, between the group's heading and the next group's; the figures are on the row
below the lowest header cell. A misprinted heading or name is read as the nearest official
one, to be confirmed.
"""

from ..figures.tables import (
    LAWSUIT_HEADER,
    TABLE_FOUR_GROUPS,
    TABLE_FOUR_RESULT_COLUMNS,
    TableFour,
)
from .matching import COLUMN, HEADING, find_labels, label_forms, only
from .numbers import read_number
from .problems import TableNotFound
from .sheets import Place

NAME_ROWS = 3  # how far below 复议后起诉 the groups' column names may be
GROUP_WIDTH = 12  # the last group's names are looked for this far to the right
HEADINGS = [group.label for group in TABLE_FOUR_GROUPS] + [LAWSUIT_HEADER]
NAMES = [column.label for column in TABLE_FOUR_RESULT_COLUMNS]
KNOWN = {key for label in HEADINGS + NAMES for key in label_forms(label)}


def _group_starts(book, reading, anchor):
    review, direct, after = TABLE_FOUR_GROUPS
    starts = {after.code: anchor.col}
    for group, rows in (
        (direct, (anchor.row, anchor.row)),
        (review, (max(1, anchor.row - 3), anchor.row)),
    ):
        block = (anchor.sheet, rows, None)
        found = find_labels(book, reading, [(group.code, group.label)], block, KNOWN, HEADING, True)
        if group.code not in found:
            raise TableNotFound(
                f"表四（工作表“{anchor.sheet}”）缺少表头“{group.label}”：应在“{after.label}”（{anchor.ref}）的同一行或上方。",
                anchor,
            )
        starts[group.code] = found[group.code].col
    return sorted(starts.items(), key=lambda item: item[1])


def _name_places(book, reading, anchor):
    """{group code: {column code: Place of its name}}, or TableNotFound naming every gap."""
    ordered = _group_starts(book, reading, anchor)
    rows = (anchor.row, anchor.row + NAME_ROWS)
    wanted = [(column.code, column.label) for column in TABLE_FOUR_RESULT_COLUMNS]
    found, missing = {}, []
    for index, (code, start) in enumerate(ordered):
        end = ordered[index + 1][1] - 1 if index + 1 < len(ordered) else start + GROUP_WIDTH
        group = next(group for group in TABLE_FOUR_GROUPS if group.code == code)
        block = (anchor.sheet, rows, (start, end))
        found[code] = find_labels(book, reading, wanted, block, KNOWN, COLUMN)
        missing += [
            f"“{group.label}”组的“{column.label}”"
            for column in TABLE_FOUR_RESULT_COLUMNS
            if column.code not in found[code]
        ]
    if missing:
        raise TableNotFound(
            f"表四（工作表“{anchor.sheet}”）缺少列名：{'、'.join(missing)}。"
            f"各组的五个列名（结果维持、结果纠正、其他结果、尚未审结、总计）应在“{anchor.ref}”所在行至其下方{NAME_ROWS}行内、本组表头的下方。",
            anchor,
        )
    return found


def read_table_four(book, reading):
    """(TableFour, sheet name) as typed; TableNotFound when a heading or name is missing."""
    after = TABLE_FOUR_GROUPS[-1]
    anchor = only(
        book,
        reading,
        after.label,
        f"没有找到表四：工作簿中没有“{after.label}”。请确认表四的表头与国家格式一致（行政复议 / 行政诉讼：未经复议直接起诉、复议后起诉）。",
        others=[label for label in HEADINGS + NAMES if label != after.label],
        kind=HEADING,
    )
    names = _name_places(book, reading, anchor)
    figures_row = 1 + max(place.row for group in names.values() for place in group.values())
    values = {}
    for group in TABLE_FOUR_GROUPS:
        values[group.code] = {}
        for column in TABLE_FOUR_RESULT_COLUMNS:
            place = Place(anchor.sheet, figures_row, names[group.code][column.code].col)
            values[group.code][column.code] = read_number(
                book,
                reading,
                ("four", group.code, column.code),
                place,
                f"{group.label} · {column.label}",
            )
    return TableFour(values), anchor.sheet
