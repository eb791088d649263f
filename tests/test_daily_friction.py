"""Issue 16 items 4, 9 and 10: one shell, Chinese wording, confirmation before 定稿,
no bulk delete of users, a favicon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.support.world import build_world

from .test_history import client_for


@pytest.fixture
def world(db):
    return build_world()


def test_favicon_is_served_by_the_app(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg") is not None
    assert '<link rel="icon"' in client.get(reverse("admin:login")).content.decode()


def test_user_admin_offers_no_bulk_delete(world):
    response = client_for(world.users.sysadmin).get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()
    assert "删除所选的" not in response.content.decode()


def test_every_admin_page_has_the_apps_navigation_and_home(world):
    client = client_for(world.users.clerk)
    for url in [
        reverse("admin:index"),
        reverse("admin:applications_application_changelist"),
        reverse("admin:applications_application_change", args=[world.a_app.pk]),
    ]:
        html = client.get(url).content.decode()
        nav = re.search(r'<nav class="gk-shell-nav".*?</nav>', html, re.S).group(0)
        assert f'href="{reverse("applications:home")}">首页</a>' in nav
        for label in ["申请台账", "年度报告", "提醒"]:
            assert label in nav
        assert "查看站点" not in html


def test_admin_wording_is_chinese(world):
    client = client_for(world.users.sysadmin)
    add_user = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert "After you" not in add_user
    assert "保存后可以继续设置该用户的其他信息" in add_user
    assert re.search(r"<label[^>]*>用户名：</label>", add_user)
    errors = client.post(reverse("admin:accounts_user_add"), {"username": ""}).content.decode()
    title = re.search(r"<title>(.*?)</title>", errors, re.S).group(1)
    assert "Error" not in title and title.startswith("有错误：")
    clerk = client_for(world.users.clerk)
    change = clerk.get(
        reverse("admin:applications_application_change", args=[world.a_app.pk])
    ).content.decode()
    assert "<b>行政复议：</b>" in change and "<b>行政复议:</b>" not in change
    assert "欢迎，<strong>" in change and "</strong>." not in change


def test_sign_off_asks_for_confirmation_showing_the_checks_verdict(world, settings):
    client = client_for(world.users.official)
    office = world.office_a
    report = client.get(reverse("reports:report", args=[office.pk, 2021])).content.decode()
    confirm_url = reverse("reports:sign_off_confirm", args=[office.pk, 2021])
    assert f'action="{confirm_url}"' in report
    assert (
        f'method="post" action="{reverse("reports:sign_off", args=[office.pk, 2021])}"'
        not in report
    )
    page = client.get(confirm_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="sign-off-verdict"' in html
    assert re.search(r"校验(全部通过|有 \d+ 项不通过)", html)
    assert "确认定稿（第2版）" in html  # the world already holds version 1


def test_sign_off_confirmation_needs_the_permission(world):
    response = client_for(world.users.clerk).get(
        reverse("reports:sign_off_confirm", args=[world.office_a.pk, 2021])
    )
    assert response.status_code == 403
