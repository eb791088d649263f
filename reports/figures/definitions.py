"""The rows, columns, labels and codes of tables 二, 三 and 四: defined once, imported everywhere.

Labels are verbatim from docs/report-format.md; the outcome rows of table 三 come
from applications.choices, the section titles from lib.display.
"""

from dataclasses import dataclass
from decimal import Decimal

from applications.choices import (
    OUTCOME_GROUPS,
    ApplicantType,
    CaseResult,
    Outcome,
    outcome_row_label,
)
from lib.display import SECTION_FOUR, SECTION_THREE, SECTION_TWO

from ..models import DocumentKind

FEE_PLACES = Decimal("0.0001")
YUAN_PLACES = Decimal("0.01")


# --- Definitions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    code: str
    label: str


@dataclass(frozen=True)
class Row:
    code: str
    label: str


@dataclass(frozen=True)
class TableTwoBlock:
    """One of the four blocks of table 二: its header, value columns and rows."""

    header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    money: bool = False


TABLE_TWO_TITLE = SECTION_TWO
FEE_AMOUNT_HEADER = "本年收费金额（单位：万元，保留4位小数）"
TABLE_TWO_CONTENT_LABEL = "信息内容"
TABLE_TWO_BLOCKS = (
    TableTwoBlock(
        "第二十条第（一）项",
        (
            Column("issued", "本年制发件数"),
            Column("abolished", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        tuple(Row(kind.value, kind.label) for kind in DocumentKind),
    ),
    TableTwoBlock(
        "第二十条第（五）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row("licensing", "行政许可"),),
    ),
    TableTwoBlock(
        "第二十条第（六）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
    ),
    TableTwoBlock(
        "第二十条第（八）项",
        (Column("amount_wan", FEE_AMOUNT_HEADER),),
        (Row("fees", "行政事业性收费"),),
        money=True,
    ),
)

TABLE_THREE_TITLE = SECTION_THREE
TABLE_THREE_CAPTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS_HEADER = "申请人情况"
ORGANIZATIONS_HEADER = "法人或其他组织"
TOTAL = "total"
APPLICANT_COLUMNS = tuple(Column(kind.value, kind.label) for kind in ApplicantType)
TABLE_THREE_COLUMNS = (*APPLICANT_COLUMNS, Column(TOTAL, "总计"))

NEW, CARRIED_IN, CARRIED_OUT = "new", "carried_in", "carried_out"
RESULTS_LABEL = "三、本年度办理结果"
TABLE_THREE_ROWS = (
    Row(NEW, "一、本年新收政府信息公开申请数量"),
    Row(CARRIED_IN, "二、上年结转政府信息公开申请数量"),
    *(
        Row(outcome.value, outcome_row_label(outcome))
        for group in OUTCOME_GROUPS
        for outcome in group.outcomes
    ),
    Row(TOTAL, "（七）总计"),
    Row(CARRIED_OUT, "四、结转下年度继续办理"),
)
OUTCOME_CODES = tuple(outcome.value for outcome in Outcome)

TABLE_FOUR_TITLE = SECTION_FOUR
LAWSUIT_HEADER = "行政诉讼"
PENDING = "pending"
TABLE_FOUR_RESULT_COLUMNS = (
    Column(CaseResult.UPHELD.value, "结果维持"),
    Column(CaseResult.CORRECTED.value, "结果纠正"),
    Column(CaseResult.OTHER.value, "其他结果"),
    Column(PENDING, "尚未审结"),
    Column(TOTAL, "总计"),
)
REVIEW, LAWSUIT_DIRECT, LAWSUIT_AFTER_REVIEW = "review", "lawsuit_direct", "lawsuit_after_review"
TABLE_FOUR_GROUPS = (
    Column(REVIEW, "行政复议"),
    Column(LAWSUIT_DIRECT, "未经复议直接起诉"),
    Column(LAWSUIT_AFTER_REVIEW, "复议后起诉"),
)


def paragraphs(text: str | None) -> list[str]:
    """Narrative text as paragraphs: every non-blank line is one (each is indented when printed)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def format_wan(amount: Decimal | int | str) -> str:
    """万元 with exactly four decimals, as the format requires."""
    return f"{Decimal(amount).quantize(FEE_PLACES)}"
