"""Around the tables: the title's office and year, compared with the office and year the
district chose; 五、存在的主要问题及改进情况, flagged when it says nothing (the rule of the
office's own report, reports.figures.text_checks); and the information-processing fees
stated in 六、其他需要报告的事项."""

import re
from decimal import Decimal

from lib.labels import label_key

from ..figures.tables import FeeSummary
from ..figures.text_checks import SECTION_LABELS, section_five_empty
from .problems import SECTION_FIVE, TITLE_OFFICE, TITLE_YEAR

TITLE = re.compile(r"^(.*?)(\d{4})年度?(.*?)政府信息公开工作年度报告")
NARRATIVE_LENGTH = 10
FEES_PAID = re.compile(r"共对(\d+)件政府信息公开申请收取(?:了)?信息处理费,合计([\d.]+)元")
FIVE_TITLE = SECTION_LABELS["problems"]
FIVE_HEADING = re.compile(r"^\s*(?:五\s*[、.．]\s*)?存在的主要问题及改进情况\s*[。.:：]?\s*")
SECTION_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")


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


def section_five(book):
    """(text, place of its heading) of 五、存在的主要问题及改进情况: what follows the heading
    in its own cell, else the text cells after it on its sheet up to the next section's
    heading; None when the workbook has no such heading (a workbook of tables only)."""
    texts = book.texts()
    for index, (text, place) in enumerate(texts):
        heading = FIVE_HEADING.match(str(text))
        if not heading:
            continue
        rest = _up_to_next_section(str(text)[heading.end() :])
        if rest:
            return rest, place
        following = []
        for later, later_place in texts[index + 1 :]:
            if later_place.sheet != place.sheet or SECTION_HEADING.match(str(later)):
                break
            following.append(str(later).strip())
        return "".join(following), place
    return None


def _up_to_next_section(text):
    """The lines of a cell up to the next section's heading (六、… typed in the same cell)."""
    lines = []
    for line in text.splitlines():
        if SECTION_HEADING.match(line):
            break
        lines.append(line.strip())
    return "".join(lines)


def check_section_five(book, reading):
    """A 请核对 problem, to be confirmed, when section 五 is there but says nothing."""
    found = section_five(book)
    if found is None or not section_five_empty(found[0]):
        return
    text, place = found
    said = f"只写了“{text}”" if text else "是空白"
    reading.check(
        f"{place.ref}的“{FIVE_TITLE}”{said}。国家格式要求写明本机关存在的主要问题和改进情况，"
        "请核对报送机关是否漏写；如需补写，请放弃这份工作簿，让报送机关补写后重新报送。",
        place,
        SECTION_FIVE,
        confirm=f"“{FIVE_TITLE}”{said}，仍接收这份工作簿",
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
