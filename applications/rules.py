"""The ledger's validation rules, one function and one message each.

Every rule fires with the same words wherever it is checked: the model's `clean()` (the
admin forms), the ledger import (applications/ledger_import.py, which adds the sheet,
row and column), and the database — each constraint's `violation_error_message` (and the
lawsuit trigger of migration 0002, through `message_for_database_error`) is the rule's
message. A rule function takes the values it needs and returns the violations, each
naming the field the message belongs to; no violation, an empty list.

Implements the ledger rules listed in README.md (开发 › 规则在哪里) and docs/fees.md (fees).
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError


class Violation(NamedTuple):
    field: str
    message: str


# The messages (one per rule) --------------------------------------------------------------

PARENT_NOT_SELF = "上级机关不能是本机关自己。"
NUMBER_UNIQUE_PER_OFFICE = "本机关已有相同申请编号的申请。"
ANSWERED_NOT_BEFORE_RECEIVED = "答复日期不能早于收到日期，请核对两个日期。"
OUTCOME_IFF_ANSWERED = (
    "答复日期和办理结果要么都填，要么都不填：已答复的请同时填写两项，尚未答复的两项都留空。"
)
CORRECTION_NOT_BEFORE_RECEIVED = "补正后收到日期不能早于收到日期，请核对两个日期。"
FEE_NOT_NEGATIVE = "信息处理费不能是负数。"
CLOCK_STOP_ENDS_AFTER_START = "结束日期不能早于开始日期。"
CONCLUDED_NOT_BEFORE_FILED = "结案日期不能早于立案日期，请核对两个日期。"
RESULT_IFF_CONCLUDED = (
    "结果和结案日期要么都填，要么都不填：已审结的请同时填写两项，尚未审结的两项都留空。"
)
LAWSUIT_AFTER_REVIEW_NEEDS_REVIEW = (
    "这件申请还没有登记行政复议，不能选择“经复议后起诉”：请先登记行政复议，或改为未经复议直接起诉。"
)

# What migration 0002's triggers raise when a lawsuit after review loses its review.
LAWSUIT_AFTER_REVIEW_TRIGGER = "lawsuit_after_review_requires_review"


# The rules -------------------------------------------------------------------------------


def parent_not_self(pk: int | None, parent_id: int | None) -> list[Violation]:
    if pk is not None and parent_id == pk:
        return [Violation("parent", PARENT_NOT_SELF)]
    return []


def answered_not_before_received(
    received_on: datetime.date | None, answered_on: datetime.date | None
) -> list[Violation]:
    if received_on and answered_on and answered_on < received_on:
        return [Violation("answered_on", ANSWERED_NOT_BEFORE_RECEIVED)]
    return []


def outcome_iff_answered(answered_on: datetime.date | None, outcome: str) -> list[Violation]:
    """An answered application has an outcome; one not yet answered has none."""
    if answered_on and not outcome:
        return [Violation("outcome", OUTCOME_IFF_ANSWERED)]
    if outcome and not answered_on:
        return [Violation("answered_on", OUTCOME_IFF_ANSWERED)]
    return []


def correction_not_before_received(
    received_on: datetime.date | None, correction_received_on: datetime.date | None
) -> list[Violation]:
    if received_on and correction_received_on and correction_received_on < received_on:
        return [Violation("correction_received_on", CORRECTION_NOT_BEFORE_RECEIVED)]
    return []


def fee_not_negative(fee_yuan: Decimal | None) -> list[Violation]:
    if fee_yuan is not None and fee_yuan < 0:
        return [Violation("fee_yuan", FEE_NOT_NEGATIVE)]
    return []


def clock_stop_ends_after_start(
    started_on: datetime.date | None, ended_on: datetime.date | None
) -> list[Violation]:
    if started_on and ended_on and ended_on < started_on:
        return [Violation("ended_on", CLOCK_STOP_ENDS_AFTER_START)]
    return []


def concluded_not_before_filed(
    filed_on: datetime.date | None, concluded_on: datetime.date | None
) -> list[Violation]:
    if filed_on and concluded_on and concluded_on < filed_on:
        return [Violation("concluded_on", CONCLUDED_NOT_BEFORE_FILED)]
    return []


def result_iff_concluded(concluded_on: datetime.date | None, result: str) -> list[Violation]:
    """A concluded review or lawsuit has a result; an open one has none."""
    if concluded_on and not result:
        return [Violation("result", RESULT_IFF_CONCLUDED)]
    if result and not concluded_on:
        return [Violation("concluded_on", RESULT_IFF_CONCLUDED)]
    return []


def lawsuit_after_review_needs_review(after_review: bool, has_review: bool) -> list[Violation]:
    """A lawsuit brought after review (经复议后起诉) needs a review of the same application."""
    if after_review and not has_review:
        return [Violation("after_review", LAWSUIT_AFTER_REVIEW_NEEDS_REVIEW)]
    return []


# Raising and translating -----------------------------------------------------------------


def raise_violations(*checks: list[Violation]) -> None:
    """Raise one ValidationError with every violation under its field (for `clean()`)."""
    errors: dict[str, list[str]] = {}
    for violations in checks:
        for violation in violations:
            errors.setdefault(violation.field, []).append(violation.message)
    if errors:
        raise ValidationError(errors)


def message_for_database_error(error: Exception) -> str | None:
    """The rule's message for a database error one of the ledger's triggers raised, if any."""
    if LAWSUIT_AFTER_REVIEW_TRIGGER in str(error):
        return LAWSUIT_AFTER_REVIEW_NEEDS_REVIEW
    return None
