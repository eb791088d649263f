import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.urls import reverse

from reports.models import AnnualFigures, DocumentKind, NormativeDocument, ReportNarrative
from tests.support.factories import make_user

D = datetime.date


@pytest.fixture
def staff_client(client, django_user_model, office):
    """A staff member of 学府街道 who may edit the report inputs in the admin."""
    user = make_user("luru", organization=office, is_staff=True)
    codenames = [
        f"{action}_{model}"
        for action in ("view", "add", "change")
        for model in ("normativedocument", "annualfigures", "reportnarrative")
    ]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="reports", codename__in=codenames)
    )
    client.force_login(user)
    return client


def document_form(office, **fields):
    data = {
        "organization": office.pk,
        "number": "学府办〔2021〕3号",
        "kind": DocumentKind.NORMATIVE_DOCUMENT,
        "title": "环境卫生管理办法",
        "issued_on": "2021-05-01",
        "abolished_on": "",
        "notes": "",
    }
    data.update(fields)
    return data


def figures_form(office, **fields):
    data = {
        "organization": office.pk,
        "year": 2021,
        "licensing_decisions": 3,
        "penalty_decisions": 1,
        "coercion_decisions": 0,
        "fee_amount_wan": "0.1250",
    }
    data.update(fields)
    return data


def test_document_abolished_before_issued_is_refused_in_chinese(staff_client, office):
    url = reverse("admin:reports_normativedocument_add")
    response = staff_client.post(url, document_form(office, abolished_on="2021-04-30"))
    assert response.status_code == 200
    assert "废止日期不能早于制发日期" in response.content.decode()
    assert not NormativeDocument.objects.exists()


def test_database_refuses_a_document_abolished_before_issued(office):
    with pytest.raises(IntegrityError), transaction.atomic():
        NormativeDocument.objects.create(
            organization=office,
            number="1",
            title="t",
            kind=DocumentKind.REGULATION,
            issued_on=D(2021, 5, 1),
            abolished_on=D(2021, 4, 1),
        )


def test_document_is_saved_with_history(staff_client, office):
    staff_client.post(reverse("admin:reports_normativedocument_add"), document_form(office))
    document = NormativeDocument.objects.get()
    staff_client.post(
        reverse("admin:reports_normativedocument_change", args=[document.pk]),
        document_form(office, abolished_on="2021-12-01"),
    )
    document.refresh_from_db()
    assert document.abolished_on == D(2021, 12, 1)
    assert document.history.count() == 2


def test_same_document_number_twice_is_refused_in_chinese(staff_client, office):
    url = reverse("admin:reports_normativedocument_add")
    staff_client.post(url, document_form(office))
    response = staff_client.post(url, document_form(office, title="另一份"))
    assert "本机关已登记过这个文号的文件。" in response.content.decode()
    assert NormativeDocument.objects.count() == 1


def test_a_staff_member_cannot_enter_inputs_for_another_office(staff_client, other_office):
    response = staff_client.post(
        reverse("admin:reports_annualfigures_add"), figures_form(other_office)
    )
    assert response.status_code == 200
    assert not AnnualFigures.objects.exists()


def test_a_staff_member_sees_only_their_offices_inputs(staff_client, office, other_office):
    NormativeDocument.objects.create(
        organization=office,
        number="学府1",
        title="本街道文件",
        kind=DocumentKind.REGULATION,
        issued_on=D(2021, 1, 1),
    )
    NormativeDocument.objects.create(
        organization=other_office,
        number="开元1",
        title="别的街道文件",
        kind=DocumentKind.REGULATION,
        issued_on=D(2021, 1, 1),
    )
    html = staff_client.get(reverse("admin:reports_normativedocument_changelist")).content.decode()
    assert "本街道文件" in html and "别的街道文件" not in html


def test_one_set_of_figures_per_office_and_year(staff_client, office):
    url = reverse("admin:reports_annualfigures_add")
    staff_client.post(url, figures_form(office))
    response = staff_client.post(url, figures_form(office, licensing_decisions=9))
    assert "本机关这一年度的主动公开数据已经登记过，请修改原来那一条。" in response.content.decode()
    assert AnnualFigures.objects.get().licensing_decisions == 3


def test_fee_keeps_four_decimals_and_refuses_more(staff_client, office):
    url = reverse("admin:reports_annualfigures_add")
    response = staff_client.post(url, figures_form(office, fee_amount_wan="0.12345"))
    assert response.status_code == 200
    assert not AnnualFigures.objects.exists()
    staff_client.post(url, figures_form(office, fee_amount_wan="1.5"))
    assert AnnualFigures.objects.get().fee_amount_wan == Decimal("1.5000")
    html = staff_client.get(reverse("admin:reports_annualfigures_changelist")).content.decode()
    assert "1.5000" in html


def test_database_refuses_a_negative_fee(office):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualFigures.objects.create(
            organization=office, year=2021, fee_amount_wan=Decimal("-0.0001")
        )


def test_one_narrative_per_office_and_year(office):
    ReportNarrative.objects.create(organization=office, year=2021)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportNarrative.objects.create(organization=office, year=2021)


def test_narrative_is_edited_in_the_admin_with_its_sections(staff_client, office):
    url = reverse("admin:reports_reportnarrative_add")
    html = staff_client.get(url).content.decode()
    for label in (
        "一、总体情况",
        "（一）主动公开",
        "（五）监督保障",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        assert label in html
    data = {
        "organization": office.pk,
        "year": 2021,
        "active_disclosure": "主动公开500余条。",
        "problems": "无",
    }
    for name in ("on_request", "information_management", "platform", "oversight", "other_matters"):
        data[name] = ""
    staff_client.post(url, data)
    assert ReportNarrative.objects.get().active_disclosure == "主动公开500余条。"
