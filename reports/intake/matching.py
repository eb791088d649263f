"""Finding the official labels in a workbook, and proposing one for a misprinted label.

Labels are compared as lib.labels.label_key(). A numbered item may be written without its
number ("属于国家秘密"), a numbered section without its "一、". A label cell that matches no
official label where one is missing is named by its cell with the nearest official label
(lib.labels.nearest_label); its figures are read as that row's, and the district must
confirm the reading before it accepts the workbook. Never a silent guess.
"""

import re

from lib.labels import label_key, nearest_label

from .problems import LABEL, TableNotFound


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


def only(book, forms, what):
    """The one place in the workbook with this label, or TableNotFound."""
    places = book.find(forms)
    if not places:
        raise TableNotFound(what)
    if len(places) > 1:
        sheets = {place.sheet for place in places}
        where = "、".join(place.ref for place in places)
        raise TableNotFound(
            f"工作簿中有{len(places)}处“{next(iter(forms))}”（{where}）{'，分布在多个工作表中' if len(sheets) > 1 else ''}。"
            "一个工作簿只能有一份年度报告，请只保留该机关的一份后再上传。",
            places[0],
        )
    return places[0]


def find_rows(book, reading, wanted, block, known=()):
    """{code: Place} of the label cell of each wanted row in a block of a sheet.

    `wanted` is [(code, official label)]; `block` is (sheet, rows, cols); `known` holds
    further label keys that are not rows (group headings) and are never proposals. Rows
    not found by their label get the nearest unclaimed label cell, as a 请核对 problem.
    """
    sheet, rows, cols = block
    found, claimed = {}, set()
    all_forms = set(known)
    for code, label in wanted:
        forms = label_forms(label)
        all_forms |= forms
        places = [place for place in book.find(forms, sheet, rows, cols) if place not in claimed]
        if places:
            found[code] = places[0]
            claimed.add(places[0])
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
            _propose(reading, place, book.value(place), proposal)
    return found


def _propose(reading, place, typed, label):
    typed = " ".join(str(typed).split())
    reading.check(
        f"{place.ref}的行名“{typed}”与国家格式的行名都不相同，最接近的是“{label}”，"
        f"已按“{label}”读取这一行的数字。请对照报送机关的纸质报告确认；如果不是这一行，请让报送机关改正行名后重新报送。",
        place,
        LABEL,
        confirm=f"{place.ref}的“{typed}”就是“{label}”",
    )
