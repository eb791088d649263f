"""Demo report inputs for the demo office: the sample 2021 report's own words, one narrative a year."""

from django.db import transaction

from applications.demo import DEMO_YEARS

from .models import AnnualFigures, ReportNarrative

# From the office's published 2021 report (shared/seeds), with （二） worded so that it
# does not contradict the demo ledger's applications.
NARRATIVE = {
    "opening": (
        "{year}年，学府街道认真贯彻落实《中华人民共和国政府信息公开条例》，严格按照区委、区政府统一安排部署，"
        "不断健全完善政府信息公开工作制度，认真贯彻各项要求，全面完成省、市、区部署的{year}年政府信息公开各项工作，"
        "切实保障人民群众的知情权、参与权、监督权和表达权。现将{year}年度政府信息公开工作报告如下："
    ),
    "active_disclosure": (
        "1.公开的数量。我街道{year}年主动公开各类信息500余条，主要为办事处工作动态类的信息。\n"
        "2.公开的形式。通过政府信息公开栏、公示板、政府网站等渠道及时发布、公布政府信息。\n"
        "3.公开的及时性。我街道公开的各项信息均做到了及时准确，确保公众第一时间了解最新动态信息。"
    ),
    "on_request": (
        "制定政府信息公开指南，对申请公开事项，及时收集、汇总，并按规定流程进行审核后答复。"
        "{year}年依申请公开的收到和办理情况见本报告第三部分。"
    ),
    "information_management": (
        "建立健全了政府信息管理动态调整机制，对我街道不予公开的政府信息进行评估审查，对因情势变化可以公开的政府信息依法公开，"
        "确定为主动公开的文件，在规定时间内通过政府网站公开，切实从源头上规范公文主动公开工作，确保“应公开尽公开”。"
        "不断加强政府信息资源的规范化、标准化、信息化管理。"
    ),
    "platform": "街道主要依托洛龙区政府网站平台、洛龙区官方微信平台（精彩洛龙、洛龙组工等）公开工作动态。",
    "oversight": (
        "一是对外公开街道党政办公室电话，接收群众监督。二是把政府信息公开列入考核制度，定期对政府信息公开工作进行考核。"
        "三是对街道工作人员进行政府信息公开培训，加强工作人员自媒体管理使用办法的学习，认识政府信息公开的重要性与必要性。"
    ),
    "problems": (
        "1.政府信息公开专业领域的理论学习方面仍需加强。一是积极参加上级开展的政府信息写作培训，二是组织开展专题培训，"
        "切实提升政府信息公开工作人员专业能力和工作水平。\n"
        "2.政府信息公开时效性还需要提高。围绕重点、亮点工作在及时有效更新上做的还不够好，一是围绕中心工作，公开公众普遍关注的热点难点问题。"
        "二是以政府中心工作为主线，以公众关心的问题为导向，全面、及时地公开政府信息，确保政府信息公开工作的针对性和时效性，加强网上信息公开的质量。\n"
        "3.主动公开意识有待进一步加强。进一步明确工作职责和任务，完善工作机制，明确政府信息公开工作机构职责和任务，"
        "形成职责分明、分工合理、各负其责、齐抓共管的工作局面，层层落实责任，确保我街道政府信息公开工作扎实、有序推进。"
    ),
    "other_matters": "",
}


@transaction.atomic
def load_demo_report_inputs(office):
    """One narrative and one (all-zero, as in the sample) figures row per demo year; never overwrites."""
    added = 0
    for year in DEMO_YEARS:
        _, created = ReportNarrative.objects.get_or_create(
            organization=office,
            year=year,
            defaults={key: text.format(year=year) for key, text in NARRATIVE.items()},
        )
        added += created
        AnnualFigures.objects.get_or_create(organization=office, year=year)
    return added
