"""The official taxonomies, defined once with the exact labels of the national format.

Everything else (models, forms, reports, imports, exports) imports these; nobody types
a label or an outcome code anywhere else.

Implements docs/report-format.md §Table 三 and §Table 四 (rows, outcome codes, results).
"""

from dataclasses import dataclass

from django.db import models


class OrganizationKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", "街道办事处"
    TOWNSHIP = "township", "乡镇人民政府"
    COUNTY = "county", "区县人民政府"
    DEPARTMENT = "department", "政府部门"
    OTHER = "other", "其他"


class ApplicantType(models.TextChoices):
    """The six applicant columns of table 三, in the official order."""

    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_WELFARE = "public_welfare", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    """申请方式; it decides how 收到日期 is fixed (条例第三十一条)."""

    IN_PERSON = "in_person", "当面"
    REGISTERED_MAIL = "registered_mail", "邮寄"
    ORDINARY_LETTER = "ordinary_letter", "平常信函"
    ONLINE = "online", "网络"
    FAX = "fax", "传真"
    OTHER = "other", "其他"


class Outcome(models.TextChoices):
    """The 21 leaf outcomes of table 三; the value is gongkai's outcome code."""

    DISCLOSED = "1", "予以公开"
    PARTLY_DISCLOSED = "2", "部分公开（区分处理的，只计这一情形，不计其他情形）"
    STATE_SECRET = "3.1", "属于国家秘密"
    PROHIBITED_BY_LAW = "3.2", "其他法律行政法规禁止公开"
    ENDANGERS_SECURITY = "3.3", "危及“三安全一稳定”"
    THIRD_PARTY_RIGHTS = "3.4", "保护第三方合法权益"
    INTERNAL_AFFAIRS = "3.5", "属于三类内部事务信息"
    PROCESS_INFORMATION = "3.6", "属于四类过程性信息"
    ENFORCEMENT_FILE = "3.7", "属于行政执法案卷"
    INQUIRY_MATTER = "3.8", "属于行政查询事项"
    NOT_HELD = "4.1", "本机关不掌握相关政府信息"
    NEEDS_CREATION = "4.2", "没有现成信息需要另行制作"
    STILL_UNCLEAR = "4.3", "补正后申请内容仍不明确"
    PETITION = "5.1", "信访举报投诉类申请"
    REPEATED = "5.2", "重复申请"
    PUBLICATION = "5.3", "要求提供公开出版物"
    MASS_REPEATED = "5.4", "无正当理由大量反复申请"
    CONFIRMATION = "5.5", "要求行政机关确认或重新出具已获取信息"
    NO_CORRECTION = "6.1", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    FEE_NOT_PAID = "6.2", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    OTHER = "6.3", "其他"


@dataclass(frozen=True)
class OutcomeGroup:
    """One of the six groups （一）…（六） of 三、本年度办理结果."""

    code: str
    numeral: str
    title: str
    outcomes: tuple

    @property
    def label(self):
        return f"（{self.numeral}）{self.title}"

    @property
    def has_items(self):
        """Groups （三）–（六） list numbered sub-rows; （一） and （二） are one row each."""
        return len(self.outcomes) > 1 or self.code in {"3", "4", "5", "6"}


OUTCOME_GROUPS = (
    OutcomeGroup("1", "一", "予以公开", (Outcome.DISCLOSED,)),
    OutcomeGroup(
        "2", "二", "部分公开（区分处理的，只计这一情形，不计其他情形）", (Outcome.PARTLY_DISCLOSED,)
    ),
    OutcomeGroup(
        "3",
        "三",
        "不予公开",
        (
            Outcome.STATE_SECRET,
            Outcome.PROHIBITED_BY_LAW,
            Outcome.ENDANGERS_SECURITY,
            Outcome.THIRD_PARTY_RIGHTS,
            Outcome.INTERNAL_AFFAIRS,
            Outcome.PROCESS_INFORMATION,
            Outcome.ENFORCEMENT_FILE,
            Outcome.INQUIRY_MATTER,
        ),
    ),
    OutcomeGroup(
        "4", "四", "无法提供", (Outcome.NOT_HELD, Outcome.NEEDS_CREATION, Outcome.STILL_UNCLEAR)
    ),
    OutcomeGroup(
        "5",
        "五",
        "不予处理",
        (
            Outcome.PETITION,
            Outcome.REPEATED,
            Outcome.PUBLICATION,
            Outcome.MASS_REPEATED,
            Outcome.CONFIRMATION,
        ),
    ),
    OutcomeGroup(
        "6", "六", "其他处理", (Outcome.NO_CORRECTION, Outcome.FEE_NOT_PAID, Outcome.OTHER)
    ),
)

OUTCOME_GROUP_CHOICES = [(group.code, group.label) for group in OUTCOME_GROUPS]


def outcome_group(outcome):
    """The group an outcome code belongs to ('3.4' -> group （三）)."""
    return next(group for group in OUTCOME_GROUPS if outcome in group.outcomes)


def outcome_row_label(outcome):
    """The label of the outcome's row in table 三 ('3.4' -> '4.保护第三方合法权益')."""
    outcome = Outcome(outcome)
    group = outcome_group(outcome)
    if not group.has_items:
        return group.label
    return f"{group.outcomes.index(outcome) + 1}.{outcome.label}"


def outcome_full_label(outcome):
    """Group and item together, for lists and messages ('（三）不予公开 · 4.保护第三方合法权益')."""
    outcome = Outcome(outcome)
    group = outcome_group(outcome)
    if not group.has_items:
        return group.label
    return f"{group.label} · {outcome_row_label(outcome)}"


def outcome_grouped_choices():
    """办理结果 for a drop-down: one optgroup per group （一）–（六）, each item with its full label."""
    return [
        (group.label, [(outcome.value, outcome_full_label(outcome)) for outcome in group.outcomes])
        for group in OUTCOME_GROUPS
    ]


class CaseResult(models.TextChoices):
    """Result of a review or lawsuit, as table 四 groups it; blank while the case is open."""

    UPHELD = "upheld", "维持"
    CORRECTED = "corrected", "纠正"
    OTHER = "other", "其他"


class ClockStopKind(models.TextChoices):
    """Periods that do not count towards the answer deadline (条例第三十二条、第四十二条)."""

    THIRD_PARTY_OPINION = "third_party_opinion", "征求第三方意见"
    OTHER_OFFICE_OPINION = "other_office_opinion", "征求其他机关意见"
    FEE_NOTICE = "fee_notice", "收费通知到缴费"
