"""Dates typed by people: the forms gongkai accepts, in forms and in imported ledgers.

One parser for every screen and the ledger import: 2026-12-3, 2026/12/3, 2026.12.3 and
2026年12月3日 (the way gongkai prints dates) all mean 3 December 2026.
"""

import datetime
import re

from django import forms

DATE_TEXT = re.compile(r"^(\d{4})\s*(?:[-/.．]|年)\s*(\d{1,2})\s*(?:[-/.．]|月)\s*(\d{1,2})\s*日?$")
ACCEPTED_DATE_FORMS = "2026-12-3、2026/12/3、2026.12.3 或 2026年12月3日"
DATE_FORMS_HINT = f"日期可写作 {ACCEPTED_DATE_FORMS}。"


class NotADate(ValueError):
    """The text is not written as a date at all."""


class NoSuchDay(ValueError):
    """Written as a date, but the month has no such day (2026年2月30日)."""


def parse_date_text(text):
    """'2026年12月3日', '2026-12-3', '2026/12/3', '2026.12.3' -> date(2026, 12, 3).

    Raises NotADate when the text is not a date, NoSuchDay when the day does not exist.
    """
    match = DATE_TEXT.match(str(text).strip())
    if not match:
        raise NotADate(text)
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise NoSuchDay(text) from None


class ChineseDateField(forms.DateField):
    """A date field that accepts every form of parse_date_text and says so under the field."""

    default_error_messages = {
        "invalid": f"请按 {ACCEPTED_DATE_FORMS} 的写法填写日期。",
        "no_such_day": "这个月没有这一天，请核对日期。",
    }

    def __init__(self, *args, help_text="", **kwargs):
        help_text = f"{help_text} {DATE_FORMS_HINT}" if help_text else DATE_FORMS_HINT
        super().__init__(*args, help_text=help_text, **kwargs)

    def strptime(self, value, format):
        # Only reached for text: DateField.to_python handles date objects and blanks itself.
        try:
            return datetime.datetime.combine(parse_date_text(value), datetime.time())
        except NoSuchDay:
            raise forms.ValidationError(
                self.error_messages["no_such_day"], code="no_such_day"
            ) from None
        except NotADate:
            return super().strptime(value, format)
