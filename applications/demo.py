"""Demo ledger for a newcomer: the sample report's office with four years of realistic applications.

Deterministic (a fixed random seed) and keyed by 申请编号, so loading it twice adds nothing.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .choices import ApplicantType, CaseResult, Channel, ClockStopKind, OrganizationKind, Outcome
from .models import AdministrativeReview, Application, ClockStop, Lawsuit, Organization

DISTRICT_NAME = "洛阳市洛龙区人民政府"
OFFICE_NAME = "洛阳市洛龙区学府街道办事处"
OFFICE_SHORT_NAME = "学府街道"
# The years of the sample reports (each with its narrative, reports/demo.py).
DEMO_YEARS = (2020, 2021, 2022, 2023)
APPLICATIONS_PER_YEAR = {2020: 62, 2021: 75, 2022: 88, 2023: 70}
# After them the ledger runs on up to today, a little thinner: every year from 2024, and this
# year up to a few weeks ago, all answered, so that no stale application sits overdue.
FIRST_RECENT_YEAR = 2024
RECENT_APPLICATIONS_PER_YEAR = 40
# This year's applications stop this many days before today: all are answered by now.
SETTLED_DAYS = 70


def ledger_years(today):
    """(year, number of applications, last day-of-year offset) for every demo year up to today."""
    years = [(year, APPLICATIONS_PER_YEAR[year], 364) for year in DEMO_YEARS]
    for year in range(FIRST_RECENT_YEAR, today.year + 1):
        last = min(364, (today - datetime.date(year, 1, 1)).days - SETTLED_DAYS)
        if last >= 30:
            count = RECENT_APPLICATIONS_PER_YEAR * (last + 1) // 365
            years.append((year, max(count, len(Outcome)), last))
    return years


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN_NAMES = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
]
ORGANIZATION_NAMES = {
    ApplicantType.COMMERCIAL: [
        "洛阳市明远置业有限公司",
        "河南洛龙建设工程有限公司",
        "洛阳恒达物业服务有限公司",
        "洛阳市学府商贸有限公司",
    ],
    ApplicantType.RESEARCH: ["洛阳理工学院城市治理研究所", "河南科技大学公共管理研究中心"],
    ApplicantType.PUBLIC_WELFARE: ["洛阳市绿色家园环保志愿者协会", "洛龙区助残公益服务中心"],
    ApplicantType.LEGAL_SERVICE: [
        "河南洛正律师事务所",
        "洛阳市洛龙区法律援助中心",
        "河南中豫律师事务所洛阳分所",
    ],
    ApplicantType.OTHER: ["学府街道翠湖社区业主委员会", "洛龙区个体劳动者协会"],
}
TOPICS = [
    "申请公开{year}年辖区老旧小区改造项目清单及资金使用情况",
    "申请公开本人房屋所在地块的征收补偿安置方案",
    "申请公开{year}年街道办事处财政预算、决算及“三公”经费",
    "申请公开辖区违法建设拆除的执法依据和处理决定",
    "申请公开学府街道城中村改造项目的立项批复文件",
    "申请公开{year}年度最低生活保障对象名单及审批程序",
    "申请公开辖区某路段道路施工的审批手续",
    "申请公开街道办事处与物业公司签订的委托管理协议",
    "申请公开{year}年环境卫生整治工作方案",
    "申请公开辖区农贸市场规划选址相关文件",
    "申请公开社区网格员招聘的条件、程序和结果",
    "申请公开本人所在村集体土地流转合同",
]
# Outcome weights roughly as published reports show them: most disclosed or not held.
OUTCOME_WEIGHTS = {
    Outcome.DISCLOSED: 30,
    Outcome.PARTLY_DISCLOSED: 12,
    Outcome.NOT_HELD: 16,
    Outcome.NEEDS_CREATION: 4,
    Outcome.PETITION: 5,
    Outcome.REPEATED: 4,
    Outcome.OTHER: 5,
}
APPLICANT_WEIGHTS = {
    ApplicantType.NATURAL_PERSON: 70,
    ApplicantType.COMMERCIAL: 12,
    ApplicantType.RESEARCH: 3,
    ApplicantType.PUBLIC_WELFARE: 3,
    ApplicantType.LEGAL_SERVICE: 8,
    ApplicantType.OTHER: 4,
}


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _applicant(rng, applicant_type):
    if applicant_type == ApplicantType.NATURAL_PERSON:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
        id_number = f"410311{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 9999):04d}"
    else:
        name = rng.choice(ORGANIZATION_NAMES[applicant_type])
        id_number = "91410300" + "".join(
            rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10)
        )
    phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
    return name, id_number, phone


def _plan_year(rng, year, count, last_offset=364):
    """The applications of one demo year, as dicts of field values (plus demo-only keys)."""
    # Every outcome at least once a year, the rest drawn by weight.
    outcomes = list(Outcome) + [
        _weighted(rng, OUTCOME_WEIGHTS) for _ in range(count - len(Outcome))
    ]
    rng.shuffle(outcomes)
    applicant_types = list(ApplicantType) + [
        _weighted(rng, APPLICANT_WEIGHTS) for _ in range(count - len(ApplicantType))
    ]
    rng.shuffle(applicant_types)
    days = sorted(rng.randrange(0, last_offset + 1) for _ in range(count))
    planned = []
    for sequence, (offset, outcome, applicant_type) in enumerate(
        zip(days, outcomes, applicant_types, strict=False), start=1
    ):
        received_on = datetime.date(year, 1, 1) + datetime.timedelta(days=offset)
        name, id_number, phone = _applicant(rng, applicant_type)
        corrected = outcome == Outcome.STILL_UNCLEAR or rng.random() < 0.06
        correction_received_on = (
            received_on + datetime.timedelta(days=rng.randint(3, 12)) if corrected else None
        )
        extended = rng.random() < 0.12
        base = correction_received_on or received_on
        answered_on = base + datetime.timedelta(days=rng.randint(0, 27) + (18 if extended else 0))
        planned.append(
            {
                "number": f"{OFFICE_SHORT_NAME}〔{year}〕{sequence}号",
                "received_on": received_on,
                "channel": rng.choice(Channel.values),
                "applicant_type": applicant_type,
                "applicant_name": name,
                "applicant_id_number": id_number,
                "applicant_phone": phone,
                "applicant_address": f"洛阳市洛龙区学府街道{rng.choice(['翠湖', '学府', '龙门', '开元'])}社区{rng.randint(1, 30)}号楼",
                "content": rng.choice(TOPICS).format(year=year - 1),
                "correction_received_on": correction_received_on,
                "extended": extended,
                "answered_on": answered_on,
                "outcome": outcome if answered_on else "",
                "fee_yuan": Decimal(rng.choice([100, 200, 300]))
                if answered_on and rng.random() < 0.04
                else None,
                "third_party": outcome == Outcome.THIRD_PARTY_RIGHTS or rng.random() < 0.05,
            }
        )
    return planned


def _add_cases(rng, application, today):
    """Reviews and lawsuits for some refused or unanswerable applications."""
    if not application.answered_on or application.outcome in (Outcome.DISCLOSED, Outcome.OTHER):
        return 0, 0
    draw = rng.random()
    if draw > 0.22:
        return 0, 0
    reviews = lawsuits = 0
    filed_on = application.answered_on + datetime.timedelta(days=rng.randint(20, 55))
    if draw < 0.16:
        concluded_on = filed_on + datetime.timedelta(days=rng.randint(40, 75))
        open_case = concluded_on >= today
        AdministrativeReview.objects.create(
            application=application,
            filed_on=filed_on,
            review_body="洛阳市洛龙区人民政府",
            result=""
            if open_case
            else rng.choice([CaseResult.UPHELD] * 3 + [CaseResult.CORRECTED, CaseResult.OTHER]),
            concluded_on=None if open_case else concluded_on,
        )
        reviews += 1
        if draw < 0.05 and not open_case:
            sued_on = concluded_on + datetime.timedelta(days=rng.randint(10, 14))
            lawsuit_end = sued_on + datetime.timedelta(days=rng.randint(60, 150))
            lawsuit_open = lawsuit_end >= today
            Lawsuit.objects.create(
                application=application,
                filed_on=sued_on,
                after_review=True,
                court="洛阳市洛龙区人民法院",
                result=""
                if lawsuit_open
                else rng.choice([CaseResult.UPHELD, CaseResult.UPHELD, CaseResult.OTHER]),
                concluded_on=None if lawsuit_open else lawsuit_end,
            )
            lawsuits += 1
    else:
        lawsuit_end = filed_on + datetime.timedelta(days=rng.randint(60, 180))
        lawsuit_open = lawsuit_end >= today
        Lawsuit.objects.create(
            application=application,
            filed_on=filed_on,
            court="洛阳市洛龙区人民法院",
            result=""
            if lawsuit_open
            else rng.choice([CaseResult.UPHELD, CaseResult.CORRECTED, CaseResult.OTHER]),
            concluded_on=None if lawsuit_open else lawsuit_end,
        )
        lawsuits += 1
    return reviews, lawsuits


# Applications in hand now (days before today, applicant, content), so that the home page's
# due-soon list and the deadline explanations have something to show.
CURRENT_APPLICATIONS = [
    (2, ApplicantType.NATURAL_PERSON, "申请公开本小区加装电梯的审批文件"),
    (6, ApplicantType.COMMERCIAL, "申请公开辖区道路占用挖掘许可的办理结果"),
    (11, ApplicantType.NATURAL_PERSON, "申请公开本人房屋所在片区的改造规划"),
    (19, ApplicantType.LEGAL_SERVICE, "申请公开某执法案件的处理依据"),
    (23, ApplicantType.NATURAL_PERSON, "申请公开社区网格员招聘结果"),
    (26, ApplicantType.PUBLIC_WELFARE, "申请公开辖区垃圾分类工作经费使用情况"),
]


def load_current_applications(office, today, rng):
    """A handful of applications received in the last weeks and still being handled."""
    added = 0
    existing = set(office.applications.values_list("number", flat=True))
    for sequence, (days_ago, applicant_type, content) in enumerate(CURRENT_APPLICATIONS, start=1):
        received_on = today - datetime.timedelta(days=days_ago)
        number = f"{OFFICE_SHORT_NAME}〔{received_on.year}〕{900 + sequence}号"
        if number in existing:
            continue
        name, id_number, phone = _applicant(rng, applicant_type)
        application = Application.objects.create(
            organization=office,
            number=number,
            received_on=received_on,
            channel=Channel.ONLINE,
            applicant_type=applicant_type,
            applicant_name=name,
            applicant_id_number=id_number,
            applicant_phone=phone,
            content=content,
        )
        if days_ago == 19:
            ClockStop.objects.create(
                application=application,
                kind=ClockStopKind.THIRD_PARTY_OPINION,
                started_on=received_on + datetime.timedelta(days=3),
                ended_on=received_on + datetime.timedelta(days=12),
            )
        added += 1
    return added


@transaction.atomic
def load_demo_ledger(today=None):
    """Create the demo district, office and ledger; return counts of what was added."""
    district, _ = Organization.objects.get_or_create(
        name=DISTRICT_NAME, defaults={"short_name": "洛龙区", "kind": OrganizationKind.COUNTY}
    )
    office, _ = Organization.objects.get_or_create(
        name=OFFICE_NAME,
        defaults={
            "short_name": OFFICE_SHORT_NAME,
            "kind": OrganizationKind.SUBDISTRICT,
            "parent": district,
        },
    )
    today = today or timezone.localdate()
    rng = random.Random(20211231)
    existing = set(office.applications.values_list("number", flat=True))
    added = {"applications": 0, "reviews": 0, "lawsuits": 0}
    for year, count, last_offset in ledger_years(today):
        for planned in _plan_year(rng, year, count, last_offset):
            third_party = planned.pop("third_party")
            if planned["number"] in existing:
                continue
            application = Application.objects.create(organization=office, **planned)
            added["applications"] += 1
            if third_party:
                start = (
                    application.correction_received_on or application.received_on
                ) + datetime.timedelta(days=3)
                end = start + datetime.timedelta(days=rng.randint(7, 15))
                if application.answered_on is None or end <= application.answered_on:
                    ClockStop.objects.create(
                        application=application,
                        kind=ClockStopKind.THIRD_PARTY_OPINION,
                        started_on=start,
                        ended_on=end,
                    )
            reviews, lawsuits = _add_cases(rng, application, today)
            added["reviews"] += reviews
            added["lawsuits"] += lawsuits
    added["applications"] += load_current_applications(office, today, rng)
    return office, added
