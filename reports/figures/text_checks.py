"""The report's text against its tables, as a careful reader checks a published report.

Every figure the narrative states about applications — 收到/新收, 上年结转, 结转下年度,
予以公开 / 部分公开 / 不予公开 …, 行政复议 N件, 行政诉讼 N件, 收取信息处理费 N件 / 金额,
行政事业性收费 N万元 — is compared with the tables; "没有收到…申请" with a non-zero 新收 and
"未收取信息处理费" with fees recorded are flagged; an empty (or "无") section 五 is
flagged. Each finding quotes the sentence, says where it stands, and names the cell.

`text_checks(report, texts, ref=None)` is pure: `texts` is [(where, text)] — a section of
the office's narrative, or a cell of a submitted workbook — and `ref` may name a figure's
cell in a workbook ((table, row, column) -> "表三!J6").
"""

import re
from dataclasses import dataclass

from applications.choices import OUTCOME_GROUPS

from ..models import OVERVIEW_PARTS
from .checks import FAIL, PASS, WARNING, CheckResult
from .numerals import agrees, counts, money
from .tables import (
    CARRIED_IN,
    CARRIED_OUT,
    LAWSUIT_AFTER_REVIEW,
    LAWSUIT_DIRECT,
    NEW,
    REVIEW,
    TOTAL,
)

SECTION_LABELS = dict(OVERVIEW_PARTS) | {
    "problems": "五、存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n")
CLAUSE_END = re.compile(r"[，,、：:]")
NOTHING = re.compile(r"(没有|未|无)(收到|受理|新收)[^，。]*申请")
NO_FEES = re.compile(r"(未|没有|不)收取(任何)?信息处理费")


@dataclass(frozen=True)
class Topic:
    """A figure the text may state: the words that name it, where it is in the tables."""

    pattern: str
    label: str
    keys: tuple  # (table, row, column) of the cells it is the sum of
    needs: str = ""  # a word the sentence must also hold


def _group(group):
    keys = tuple(("three", outcome.value, TOTAL) for outcome in group.outcomes)
    return Topic("", f"表三“{group.label}”的总计", keys)


GROUPS = {group.code: _group(group) for group in OUTCOME_GROUPS}
TOPICS = (
    Topic(
        "上年结转", "表三“二、上年结转政府信息公开申请数量”的总计", (("three", CARRIED_IN, TOTAL),)
    ),
    Topic(
        "结转(至|到)?下(一)?年",
        "表三“四、结转下年度继续办理”的总计",
        (("three", CARRIED_OUT, TOTAL),),
    ),
    Topic("部分公开", GROUPS["2"].label, GROUPS["2"].keys),
    Topic("不予公开", GROUPS["3"].label, GROUPS["3"].keys),
    Topic("予以公开|全部公开", GROUPS["1"].label, GROUPS["1"].keys),
    Topic("无法提供", GROUPS["4"].label, GROUPS["4"].keys),
    Topic("不予处理", GROUPS["5"].label, GROUPS["5"].keys),
    Topic("其他处理", GROUPS["6"].label, GROUPS["6"].keys),
    Topic("行政复议", "表四“行政复议”的总计", (("four", REVIEW, TOTAL),)),
    Topic(
        "行政诉讼",
        "表四“未经复议直接起诉”和“复议后起诉”的总计之和",
        (("four", LAWSUIT_DIRECT, TOTAL), ("four", LAWSUIT_AFTER_REVIEW, TOTAL)),
    ),
    Topic("信息处理费", "收取信息处理费的件数（信息处理费记录）", (("fees", "count", ""),)),
    Topic("办结|办理完毕|答复完毕", "表三“（七）总计”的总计", (("three", TOTAL, TOTAL),), "申请"),
    Topic(
        "新收|收到|受理",
        "表三“一、本年新收政府信息公开申请数量”的总计",
        (("three", NEW, TOTAL),),
        "申请",
    ),
)
FEE_MONEY = Topic(
    "信息处理费", "收取信息处理费的金额（信息处理费记录）", (("fees", "total_yuan", ""),)
)
CHARGES = Topic(
    "行政事业性收费",
    "表二“行政事业性收费”的本年收费金额",
    (("two", "fees", "amount_wan"),),
)


def figure(report, key):
    """The figure of a report at a (table, row, column) key, in 元 for money."""
    table, row, column = key
    if table == "three":
        return report.table_three.values[row][column]
    if table == "four":
        return report.table_four.values[row][column]
    if table == "fees":
        return getattr(report.fees, row)
    return report.table_two.values[row][column] * 10_000


def sentences(text):
    return [part.strip() for part in SENTENCE_END.split(text or "") if part and part.strip()]


def topic_of(clause, sentence):
    for topic in TOPICS:
        if re.search(topic.pattern, clause) and (not topic.needs or topic.needs in sentence):
            return topic
    return None


def _stated(status, sentence, where, amount, topic, actual, ref):
    cells = "、".join(ref(key) for key in topic.keys if ref and ref(key))
    shown = f"{actual}元" if topic in (FEE_MONEY, CHARGES) else f"{actual}"
    return (
        status,
        f"“{sentence}”（{where}）：文字为“{amount.text}”，{topic.label}是{shown}"
        + (f"（{cells}）" if cells else "")
        + "。",
    )


def _compare(report, sentence, where, topic, amount, ref):
    actual = sum(figure(report, key) for key in topic.keys)
    if agrees(amount, actual):
        return []
    status = WARNING if amount.about else FAIL
    return [_stated(status, sentence, where, amount, topic, actual, ref)]


def sentence_findings(report, sentence, where, ref=None):
    """(status, detail) for each figure of one sentence that disagrees with the tables."""
    found = []
    for clause in CLAUSE_END.split(sentence):
        topic = topic_of(clause, sentence)
        stated = counts(clause) if topic else []
        if stated:
            found += _compare(report, sentence, where, topic, stated[0], ref)
    for topic in (FEE_MONEY, CHARGES):
        if topic.pattern in sentence and not NO_FEES.search(sentence):
            for amount in money(sentence)[:1]:
                found += _compare(report, sentence, where, topic, amount, ref)
    new = figure(report, ("three", NEW, TOTAL))
    if NOTHING.search(sentence) and new:
        found.append(
            (
                FAIL,
                f"“{sentence}”（{where}）：文字说没有收到申请，表三“一、本年新收政府信息公开申请数量”的总计是{new}。",
            )
        )
    if NO_FEES.search(sentence) and report.fees.count:
        found.append(
            (
                FAIL,
                f"“{sentence}”（{where}）：文字说未收取信息处理费，信息处理费记录有{report.fees.count}件、合计{report.fees.total_yuan}元。",
            )
        )
    return found


def text_checks(report, texts, ref=None):
    """The check of the text against the tables, over [(where, text)]."""
    findings = [
        finding
        for where, text in texts
        for sentence in sentences(text)
        for finding in sentence_findings(report, sentence, where, ref)
    ]
    statuses = {status for status, _ in findings}
    status = FAIL if FAIL in statuses else WARNING if findings else PASS
    return CheckResult(
        "text_against_tables",
        "文字部分所述数字与表格一致",
        status,
        "文字部分写到的申请、办理结果、行政复议、行政诉讼和收费的数字，应与表格一致。"
        + (
            "以下句子与表格不一致（写“余”“多”“约”“近”的按大约核对），请修改文字或核对表格。"
            if findings
            else "没有发现不一致。"
        ),
        [detail for _, detail in findings],
    )


def section_five_empty(text):
    """Whether 五、存在的主要问题及改进情况 says nothing: empty, or only "无" (or the like)."""
    return (text or "").strip().rstrip("。.") in ("", "无", "没有", "暂无")


def section_five_check(text):
    """五、存在的主要问题及改进情况 should say something: empty or "无" is flagged."""
    empty = section_five_empty(text)
    return CheckResult(
        "section_five_written",
        "报告第五部分写明了存在的主要问题及改进情况",
        WARNING if empty else PASS,
        "这一节空白或只写了“无”。国家格式要求报告存在的主要问题和改进情况，请补写。"
        if empty
        else "已填写。",
        [f"{SECTION_LABELS['problems']}：“{(text or '').strip()}”"] if empty and text else [],
    )


def narrative_checks(report, narrative):
    """The text checks of an office's own report (its narrative dict), before sign-off."""
    texts = [(SECTION_LABELS[name], narrative.get(name, "")) for name in SECTION_LABELS]
    return [text_checks(report, texts), section_five_check(narrative.get("problems"))]
