"""A hand-made ledger for the annual-report tests, with its tables worked out by hand.

Applications of 学府街道 (column in brackets: 自然人 NP, 商业企业 C, 科研机构 R, 社会公益组织 PW,
法律服务机构 L, 其他 OT):

  a_dec31    [NP] received 2021-12-31, answered 2022-01-02, 1 予以公开
  same_day   [C]  received 2021-03-01, answered 2021-03-01, 1 予以公开, fee 100.00 元
  withdrawn  [NP] received 2021-04-01, answered 2021-04-20, 6.3 其他 (the applicant withdrew)
  partly     [L]  received 2021-05-10, answered 2021-06-01, 2 部分公开, fee 20.50 元
  from_2020  [R]  received 2020-12-15, answered 2021-01-10, 3.4 保护第三方合法权益
  old_2020   [NP] received 2020-06-01, answered 2020-06-20, 1 予以公开
  open       [PW] received 2021-11-20, never answered
  from_2019  [OT]  received 2019-05-05, answered 2021-02-02, 4.1 本机关不掌握相关政府信息
  in_2022    [NP] received 2022-01-05, answered 2022-01-10, 5.2 重复申请
  fee_unpaid [NP] received 2021-07-01, answered 2021-07-15, 6.2 逾期未缴费
  elsewhere  an application of 开元路街道 received and answered in 2021 (never counted here)

Reviews and lawsuits:

  review_2021     on withdrawn: filed 2021-05-01, upheld 2021-08-01
  review_across   on partly:    filed 2021-11-01, corrected 2022-02-01
  review_2020     on old_2020:  filed 2020-03-01, other 2020-09-01
  review_open     on from_2019: filed 2020-10-01, still open
  lawsuit_after   on withdrawn, after review_2021: filed 2021-09-01, upheld 2021-12-31
  lawsuit_direct  on same_day:  filed 2021-06-01, other 2022-01-05
  lawsuit_jan1    on old_2020:  filed 2020-05-01, corrected 2021-01-01
  lawsuit_2022    on partly, after review_across: filed 2022-03-01, still open
  (and a review of 开元路街道, never counted here)

Documents: regulation issued 2019-03-01; normative issued 2021-02-01; normative 2018-01-01
abolished 2021-06-30; normative issued 2021-03-01 abolished 2021-12-31; regulation issued
2022-01-01; a regulation of 开元路街道 issued 2021.
"""

import datetime
from decimal import Decimal

import pytest

from accounts.roles import CLERK, OFFICIAL
from applications.choices import ApplicantType, CaseResult, Outcome
from reports.models import AnnualFigures, DocumentKind, NormativeDocument, ReportNarrative
from tests.support.factories import make_application, make_lawsuit, make_review, make_user

D = datetime.date
NP, C, R, PW, L, OT = (
    ApplicantType.NATURAL_PERSON,
    ApplicantType.COMMERCIAL,
    ApplicantType.RESEARCH,
    ApplicantType.PUBLIC_WELFARE,
    ApplicantType.LEGAL_SERVICE,
    ApplicantType.OTHER,
)

# Table 三, columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
ZERO = [0, 0, 0, 0, 0, 0, 0]
EXPECTED_THREE = {
    2020: {
        "new": [1, 0, 1, 0, 0, 0, 2],  # old_2020, from_2020
        "carried_in": [0, 0, 0, 0, 0, 1, 1],  # from_2019
        "1": [1, 0, 0, 0, 0, 0, 1],  # old_2020
        "2": ZERO,
        "3.1": ZERO,
        "3.2": ZERO,
        "3.3": ZERO,
        "3.4": ZERO,
        "3.5": ZERO,
        "3.6": ZERO,
        "3.7": ZERO,
        "3.8": ZERO,
        "4.1": ZERO,
        "4.2": ZERO,
        "4.3": ZERO,
        "5.1": ZERO,
        "5.2": ZERO,
        "5.3": ZERO,
        "5.4": ZERO,
        "5.5": ZERO,
        "6.1": ZERO,
        "6.2": ZERO,
        "6.3": ZERO,
        "total": [1, 0, 0, 0, 0, 0, 1],
        "carried_out": [0, 0, 1, 0, 0, 1, 2],  # from_2020, from_2019
    },
    2021: {
        "new": [3, 1, 0, 1, 1, 0, 6],  # a_dec31, withdrawn, fee_unpaid; same_day; open; partly
        "carried_in": [0, 0, 1, 0, 0, 1, 2],  # from_2020; from_2019
        "1": [0, 1, 0, 0, 0, 0, 1],  # same_day (answered the day it arrived)
        "2": [0, 0, 0, 0, 1, 0, 1],  # partly
        "3.1": ZERO,
        "3.2": ZERO,
        "3.3": ZERO,
        "3.4": [0, 0, 1, 0, 0, 0, 1],  # from_2020
        "3.5": ZERO,
        "3.6": ZERO,
        "3.7": ZERO,
        "3.8": ZERO,
        "4.1": [0, 0, 0, 0, 0, 1, 1],  # from_2019
        "4.2": ZERO,
        "4.3": ZERO,
        "5.1": ZERO,
        "5.2": ZERO,
        "5.3": ZERO,
        "5.4": ZERO,
        "5.5": ZERO,
        "6.1": ZERO,
        "6.2": [1, 0, 0, 0, 0, 0, 1],  # fee_unpaid
        "6.3": [1, 0, 0, 0, 0, 0, 1],  # withdrawn
        "total": [2, 1, 1, 0, 1, 1, 6],
        "carried_out": [1, 0, 0, 1, 0, 0, 2],  # a_dec31; open
    },
    2022: {
        "new": [1, 0, 0, 0, 0, 0, 1],  # in_2022
        "carried_in": [1, 0, 0, 1, 0, 0, 2],  # a_dec31; open
        "1": [1, 0, 0, 0, 0, 0, 1],  # a_dec31, answered 2 Jan
        "2": ZERO,
        "3.1": ZERO,
        "3.2": ZERO,
        "3.3": ZERO,
        "3.4": ZERO,
        "3.5": ZERO,
        "3.6": ZERO,
        "3.7": ZERO,
        "3.8": ZERO,
        "4.1": ZERO,
        "4.2": ZERO,
        "4.3": ZERO,
        "5.1": ZERO,
        "5.2": [1, 0, 0, 0, 0, 0, 1],  # in_2022
        "5.3": ZERO,
        "5.4": ZERO,
        "5.5": ZERO,
        "6.1": ZERO,
        "6.2": ZERO,
        "6.3": ZERO,
        "total": [2, 0, 0, 0, 0, 0, 2],
        "carried_out": [0, 0, 0, 1, 0, 0, 1],  # open
    },
}

# Table 四: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计 for 行政复议, 未经复议直接起诉, 复议后起诉.
EXPECTED_FOUR = {
    2020: {
        "review": [0, 0, 1, 1, 2],  # review_2020 other; review_open
        "lawsuit_direct": [0, 0, 0, 1, 1],  # lawsuit_jan1 still open at 31 Dec 2020
        "lawsuit_after_review": [0, 0, 0, 0, 0],
    },
    2021: {
        "review": [1, 0, 0, 2, 3],  # review_2021 upheld; review_across, review_open pending
        "lawsuit_direct": [
            0,
            1,
            0,
            1,
            2,
        ],  # lawsuit_jan1 corrected on 1 Jan; lawsuit_direct pending
        "lawsuit_after_review": [1, 0, 0, 0, 1],  # lawsuit_after upheld on 31 Dec
    },
    2022: {
        "review": [0, 1, 0, 1, 2],  # review_across corrected; review_open pending
        "lawsuit_direct": [0, 0, 1, 0, 1],  # lawsuit_direct other
        "lawsuit_after_review": [0, 0, 0, 1, 1],  # lawsuit_2022 pending
    },
}

# Table 二: (本年制发, 本年废止, 现行有效) per kind; decisions; fee in 万元.
EXPECTED_TWO = {
    2020: {
        "regulation": (0, 0, 1),
        "normative_document": (0, 0, 1),
        "licensing": 5,
        "penalty": 0,
        "coercion": 2,
        "fees": "0.0300",
    },
    2021: {
        "regulation": (0, 0, 1),
        "normative_document": (2, 2, 1),
        "licensing": 12,
        "penalty": 3,
        "coercion": 1,
        "fees": "0.1250",
    },
    2022: {
        "regulation": (1, 0, 2),
        "normative_document": (0, 0, 1),
        "licensing": 0,
        "penalty": 0,
        "coercion": 0,
        "fees": "0.0000",
    },
}

THREE_COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "public_welfare",
    "legal_service",
    "other",
    "total",
]
FOUR_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]

FORMULA = '=HYPERLINK("http://x","y")'


def expected_three(year):
    return {
        row: dict(zip(THREE_COLUMNS, values, strict=False))
        for row, values in EXPECTED_THREE[year].items()
    }


def expected_four(year):
    return {
        group: dict(zip(FOUR_COLUMNS, values, strict=False))
        for group, values in EXPECTED_FOUR[year].items()
    }


def build_ledger(office, other_office):
    def app(name, received, kind, answered=None, outcome="", fee=None, organization=office):
        return make_application(
            organization,
            received_on=received,
            applicant_type=kind,
            applicant_name=name,
            content="申请公开辖区老旧小区改造项目清单",
            answered_on=answered,
            outcome=outcome,
            fee_yuan=fee,
        )

    records = {
        "a_dec31": app("张三", D(2021, 12, 31), NP, D(2022, 1, 2), Outcome.DISCLOSED),
        "same_day": app(
            "洛阳某建设有限公司",
            D(2021, 3, 1),
            C,
            D(2021, 3, 1),
            Outcome.DISCLOSED,
            Decimal("100.00"),
        ),
        "withdrawn": app("李四", D(2021, 4, 1), NP, D(2021, 4, 20), Outcome.OTHER),
        "partly": app(
            "河南某律师事务所",
            D(2021, 5, 10),
            L,
            D(2021, 6, 1),
            Outcome.PARTLY_DISCLOSED,
            Decimal("20.50"),
        ),
        "from_2020": app(
            "某大学城市研究所", D(2020, 12, 15), R, D(2021, 1, 10), Outcome.THIRD_PARTY_RIGHTS
        ),
        "old_2020": app("王五", D(2020, 6, 1), NP, D(2020, 6, 20), Outcome.DISCLOSED),
        "open": app("某公益协会", D(2021, 11, 20), PW),
        "from_2019": app("某村民委员会", D(2019, 5, 5), OT, D(2021, 2, 2), Outcome.NOT_HELD),
        "in_2022": app("赵六", D(2022, 1, 5), NP, D(2022, 1, 10), Outcome.REPEATED),
        "fee_unpaid": app("钱七", D(2021, 7, 1), NP, D(2021, 7, 15), Outcome.FEE_NOT_PAID),
        "elsewhere": app(
            "孙八",
            D(2021, 6, 1),
            NP,
            D(2021, 6, 5),
            Outcome.DISCLOSED,
            Decimal("40.00"),
            other_office,
        ),
    }
    review, lawsuit = make_review, make_lawsuit
    records.update(
        review_2021=review(
            application=records["withdrawn"],
            filed_on=D(2021, 5, 1),
            result=CaseResult.UPHELD,
            concluded_on=D(2021, 8, 1),
        ),
        review_across=review(
            application=records["partly"],
            filed_on=D(2021, 11, 1),
            result=CaseResult.CORRECTED,
            concluded_on=D(2022, 2, 1),
        ),
        review_2020=review(
            application=records["old_2020"],
            filed_on=D(2020, 3, 1),
            result=CaseResult.OTHER,
            concluded_on=D(2020, 9, 1),
        ),
        review_open=review(application=records["from_2019"], filed_on=D(2020, 10, 1)),
        review_elsewhere=review(application=records["elsewhere"], filed_on=D(2021, 7, 1)),
    )
    records.update(
        lawsuit_after=lawsuit(
            application=records["withdrawn"],
            filed_on=D(2021, 9, 1),
            after_review=True,
            result=CaseResult.UPHELD,
            concluded_on=D(2021, 12, 31),
        ),
        lawsuit_direct=lawsuit(
            application=records["same_day"],
            filed_on=D(2021, 6, 1),
            result=CaseResult.OTHER,
            concluded_on=D(2022, 1, 5),
        ),
        lawsuit_jan1=lawsuit(
            application=records["old_2020"],
            filed_on=D(2020, 5, 1),
            result=CaseResult.CORRECTED,
            concluded_on=D(2021, 1, 1),
        ),
        lawsuit_2022=lawsuit(
            application=records["partly"], filed_on=D(2022, 3, 1), after_review=True
        ),
    )
    document = NormativeDocument.objects.create
    records.update(
        regulation=document(
            organization=office,
            number="学府办〔2019〕1号",
            title="学府街道管理规定",
            kind=DocumentKind.REGULATION,
            issued_on=D(2019, 3, 1),
        ),
        normative_2021=document(
            organization=office,
            number="学府办〔2021〕2号",
            title="环境卫生管理办法",
            kind=DocumentKind.NORMATIVE_DOCUMENT,
            issued_on=D(2021, 2, 1),
        ),
        normative_abolished=document(
            organization=office,
            number="学府办〔2018〕1号",
            title="网格化管理办法",
            kind=DocumentKind.NORMATIVE_DOCUMENT,
            issued_on=D(2018, 1, 1),
            abolished_on=D(2021, 6, 30),
        ),
        normative_short=document(
            organization=office,
            number="学府办〔2021〕6号",
            title="临时管理办法",
            kind=DocumentKind.NORMATIVE_DOCUMENT,
            issued_on=D(2021, 3, 1),
            abolished_on=D(2021, 12, 31),
        ),
        regulation_2022=document(
            organization=office,
            number="学府办〔2022〕1号",
            title="新规定",
            kind=DocumentKind.REGULATION,
            issued_on=D(2022, 1, 1),
        ),
        document_elsewhere=document(
            organization=other_office,
            number="开元办〔2021〕1号",
            title="开元路规定",
            kind=DocumentKind.REGULATION,
            issued_on=D(2021, 5, 1),
        ),
    )
    figures = AnnualFigures.objects.create
    records.update(
        figures_2020=figures(
            organization=office,
            year=2020,
            licensing_decisions=5,
            coercion_decisions=2,
            fee_amount_wan=Decimal("0.03"),
        ),
        figures_2021=figures(
            organization=office,
            year=2021,
            licensing_decisions=12,
            penalty_decisions=3,
            coercion_decisions=1,
            fee_amount_wan=Decimal("0.1250"),
        ),
        figures_elsewhere=figures(
            organization=other_office,
            year=2021,
            licensing_decisions=100,
            fee_amount_wan=Decimal("9.9999"),
        ),
        narrative_2021=ReportNarrative.objects.create(
            organization=office,
            year=2021,
            active_disclosure="全年主动公开各类信息500余条。",
            on_request="严格按照条例规定的期限答复。",
            information_management="建立健全政府信息管理动态调整机制。",
            platform="依托区政府网站平台公开工作动态。",
            oversight="把政府信息公开列入考核制度。",
            problems="政府信息公开时效性还需要提高。",
            other_matters="无其他需要报告的事项。",
        ),
    )
    return records


@pytest.fixture
def ledger(office, other_office):
    return build_ledger(office, other_office)


@pytest.fixture
def reviewer(db, office):
    """An official of 学府街道 who may sign off reports (审核人)."""
    return make_user("shenhe", office, [OFFICIAL], is_staff=False, first_name="李审核")


@pytest.fixture
def clerk(db, office):
    """A clerk of 学府街道 (登记员): reads the report page, may neither download nor sign off."""
    return make_user("dengji", office, [CLERK], is_staff=False)


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client
