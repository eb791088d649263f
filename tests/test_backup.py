"""Backup and restore: a dump restored into an empty database finds every record again."""

import datetime
import os
import tarfile

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.audit import record
from accounts.models import AuditEvent
from applications.models import AdministrativeReview, Application, Lawsuit
from jobs.models import Job
from lib.backup import EXCLUDED_MODELS
from reports.models import ReportSignOff

WORKBOOK = bytes(range(256)) * 40 + b"\x00PK\x03\x04 signed"
DOCUMENT = os.urandom(5000)


def everything():
    """Every row of every table the backup covers, binary fields as bytes."""
    rows = {}
    for model in apps.get_models():
        if (
            model._meta.label_lower in EXCLUDED_MODELS
            or model._meta.app_label == "django_tasks_database"
        ):
            continue
        values = []
        for row in model._default_manager.order_by("pk").values():
            values.append(
                {
                    key: bytes(value) if isinstance(value, memoryview) else value
                    for key, value in row.items()
                }
            )
        rows[model._meta.label_lower] = values
    return rows


@pytest.fixture
def world(transactional_db, office, make_application, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    clerk = django_user_model.objects.create_user(
        "clerk", password="pw-for-tests-only-1", organization=office
    )
    clerk.groups.add(Group.objects.get(name="登记员"))
    first = make_application(number="学府街道〔2021〕1号", applicant_id_number="410305199001011234")
    second = make_application(
        number="学府街道〔2021〕2号",
        answered_on=datetime.date(2021, 3, 10),
        applicant_phone="13812345678",
    )
    second.applicant_name = "李四"
    second.save()  # a second history row
    AdministrativeReview.objects.create(application=first, filed_on=datetime.date(2021, 5, 1))
    Lawsuit.objects.create(application=first, filed_on=datetime.date(2021, 7, 1), after_review=True)
    record(None, AuditEvent.Action.LEDGER_IMPORT, detail="导入 台账.xlsx", user=clerk)
    for version in (1, 2):
        ReportSignOff.objects.create(
            organization=office,
            year=2021,
            version=version,
            figures={"二": {"行": version}},
            narrative={"概述": "全年工作"},
            workbook=WORKBOOK + bytes([version]),
            document=DOCUMENT if version == 2 else None,
            signed_by=clerk,
        )
    Job.objects.create(
        kind=Job.Kind.LEDGER_IMPORT, user=clerk, organization=office, summary="新增 2"
    )
    (tmp_path / "media" / "ledger-imports").mkdir(parents=True)
    (tmp_path / "media" / "ledger-imports" / "a.xlsx").write_bytes(WORKBOOK)
    return tmp_path


def test_a_backup_restored_into_an_empty_database_has_every_record_byte_for_byte(world, capsys):
    before = everything()
    assert before["applications.historicalapplication"] and before["reports.reportsignoff"]
    path = world / "backup.tar.gz"

    call_command("backup", "--output", str(path))
    call_command("flush", interactive=False, verbosity=0)
    (world / "media" / "ledger-imports" / "a.xlsx").unlink()
    assert not Application.objects.exists() and not ReportSignOff.objects.exists()

    call_command("restore", str(path))

    assert everything() == before
    versions = ReportSignOff.objects.order_by("version")
    assert [bytes(v.workbook) for v in versions] == [WORKBOOK + b"\x01", WORKBOOK + b"\x02"]
    assert bytes(versions[1].document) == DOCUMENT
    assert (world / "media" / "ledger-imports" / "a.xlsx").read_bytes() == WORKBOOK
    assert "记录数逐表核对一致" in capsys.readouterr().out


def test_restore_refuses_a_database_that_already_has_data(world):
    path = world / "backup.tar.gz"
    call_command("backup", "--output", str(path))

    with pytest.raises(CommandError, match="目标数据库里已经有机关或用户"):
        call_command("restore", str(path))


def test_restore_refuses_a_damaged_backup_and_writes_nothing(world):
    path = world / "backup.tar.gz"
    call_command("backup", "--output", str(path))
    with tarfile.open(path) as archive:
        manifest = archive.extractfile("manifest.json").read()
        data = archive.extractfile("data.jsonlx").read()
    damaged = world / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as archive:
        for name, content in (("manifest.json", manifest), ("data.jsonlx", data[:-10])):
            (world / name).write_bytes(content)
            archive.add(world / name, name)
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="数据校验不一致"):
        call_command("restore", str(damaged))
    assert not Application.objects.exists()
