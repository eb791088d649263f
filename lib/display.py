"""Display text used by every screen, export and message: the one home of each wording.

Chinese dates, the answer deadline as a list shows it, and the titles of the annual
report's six sections. Templates, the Excel and Word outputs and messages all import
these; nothing else spells them.
"""

import datetime

from django.utils import timezone

SUSPENDED_DEADLINE = "暂停计算（待定）"
PROVISIONAL_MARK = "（待确认）"

SECTION_ONE = "一、总体情况"
SECTION_TWO = "二、主动公开政府信息情况"
SECTION_THREE = "三、收到和处理政府信息公开申请情况"
SECTION_FOUR = "四、政府信息公开行政复议、行政诉讼情况"
SECTION_FIVE = "五、存在的主要问题及改进情况"
SECTION_SIX = "六、其他需要报告的事项"
# The report's sections in order, keyed as the templates and outputs name them.
SECTION_TITLES = {
    "one": SECTION_ONE,
    "two": SECTION_TWO,
    "three": SECTION_THREE,
    "four": SECTION_FOUR,
    "five": SECTION_FIVE,
    "six": SECTION_SIX,
}


def chinese_date(day: datetime.date) -> str:
    """2021年3月1日: no leading zeros, as official documents print dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_moment(moment: datetime.datetime) -> str:
    """A stored time as people in the office read it: local time, to the minute."""
    moment = timezone.localtime(moment)
    return f"{chinese_date(moment)} {moment:%H:%M}"


def deadline_text(due_on: datetime.date | None, provisional: bool = False) -> str:
    """The answer deadline as lists show it: '2021年11月1日', '2027年2月1日（待确认）' while
    the year's holidays are not yet known, or '暂停计算（待定）' while a clock stop runs."""
    if due_on is None:
        return SUSPENDED_DEADLINE
    return chinese_date(due_on) + (PROVISIONAL_MARK if provisional else "")
