"""A figure in a cell as the office typed it: a number, or text holding one ("12", "１２",
" 1,234 "), never blank, "/", negative or a fraction of a 件."""

import unicodedata
from decimal import Decimal, InvalidOperation

from ..figures.tables import FEE_PLACES

BLANK_MARKS = {"/", "-", "—", "－", "／", "无"}


def _as_decimal(value):
    """The value as a Decimal, or None if it is not a number."""
    if isinstance(value, bool):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def read_number(book, reading, key, place, label, money=False):
    """The figure in a cell; a must-fix problem naming the cell when it is not one."""
    reading.cells[key] = place
    zero = Decimal(0) if money else 0
    value = book.value(place)
    where = f"{place.ref}（{label}）"
    if value is None:
        if book.is_formula(place):
            reading.must_fix(
                f"{where}是公式，但工作簿没有保存计算结果。请在 Excel 或 WPS 中打开、保存后再上传，或直接填写数字。",
                place,
            )
        else:
            reading.must_fix(f"{where}是空白。请填写数字，没有的填 0。", place)
        return zero
    if isinstance(value, str) and value.strip() in BLANK_MARKS:
        reading.must_fix(f"{where}填的是“{value.strip()}”。这里应填数字，没有的填 0。", place)
        return zero
    amount = _as_decimal(value)
    if amount is None:
        reading.must_fix(f"{where}应是数字，填的是“{value}”。", place)
        return zero
    if amount < 0:
        reading.must_fix(f"{where}不能是负数，填的是 {value}。", place)
        return zero
    if money:
        if amount != amount.quantize(FEE_PLACES):
            reading.must_fix(f"{where}以万元为单位，最多保留4位小数，填的是 {value}。", place)
        return amount.quantize(FEE_PLACES)
    if amount != amount.to_integral_value():
        reading.must_fix(f"{where}应是整数（件数），填的是 {value}。", place)
        return 0
    return int(amount)
