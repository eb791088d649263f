"""Reading table 二 by its labels: four blocks, each under its own header (第二十条第（一）项 …),
with its column names on one of the three rows below the header and its rows below them."""

from lib.labels import label_key

from ..figures.tables import TABLE_TWO_BLOCKS, TableTwo
from .matching import HEADING, find_labels, only
from .numbers import read_number
from .problems import TableNotFound
from .sheets import Place

BLOCKS_ROWS = 40  # how far below the first block's header the last block may be


def _column_places(book, block, header):
    """(row of the column names, {column code: column}) or TableNotFound."""
    for row in range(header.row + 1, header.row + 4):
        found = {}
        for column in block.columns:
            wanted = label_key(column.label)
            # The money column is often written with its own note: 本年收费金额（单位：万元，保留4位小数）.
            prefix = wanted.split("(")[0] if block.money else None
            places = book.find(
                {wanted},
                header.sheet,
                rows=(row, row),
                match=(lambda text, prefix=prefix: text.startswith(prefix)) if prefix else None,
            )
            if places:
                found[column.code] = places[0].col
        if len(found) == len(block.columns):
            return row, found
    labels = "、".join(f"“{column.label}”" for column in block.columns)
    raise TableNotFound(
        f"表二（工作表“{header.sheet}”）“{block.header}”（{header.ref}）下方缺少列名{labels}。",
        header,
    )


def _read_block(book, reading, block, anchor, values):
    headers = book.find({label_key(block.header)}, anchor.sheet, (anchor.row, anchor.row + 40))
    if not headers:
        raise TableNotFound(f"表二（工作表“{anchor.sheet}”）缺少“{block.header}”。", anchor)
    head_row, columns = _column_places(book, block, headers[0])
    body = (
        anchor.sheet,
        (head_row + 1, head_row + 1 + len(block.rows) + 2),
        (1, min(columns.values()) - 1),
    )
    rows = find_labels(book, reading, [(row.code, row.label) for row in block.rows], body)
    for row in block.rows:
        if row.code not in rows:
            raise TableNotFound(
                f"表二（工作表“{anchor.sheet}”）“{block.header}”下缺少“{row.label}”这一行。",
                headers[0],
            )
        values[row.code] = {
            column.code: read_number(
                book,
                reading,
                ("two", row.code, column.code),
                Place(anchor.sheet, rows[row.code].row, columns[column.code]),
                f"{row.label} · {column.label}",
                money=block.money,
            )
            for column in block.columns
        }


def read_table_two(book, reading):
    """(TableTwo, sheet name) as typed; TableNotFound when a label is missing."""
    first = TABLE_TWO_BLOCKS[0]
    anchor = only(
        book,
        reading,
        first.header,
        f"没有找到表二：工作簿中没有“{first.header}”。请确认表二的表头与国家格式一致。",
        others=[block.header for block in TABLE_TWO_BLOCKS[1:]],
        kind=HEADING,
    )
    values = {}
    for block in TABLE_TWO_BLOCKS:
        _read_block(book, reading, block, anchor, values)
    return TableTwo(values), anchor.sheet
