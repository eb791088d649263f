"""The staff admin: every list, add and change page answers, in Chinese, with a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse

from applications.choices import CaseResult, ClockStopKind, Outcome
from tests.support.factories import make_clock_stop, make_lawsuit, make_review, make_user

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def ledger(make_application):
    """A small ledger with one of everything, so pages show real rows."""

    def build(size):
        applications = []
        for index in range(size):
            answered = index % 2 == 0
            application = make_application(
                received_on=D(2021, 1 + index % 12, 1 + index % 27),
                answered_on=D(2021, 1 + index % 12, 28) if answered else None,
                outcome=Outcome.NOT_HELD if answered else "",
                applicant_id_number="410302199001011234",
            )
            make_clock_stop(
                application,
                kind=ClockStopKind.THIRD_PARTY_OPINION,
                started_on=application.received_on,
            )
            if answered:
                make_review(application, filed_on=D(2021, 12, 29))
                make_lawsuit(
                    application,
                    filed_on=D(2021, 12, 30),
                    concluded_on=D(2022, 2, 1),
                    result=CaseResult.UPHELD,
                )
            applications.append(application)
        return applications

    return build


LIST_PAGES = [
    "admin:applications_application_changelist",
    "admin:applications_organization_changelist",
    "admin:applications_administrativereview_changelist",
    "admin:applications_lawsuit_changelist",
    "admin:accounts_user_changelist",
]


@pytest.mark.parametrize("url_name", LIST_PAGES)
@pytest.mark.parametrize("size", [3, 30])
def test_admin_list_page_query_count_does_not_grow_with_rows(
    admin_client, ledger, django_assert_max_num_queries, url_name, size
):
    ledger(size)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse(url_name))
    assert response.status_code == 200


def test_application_list_shows_status_and_outcome_labels(admin_client, ledger):
    ledger(2)
    page = admin_client.get(reverse("admin:applications_application_changelist")).content.decode()
    assert "已答复" in page and "办理中" in page
    assert "（四）无法提供 · 1.本机关不掌握相关政府信息" in page
    for filter_title in ("收到年份", "办理状态", "申请人类型", "办理结果类别"):
        assert filter_title in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=pending", 1),
        ("status=answered", 1),
        ("year=2021", 2),
        ("year=2020", 0),
        ("outcome_group=4", 1),
        ("outcome_group=1", 0),
    ],
)
def test_application_list_filters(admin_client, ledger, query, expected):
    ledger(2)
    response = admin_client.get(reverse("admin:applications_application_changelist") + "?" + query)
    assert response.context["cl"].result_count == expected


def test_application_search_finds_by_name_number_and_content(admin_client, make_application):
    make_application(applicant_name="欧阳修", content="申请公开道路施工审批")
    url = reverse("admin:applications_application_changelist")
    for term in ("欧阳修", "学府街道〔2021〕1号", "道路施工"):
        assert admin_client.get(url, {"q": term}).context["cl"].result_count == 1
    assert admin_client.get(url, {"q": "不存在的内容"}).context["cl"].result_count == 0


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:applications_application_add",
        "admin:applications_organization_add",
        "admin:applications_administrativereview_add",
        "admin:applications_lawsuit_add",
        "admin:accounts_user_add",
    ],
)
def test_admin_add_pages_answer(admin_client, url_name, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse(url_name))
    assert response.status_code == 200


def test_admin_change_pages_answer_for_each_model(
    admin_client, ledger, admin_user, django_assert_max_num_queries
):
    application = ledger(1)[0]
    review, lawsuit = application.reviews.get(), application.lawsuits.get()
    pages = [
        ("admin:applications_application_change", application.pk),
        ("admin:applications_organization_change", application.organization_id),
        ("admin:applications_administrativereview_change", review.pk),
        ("admin:applications_lawsuit_change", lawsuit.pk),
        ("admin:accounts_user_change", admin_user.pk),
        ("admin:applications_application_history", application.pk),
    ]
    for url_name, pk in pages:
        with django_assert_max_num_queries(25):
            response = admin_client.get(reverse(url_name, args=[pk]))
        assert response.status_code == 200, url_name


def test_application_change_page_shows_inlines_in_chinese(admin_client, ledger):
    application = ledger(1)[0]
    page = admin_client.get(
        reverse("admin:applications_application_change", args=[application.pk])
    ).content.decode()
    for heading in (
        "不计入答复期限的期间",
        "行政复议",
        "行政诉讼",
        "申请人类型",
        "答复日期",
        "办理结果",
    ):
        assert heading in page


def test_admin_requires_login(client):
    response = client.get(reverse("admin:applications_application_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_greets_and_names_users_surname_first(client, office, django_user_model):
    user = make_user(
        "zhangyi",
        organization=office,
        is_staff=True,
        last_name="张",
        first_name="一",
    )
    client.force_login(user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<strong>张一</strong>" in html
    assert str(user) == "张一（zhangyi）"


def test_records_are_named_with_chinese_dates(make_application):
    application = make_application(number="学府街道〔2021〕7号", answered_on=D(2021, 3, 20))
    stop = make_clock_stop(
        application, kind=ClockStopKind.THIRD_PARTY_OPINION, started_on=D(2021, 3, 5)
    )
    review = make_review(application, filed_on=D(2021, 4, 1))
    assert str(stop) == "征求第三方意见（2021年3月5日起，尚未结束）"
    stop.ended_on = D(2021, 3, 12)
    assert str(stop) == "征求第三方意见（2021年3月5日至2021年3月12日）"
    assert str(review) == "学府街道〔2021〕7号的行政复议（2021年4月1日）"
