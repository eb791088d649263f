"""Indicators per office for the district's board and rollup workbook, with flags.

实质公开率 = (予以公开 + 部分公开) ÷ 办结; 复议纠错率 and 诉讼纠错率 = 结果纠正 ÷ 审结
(结果维持 + 结果纠正 + 其他结果); 复议诉讼率 = (行政复议 + 行政诉讼) ÷ 本年新收, from table
四's totals; 逾期答复 = applications answered in the year after their statutory deadline
(offices keeping the ledger in gongkai only: a submitted workbook does not say).

An office is flagged when a rate crosses the district's thresholds (IndicatorThresholds,
set in the admin; DEFAULT_THRESHOLDS otherwise): 纠错率 above the red / yellow line,
实质公开率 below it. An office with fewer new applications than the minimum is not rated.
Each value carries its own explanation: the formula with the figures it was computed from.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from applications.models import Application

from ..models import IndicatorThresholds
from . import counting
from .standing import SUBMITTED
from .tables import LAWSUIT_AFTER_REVIEW, LAWSUIT_DIRECT, NEW, REVIEW, TOTAL

RED, YELLOW = "red", "yellow"
FLAG_LABELS = {RED: "红色警示", YELLOW: "黄色警示", "": ""}
DEFAULT_THRESHOLDS = IndicatorThresholds(
    correction_red=Decimal(15),
    correction_yellow=Decimal(10),
    disclosure_red=Decimal(40),
    disclosure_yellow=Decimal(45),
    minimum_applications=30,
)
HEADERS = ["实质公开率", "复议纠错率", "诉讼纠错率", "复议诉讼率", "逾期答复"]
CONCLUDED = ("upheld", "corrected", "other")

NO_OVERDUE_FIGURE = (
    "逾期答复：这个机关报送的是年度报告工作簿，工作簿（国家格式）中没有逾期答复件数这项数字，"
    "本系统也没有它的台账，无法统计。"
)


@dataclass(frozen=True)
class Value:
    """One indicator of one office: the value shown, its flag and how it was worked out."""

    label: str
    shown: str
    explanation: str
    flag: str = ""

    @property
    def flag_label(self):
        return FLAG_LABELS[self.flag]

    @property
    def cell(self):
        """As the workbook prints it: the value, and the flag in words."""
        return f"{self.shown}（{self.flag_label}）" if self.flag else self.shown


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def thresholds_for(district):
    """The district's thresholds, or the defaults (one query)."""
    return IndicatorThresholds.objects.filter(organization=district).first() or DEFAULT_THRESHOLDS


def _rate(label, part, whole, formula, flag_of=None):
    value = percent(part, whole)
    if value is None:
        return Value(label, "—", f"{label} = {formula}：分母为 0，无法计算。")
    flag, reason = flag_of(value) if flag_of else ("", "")
    return Value(
        label, f"{value}%", f"{label} = {formula} = {part} ÷ {whole} = {value}%。{reason}", flag
    )


def _above(thresholds, rated):
    def flag_of(value):
        if not rated:
            return "", f"本年新收申请少于{thresholds.minimum_applications}件，不评级。"
        if value > thresholds.correction_red:
            return RED, f"高于红色警示线{thresholds.correction_red}%。"
        if value > thresholds.correction_yellow:
            return YELLOW, f"高于黄色警示线{thresholds.correction_yellow}%。"
        return "", f"未超过黄色警示线{thresholds.correction_yellow}%。"

    return flag_of


def _below(thresholds, rated):
    def flag_of(value):
        if not rated:
            return "", f"本年新收申请少于{thresholds.minimum_applications}件，不评级。"
        if value < thresholds.disclosure_red:
            return RED, f"低于红色警示线{thresholds.disclosure_red}%。"
        if value < thresholds.disclosure_yellow:
            return YELLOW, f"低于黄色警示线{thresholds.disclosure_yellow}%。"
        return "", f"不低于黄色警示线{thresholds.disclosure_yellow}%。"

    return flag_of


def _corrections(four, codes):
    corrected = sum(four[code]["corrected"] for code in codes)
    concluded = sum(four[code][column] for code in codes for column in CONCLUDED)
    return corrected, concluded


def office_indicators(report, thresholds, overdue=None):
    """[Value] of one office's report, in HEADERS order; `overdue` None when unknown."""
    three, four = report.table_three.values, report.table_four.values
    new = three[NEW][TOTAL]
    rated = new >= thresholds.minimum_applications
    disclosed = three["1"][TOTAL] + three["2"][TOTAL]
    lawsuits = (LAWSUIT_DIRECT, LAWSUIT_AFTER_REVIEW)
    cases = four[REVIEW][TOTAL] + sum(four[code][TOTAL] for code in lawsuits)
    return [
        _rate(
            "实质公开率",
            disclosed,
            three[TOTAL][TOTAL],
            "（予以公开 + 部分公开）÷ 办结（表三（七）总计）",
            _below(thresholds, rated),
        ),
        _rate(
            "复议纠错率",
            *_corrections(four, (REVIEW,)),
            "行政复议结果纠正 ÷ 审结（结果维持 + 结果纠正 + 其他结果）",
            _above(thresholds, rated),
        ),
        _rate(
            "诉讼纠错率",
            *_corrections(four, lawsuits),
            "行政诉讼结果纠正 ÷ 审结（两组的结果维持 + 结果纠正 + 其他结果）",
            _above(thresholds, rated),
        ),
        _rate("复议诉讼率", cases, new, "（行政复议总计 + 行政诉讼总计）÷ 本年新收"),
        _overdue(overdue),
    ]


def _overdue(count):
    if count is None:
        return Value("逾期答复", "—", NO_OVERDUE_FIGURE)
    return Value(
        "逾期答复",
        f"{count}件",
        f"逾期答复：本年答复的申请中，答复日期晚于法定答复期限的有{count}件。",
        YELLOW if count else "",
    )


def overdue_answers_by_office(office_ids, year):
    """{office id: applications answered in the year after their deadline} (one query).

    The stored deadline (due_on) counts every clock stop, so it is the deadline the answer
    is judged by; an application whose clock is still stopped has none and is never late.
    """
    counts = dict.fromkeys(office_ids, 0)
    late = (
        Application.objects.filter(organization_id__in=office_ids)
        .filter(counting.answered_in(year))
        .answered_late()
        .values("organization_id")
        .order_by("organization_id")
        .annotate(late=Count("answered_on"))
    )
    for row in late:
        counts[row["organization_id"]] = row["late"]
    return counts


@dataclass
class BoardIndicators:
    thresholds: object
    rows: list  # (office row, [Value])

    @property
    def legend(self):
        t = self.thresholds
        return (
            f"红色：复议或诉讼纠错率高于{t.correction_red}%，或实质公开率低于{t.disclosure_red}%；"
            f"黄色：纠错率高于{t.correction_yellow}%，实质公开率低于{t.disclosure_yellow}%，或有逾期答复。"
            f"本年新收申请少于{t.minimum_applications}件的机关不评级。把鼠标移到数字上可看计算过程。"
        )


def board_indicators(rollup):
    """The indicators of every office of a district's rollup (a fixed number of queries)."""
    thresholds = thresholds_for(rollup.district)
    live = [row.office.pk for row in rollup.rows if row.source != SUBMITTED]
    overdue = overdue_answers_by_office(live, rollup.year)
    rows = [
        (row, office_indicators(row.report, thresholds, overdue.get(row.office.pk)))
        for row in rollup.rows
    ]
    return BoardIndicators(thresholds, rows)


def indicator_sheet(rollup):
    """(title, headers, rows, note, widths) of the rollup workbook's 指标 sheet."""
    board = board_indicators(rollup)
    rows = [
        [row.name, *(value.cell for value in values)]
        + ["；".join(value.explanation for value in values)]
        for row, values in board.rows
    ]
    headers = ["机关", *HEADERS, "计算过程"]
    return (
        "指标",
        f"{rollup.title} · 指标",
        headers,
        rows,
        board.legend,
        [30, 14, 14, 14, 14, 12, 90],
    )
