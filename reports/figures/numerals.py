"""Numbers as a report's text writes them: 21件, 二十一件, 一百零五件, 1,234条, 500余条,
近30件, 合计300.00元, 1.2万元. "余", "多", "约", "近", "逾", "超过" make a figure approximate."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
DIGITS |= {"七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE = "零〇一二两三四五六七八九十百千万"
NUMBER = rf"(?:\d[\d,]*(?:\.\d+)?|[{CHINESE}]+)"
COUNT = re.compile(rf"(约|近|逾|超过|将近)?({NUMBER})(余|多)?(?:件|条|宗|个|次)")
MONEY = re.compile(rf"(约|近|逾|超过)?({NUMBER})(余|多)?(万)?元")


@dataclass(frozen=True)
class Amount:
    value: Decimal
    about: bool = False
    text: str = ""


def chinese_number(text):
    """二十一 -> 21, 一百零五 -> 105, 十二 -> 12, 三千五百 -> 3500, 两万 -> 20000; None if not one."""
    total, section, digit = 0, 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in UNITS:
            section += (1 if digit is None else digit) * UNITS[char]
            digit = None
        elif char == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def parse_number(text):
    """A number written in Arabic or Chinese numerals, as a Decimal; None if not one."""
    text = unicodedata.normalize("NFKC", text).replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    value = chinese_number(text)
    return None if value is None else Decimal(value)


def _amounts(pattern, clause, scale=None):
    found = []
    for match in pattern.finditer(clause):
        value = parse_number(match.group(2))
        if value is None:
            continue
        if scale and match.group(4):
            value *= scale
        about = bool(match.group(1) or match.group(3))
        found.append(Amount(value, about, match.group(0)))
    return found


def counts(clause):
    """Every count (件, 条 …) a clause states, in order."""
    return _amounts(COUNT, unicodedata.normalize("NFKC", clause).replace(" ", ""))


def money(clause):
    """Every amount of money a clause states, in 元 (万元 multiplied out), in order."""
    return _amounts(MONEY, unicodedata.normalize("NFKC", clause).replace(" ", ""), 10_000)


def agrees(amount, actual):
    """Whether a stated amount agrees with a figure: exactly, or for an approximate one
    ("500余", "近30"), within a fifth of it."""
    actual = Decimal(actual)
    if not amount.about:
        return amount.value == actual
    return abs(actual - amount.value) <= max(amount.value / 5, Decimal(1))
