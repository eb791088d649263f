import io

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import (
    CLERK,
    DISTRICT,
    OFFICIAL,
    PERSONAL_DATA_EXPORT_GROUP,
    ROLE_PERMISSIONS,
    SYSTEM_ADMIN,
)
from applications.models import Application
from tests.support.factories import PASSWORD


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_migration_creates_the_four_roles(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        CLERK,
        OFFICIAL,
        DISTRICT,
        SYSTEM_ADMIN,
    }


def test_clerk_may_add_change_and_view_the_ledger_but_delete_nothing(db):
    granted = codenames(CLERK)
    for model in ["application", "clockstop", "administrativereview", "lawsuit"]:
        assert {
            f"applications.add_{model}",
            f"applications.change_{model}",
            f"applications.view_{model}",
        } <= granted
    assert not [name for name in granted if ".delete_" in name]


def test_official_reads_the_ledger_only(db):
    granted = codenames(OFFICIAL)
    assert "applications.view_application" in granted
    assert not [
        name
        for name in granted
        if name.startswith("applications.") and not name.startswith("applications.view_")
    ]


def test_district_may_view_the_offices_under_it_and_take_in_their_workbooks(db):
    granted = codenames(DISTRICT)
    assert "applications.view_subordinate_offices" in granted
    # Read-only on everything, except taking in the workbooks of offices that do not use gongkai
    # and setting the thresholds of the indicators on its board.
    assert {name for name in granted if not name.split(".")[1].startswith("view_")} == {
        "reports.accept_submitted_report",
        "reports.add_indicatorthresholds",
        "reports.change_indicatorthresholds",
    }


def test_system_admin_manages_users_and_offices_not_the_ledger(db):
    granted = codenames(SYSTEM_ADMIN)
    assert {
        "accounts.add_user",
        "accounts.change_user",
        "applications.add_organization",
        "accounts.view_auditevent",
    } <= granted
    assert "applications.view_application" not in granted
    assert "accounts.delete_user" not in granted


def test_personal_data_export_is_a_separate_grant(db):
    assert codenames(PERSONAL_DATA_EXPORT_GROUP) == {"applications.export_personal_data"}
    for role in [CLERK, OFFICIAL, DISTRICT, SYSTEM_ADMIN]:
        assert "applications.export_personal_data" not in codenames(role)


def test_setup_roles_restores_the_defined_permissions_and_can_run_twice(db):
    clerk = Group.objects.get(name=CLERK)
    clerk.permissions.add(Permission.objects.get(codename="delete_application"))
    clerk.permissions.remove(Permission.objects.get(codename="add_application"))
    call_command("setup_roles", stdout=io.StringIO())
    call_command("setup_roles", stdout=io.StringIO())
    assert "applications.add_application" in codenames(CLERK)
    assert "applications.delete_application" not in codenames(CLERK)
    assert Group.objects.filter(name=CLERK).count() == 1


def test_setup_roles_grants_the_report_permissions_to_officials_only(db):
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    assert "尚未安装" not in out.getvalue()
    official = codenames(OFFICIAL)
    assert {
        "reports.sign_off_report",
        "reports.view_reportsignoff",
        "reports.change_reportnarrative",
    } <= official
    assert not {name for name in codenames(CLERK) if name.startswith("reports.")}
    assert {"reports.view_reportsignoff", "reports.view_reportnarrative"} <= codenames(DISTRICT)
    assert "reports.sign_off_report" not in codenames(DISTRICT)


def test_setup_roles_skips_and_names_a_permission_that_does_not_exist(db):
    Permission.objects.filter(
        codename="sign_off_report", content_type__app_label="reports"
    ).delete()
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    assert "reports.sign_off_report" in out.getvalue()
    assert "reports.sign_off_report" not in codenames(OFFICIAL)


def test_every_role_permission_name_is_app_label_dot_codename():
    for names in ROLE_PERMISSIONS.values():
        for name in names:
            app_label, codename = name.split(".")
            assert app_label and codename


def test_clerk_edits_own_application_but_gets_403_on_delete(world):
    client = client_for(world.users.clerk)
    change = client.get(reverse("admin:applications_application_change", args=[world.a_plain.pk]))
    assert change.status_code == 200
    assert 'name="_save"' in change.content.decode()
    assert (
        client.get(
            reverse("admin:applications_application_delete", args=[world.a_plain.pk])
        ).status_code
        == 403
    )
    changelist = client.get(reverse("admin:applications_application_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_official_cannot_change_an_application(world):
    client = client_for(world.users.official)
    url = reverse("admin:applications_application_change", args=[world.a_plain.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"applicant_name": "改名"}).status_code == 403
    assert client.get(reverse("admin:applications_application_add")).status_code == 403
    world.a_plain.refresh_from_db()
    assert world.a_plain.applicant_name != "改名"


def test_district_reads_the_offices_under_it_and_changes_nothing(world):
    client = client_for(world.users.district)
    changelist = client.get(reverse("admin:applications_application_changelist"))
    assert changelist.status_code == 200
    assert world.a_app.number in changelist.content.decode()
    url = reverse("admin:applications_application_change", args=[world.a_app.pk])
    assert client.post(url, {"applicant_name": "改名"}).status_code == 403


def test_system_admin_lists_users_of_their_offices_only(world):
    client = client_for(world.users.sysadmin)
    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "clerk_a" in body
    assert "clerk_b" not in body
    assert "root_matrix" not in body
    assert client.get(reverse("admin:applications_application_changelist")).status_code == 403


def test_system_admin_creates_a_clerk_of_an_office_under_them(world):
    client = client_for(world.users.sysadmin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_clerk",
            "usable_password": "true",
            "password1": "Xuefu-initial-2021",
            "password2": "Xuefu-initial-2021",
            "organization": world.office_a.pk,
            "must_change_password": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="new_clerk")
    assert user.organization == world.office_a
    assert user.must_change_password


def test_system_admin_cannot_place_a_user_in_another_district(world):
    client = client_for(world.users.sysadmin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "intruder",
            "usable_password": "true",
            "password1": "Xuefu-initial-2021",
            "password2": "Xuefu-initial-2021",
            "organization": world.office_b.pk,
        },
    )
    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="intruder").exists()


def change_user_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "organization": user.organization_id,
        "groups": list(user.groups.values_list("pk", flat=True)),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_giving_a_role_in_the_admin_makes_the_user_staff(world):
    newcomer = User.objects.create_user("newcomer", password=PASSWORD, organization=world.office_a)
    client = client_for(world.users.sysadmin)
    response = client.post(
        reverse("admin:accounts_user_change", args=[newcomer.pk]),
        change_user_data(newcomer, groups=[Group.objects.get(name=CLERK).pk]),
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert newcomer.has_perm("applications.add_application")


def test_system_admin_cannot_make_anyone_superuser_or_grant_loose_permissions(world):
    clerk = world.users.clerk
    client = client_for(world.users.sysadmin)
    form = (
        client.get(reverse("admin:accounts_user_change", args=[clerk.pk])).context["adminform"].form
    )
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    assert set(form.fields["groups"].queryset.values_list("name", flat=True)) == {
        CLERK,
        OFFICIAL,
        DISTRICT,
        SYSTEM_ADMIN,
        PERSONAL_DATA_EXPORT_GROUP,
    }
    delete_permission = Permission.objects.get(codename="delete_application")
    client.post(
        reverse("admin:accounts_user_change", args=[clerk.pk]),
        change_user_data(
            clerk, is_superuser="on", user_permissions=[delete_permission.pk], is_staff="on"
        ),
    )
    clerk.refresh_from_db()
    assert not clerk.is_superuser
    assert not clerk.user_permissions.exists()


def test_roles_cannot_edit_the_groups_themselves(world):
    client = client_for(world.users.sysadmin)
    group = Group.objects.get(name=CLERK)
    page = client.get(reverse("admin:auth_group_change", args=[group.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert (
        client.post(
            reverse("admin:auth_group_change", args=[group.pk]), {"name": "改名"}
        ).status_code
        == 403
    )


def test_user_without_an_office_sees_no_ledger(world):
    nobody = world.users.nobody_admin
    nobody.groups.add(Group.objects.get(name=CLERK))
    client = client_for(nobody)
    body = client.get(reverse("admin:applications_application_changelist")).content.decode()
    assert world.a_app.number not in body
    assert Application.objects.visible_to(nobody).count() == 0


def test_a_role_given_outside_the_admin_also_makes_the_user_staff(world):
    first = User.objects.create_user("from_shell", organization=world.office_a)
    second = User.objects.create_user("from_group_side", organization=world.office_a)
    first.groups.add(Group.objects.get(name=CLERK))
    Group.objects.get(name=OFFICIAL).user_set.add(second)
    assert User.objects.get(pk=first.pk).is_staff
    assert User.objects.get(pk=second.pk).is_staff
    third = User.objects.create_user("export_only", organization=world.office_a)
    third.groups.add(Group.objects.get(name=PERSONAL_DATA_EXPORT_GROUP))
    assert not User.objects.get(pk=third.pk).is_staff
