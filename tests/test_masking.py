import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accounts.roles import PERSONAL_DATA_EXPORT_GROUP
from applications.masking import can_export_personal_data, mask_id_number, mask_phone

FULL_ID = "410302199001011234"
MASKED_ID = "4103**********1234"
FULL_PHONE = "13812345678"
MASKED_PHONE = "138****5678"


@pytest.mark.parametrize(
    "value, masked",
    [
        ("410302199001011234", "4103**********1234"),
        ("41030219900101123X", "4103**********123X"),
        ("91410300MA44XXXX1Y", "9141**********XX1Y"),  # 统一社会信用代码
        ("12345678", "*******8"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    "value, masked",
    [
        ("13812345678", "138****5678"),
        ("0379-65432100", "037******2100"),
        ("123", "**3"),
        ("", ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_personal_data_masked(world):
    body = (
        client_for(world.users.clerk)
        .get(reverse("admin:applications_application_changelist"))
        .content.decode()
    )
    assert MASKED_ID in body and MASKED_PHONE in body
    assert FULL_ID not in body and FULL_PHONE not in body


def test_search_by_full_id_number_finds_the_application_and_shows_it_masked(world):
    client = client_for(world.users.clerk)
    body = client.get(
        reverse("admin:applications_application_changelist"), {"q": FULL_ID}
    ).content.decode()
    assert world.a_app.number in body
    assert world.a_plain.number not in body
    assert MASKED_ID in body
    # The typed number comes back in the search box and links, never as a cell's text.
    assert f">{FULL_ID}<" not in body


def test_own_office_sees_full_numbers_on_the_record_page(world):
    body = (
        client_for(world.users.clerk)
        .get(reverse("admin:applications_application_change", args=[world.a_app.pk]))
        .content.decode()
    )
    assert f'value="{FULL_ID}"' in body
    assert f'value="{FULL_PHONE}"' in body


def test_district_sees_masked_numbers_on_an_offices_record_page(world):
    body = (
        client_for(world.users.district)
        .get(reverse("admin:applications_application_change", args=[world.a_app.pk]))
        .content.decode()
    )
    assert MASKED_ID in body and MASKED_PHONE in body
    assert FULL_ID not in body and FULL_PHONE not in body


def test_superuser_without_the_office_sees_masked_numbers_and_cannot_overwrite_them(world):
    client = client_for(world.users.superuser)
    url = reverse("admin:applications_application_change", args=[world.a_app.pk])
    body = client.get(url).content.decode()
    assert FULL_ID not in body
    form = client.get(url).context["adminform"].form
    assert "applicant_id_number" not in form.fields


def change_phone(client, application, phone):
    response = client.get(reverse("admin:applications_application_change", args=[application.pk]))
    form = response.context["adminform"].form
    data = {
        name: form.initial.get(name)
        for name in form.fields
        if form.initial.get(name) not in (None, False)
    }
    data |= {"applicant_phone": phone, "received_on": "2021-05-01"}
    for prefix in ("clock_stops", "reviews", "lawsuits"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return client.post(
        reverse("admin:applications_application_change", args=[application.pk]), data
    )


def test_history_list_masks_old_and_new_numbers(world):
    client = client_for(world.users.clerk)
    world.a_plain.applicant_phone = "13700001111"
    world.a_plain.save()
    assert change_phone(client, world.a_plain, "13600002222").status_code == 302
    body = client.get(
        reverse("admin:applications_application_history", args=[world.a_plain.pk])
    ).content.decode()
    assert "137****1111" in body and "136****2222" in body
    assert "13700001111" not in body and "13600002222" not in body


def test_past_version_page_masks_numbers_for_the_district(world):
    first = world.a_app.history.order_by("history_date").first()
    url = reverse(
        "admin:applications_application_simple_history", args=[world.a_app.pk, first.history_id]
    )
    body = client_for(world.users.district).get(url).content.decode()
    assert FULL_ID not in body
    assert MASKED_ID in body


def test_autocomplete_shows_no_personal_data(world):
    response = client_for(world.users.clerk).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "applications",
            "model_name": "lawsuit",
            "field_name": "application",
            "term": "",
        },
    )
    assert FULL_ID not in response.content.decode()
    assert FULL_PHONE not in response.content.decode()


def test_export_of_personal_data_needs_the_explicit_grant(world):
    clerk = world.users.clerk
    assert not can_export_personal_data(clerk)
    clerk.groups.add(Group.objects.get(name=PERSONAL_DATA_EXPORT_GROUP))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # fresh permission cache
    assert can_export_personal_data(clerk)
    assert can_export_personal_data(clerk, world.office_a)
    assert not can_export_personal_data(clerk, world.office_b)


def test_district_never_exports_personal_data_of_the_offices_under_it(world):
    district = world.users.district
    district.groups.add(Group.objects.get(name=PERSONAL_DATA_EXPORT_GROUP))
    district = type(district).objects.get(pk=district.pk)
    assert can_export_personal_data(district, world.district_a)
    assert not can_export_personal_data(district, world.office_a)


def test_export_permission_reads_applications_export_personal_data(db):
    permission = Permission.objects.get(codename="export_personal_data")
    assert (permission.content_type.app_label, permission.content_type.model) == (
        "applications",
        "application",
    )
