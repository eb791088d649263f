"""lib.display: the one home of dates, the deadline's wording and the section titles."""

import datetime
from zoneinfo import ZoneInfo

from applications import deadlines
from lib.display import (
    SECTION_TITLES,
    SUSPENDED_DEADLINE,
    chinese_date,
    chinese_moment,
    deadline_text,
)
from reports.figures import tables
from reports.outputs import grid as layout

D = datetime.date


def test_chinese_date_has_no_leading_zeros():
    assert chinese_date(D(2021, 3, 1)) == "2021年3月1日"
    assert chinese_date(D(2021, 12, 31)) == "2021年12月31日"


def test_chinese_moment_is_local_time_to_the_minute():
    moment = datetime.datetime(2022, 1, 5, 2, 30, tzinfo=datetime.UTC)
    assert chinese_moment(moment) == "2022年1月5日 10:30"
    beijing = datetime.datetime(2022, 1, 5, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert chinese_moment(beijing) == "2022年1月5日 23:59"


def test_deadline_text_of_a_known_deadline_is_its_date():
    assert deadline_text(D(2021, 11, 1)) == "2021年11月1日"


def test_deadline_text_marks_a_deadline_in_a_year_without_holidays_as_provisional():
    assert deadline_text(D(2027, 2, 1), provisional=True) == "2027年2月1日（待确认）"


def test_deadline_text_while_a_clock_stop_runs_is_suspended():
    assert deadline_text(None) == SUSPENDED_DEADLINE == "暂停计算（待定）"


def test_the_ledger_deadline_label_is_the_display_text(db):
    deadline = deadlines.compute_deadline(D(2021, 3, 1))
    assert deadline.label == deadline_text(deadline.due_on) == chinese_date(deadline.due_on)


def test_section_titles_in_the_official_order():
    assert list(SECTION_TITLES.values()) == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_tables_are_titled_with_the_section_titles():
    grids = layout.report_grids(tables.empty_report(2021))
    assert [grid.title for grid in grids] == [
        SECTION_TITLES["two"],
        SECTION_TITLES["three"],
        SECTION_TITLES["four"],
    ]
