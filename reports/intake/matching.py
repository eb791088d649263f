"""Finding the official labels in a workbook, and proposing one for a misprinted label.

Labels are compared as lib.labels.label_key(). A numbered item may be written without its
number ("属于国家秘密"), a numbered section without its "一、". A label cell — a row label
or a column header — that matches no official label where one is missing is named by its
cell with the nearest official label (lib.labels.nearest_label); its figures are read as
that row's or column's, and the district must confirm the reading before it accepts the
workbook. Never a silent guess.
"""

import re
from dataclasses import dataclass

from lib.labels import label_key, nearest_label

from .problems import LABEL, TableNotFound


@dataclass(frozen=True)
class Kind:
    """What a label names, in the proposal's words."""

    label: str  # 行名, 列名
    figures: str  # 这一行, 这一列


ROW = Kind("行名", "这一行")
COLUMN = Kind("列名", "这一列")
HEADING = Kind("表头", "这一部分")


def unnumbered(text):
    return re.sub(r"^\d+\.", "", text)


def label_forms(label, numbered=True):
    """The spellings accepted for an official label, as label keys."""
    text = label_key(label)
    found = {text, re.sub(r"^[一二三四五六七八九十]+、", "", text)}
    if numbered:
        found.add(unnumbered(text))
    if "(区分" in text:  # （二）部分公开（区分处理的，只计这一情形，不计其他情形）
        found.add(text.split("(区分")[0])
    return found


def only(book, reading, label, what, others=(), kind=ROW):
    """The one place in the workbook with this official label; failing that, the one label
    cell nearer to it than to any of the table's `others` official labels, as a proposal
    to confirm; TableNotFound otherwise."""
    places = book.find(label_forms(label))
    if not places:
        labels = [label, *others]
        known = set().union(*(label_forms(each) for each in labels))
        near = [
            place
            for key, place in book.label_cells()
            if key not in known and nearest_label(book.value(place), labels) == label
        ]
        if len(near) != 1:
            raise TableNotFound(what)
        propose(reading, near[0], book.value(near[0]), label, kind)
        return near[0]
    if len(places) > 1:
        sheets = {place.sheet for place in places}
        where = "、".join(place.ref for place in places)
        raise TableNotFound(
            f"工作簿中有{len(places)}处“{label}”（{where}）{'，分布在多个工作表中' if len(sheets) > 1 else ''}。"
            "一个工作簿只能有一份年度报告，请只保留该机关的一份后再上传。",
            places[0],
        )
    return places[0]


def find_labels(book, reading, wanted, block, known=(), kind=ROW, lowest=False):
    """{code: Place} of the label cell of each wanted row (or column) in a block of a sheet.

    `wanted` is [(code, official label)]; `block` is (sheet, rows, cols); `known` holds
    further label keys that are not wanted (group headings) and are never proposals. A
    label found more than once is taken where it stands first in reading order (`lowest`:
    on the lowest row). Labels not found get the nearest unclaimed label cell, as a 请核对
    problem to confirm.
    """
    sheet, rows, cols = block
    found, claimed = {}, set()
    all_forms = set(known)
    for code, label in wanted:
        forms = label_forms(label)
        all_forms |= forms
        places = [place for place in book.find(forms, sheet, rows, cols) if place not in claimed]
        if places:
            found[code] = max(places, key=lambda place: place.row) if lowest else places[0]
            claimed.add(found[code])
    missing = {label: code for code, label in wanted if code not in found}
    if not missing:
        return found
    labels = [label for _, label in wanted]
    for key, place in book.label_cells(sheet, rows, cols):
        if place in claimed or key in all_forms:
            continue
        proposal = nearest_label(book.value(place), labels)
        if proposal in missing and missing[proposal] not in found:
            found[missing[proposal]] = place
            claimed.add(place)
            propose(reading, place, book.value(place), proposal, kind)
    return found


def propose(reading, place, typed, label, kind=ROW):
    typed = " ".join(str(typed).split())
    reading.check(
        f"{place.ref}的{kind.label}“{typed}”与国家格式的{kind.label}都不相同，最接近的是“{label}”，"
        f"已按“{label}”读取{kind.figures}的数字。请对照报送机关的纸质报告确认；"
        f"如果不是{kind.figures}，请让报送机关改正{kind.label}后重新报送。",
        place,
        LABEL,
        confirm=f"{place.ref}的“{typed}”就是“{label}”",
    )
