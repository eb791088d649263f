"""Around the tables: the title's office and year, compared with the office and year the
district chose, and the information-processing fees stated in 六、其他需要报告的事项."""

import re
from decimal import Decimal

from lib.labels import label_key

from ..figures.tables import FeeSummary
from .problems import TITLE_OFFICE, TITLE_YEAR

TITLE = re.compile(r"^(.*?)(\d{4})年度?(.*?)政府信息公开工作年度报告")
NARRATIVE_LENGTH = 10
FEES_PAID = re.compile(r"共对(\d+)件政府信息公开申请收取(?:了)?信息处理费,合计([\d.]+)元")


def titles(book):
    """(office as written, year, place) of each title cell, in reading order."""
    found = []
    for text, place in book.texts():
        match = TITLE.match(label_key(text))
        if match:
            found.append((match.group(1) + match.group(3), int(match.group(2)), place))
    return found


def same_office(written, organization):
    """Whether the office a title names is this organization (its name or short name)."""
    written = label_key(written)
    if not written:
        return True
    names = [label_key(organization.name), label_key(organization.short_name or "")]
    return any(name and name in written for name in names)


def compare_title(book, reading, organization, year):
    """A 请核对 problem, to be confirmed, when the title names another office or year
    (the office only when one was chosen)."""
    found = titles(book)
    if not found:
        reading.notes.append(
            "工作簿中没有找到“××××年政府信息公开工作年度报告”样式的标题，无法核对机关和年度。"
        )
        return
    written, title_year, place = found[0]
    reading.title = str(book.value(place)).strip()
    if title_year != year:
        reading.check(
            f"{place.ref}的标题是{title_year}年度的报告（“{reading.title}”），而您选择的是{year}年度。"
            f"请核对年度，或上传{year}年度的工作簿。",
            place,
            TITLE_YEAR,
            confirm=f"标题写{title_year}年度，这份工作簿确是{year}年度的报告",
        )
    if organization is not None and not same_office(written, organization):
        reading.check(
            f"{place.ref}的标题写的机关是“{written}”，而您选择的报送机关是“{organization.name}”。"
            "请核对是否选错了机关或传错了文件。",
            place,
            TITLE_OFFICE,
            confirm=f"标题写“{written}”，这份工作簿确是{organization.name}的报告",
        )


def read_fees(book, reading):
    """The fees stated in the text (六), or none collected, with a note, when not stated."""
    for text, _place in book.texts():
        key = label_key(text)
        paid = FEES_PAID.search(key)
        if paid:
            return FeeSummary(int(paid.group(1)), Decimal(paid.group(2)))
        if "本年度未收取信息处理费" in key:
            return FeeSummary()
    reading.notes.append(
        "工作簿中没有信息处理费的说明（“六、其他需要报告的事项”），信息处理费按未收取计。"
    )
    return FeeSummary()


def narrative_cells(book):
    """(cell reference, text) of the cells that hold the report's text: sentences, not labels."""
    return [
        (place.ref, str(text))
        for text, place in book.texts()
        if len(str(text)) >= NARRATIVE_LENGTH and re.search(r"[。；]", str(text))
    ]
