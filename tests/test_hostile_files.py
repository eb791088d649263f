"""Every hostile or malformed ledger file: a Chinese message or every row, never a crash.

The corpus (tests/support/hostile.py) is generated, not committed. Each file goes through
import_ledger, the import_ledger command and the web upload: 0 tracebacks, 0 HTTP 500,
0 rows silently dropped, 0 writes from a refused file, no uploaded file left behind.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from applications.ledger_import import import_ledger
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit

from .support.hostile import CASES

CJK = re.compile(r"[\u4e00-\u9fff]")
IDS = [case.name for case in CASES]


def test_the_corpus_has_at_least_sixty_files():
    assert len(CASES) >= 60
    assert len(set(IDS)) == len(IDS)


def written():
    return (
        Application.objects.count()
        + Application.history.count()
        + AdministrativeReview.objects.count()
        + Lawsuit.objects.count()
        + ClockStop.objects.count()
    )


def save(case, tmp_path):
    path = tmp_path / case.filename
    path.write_bytes(case.build())
    return path


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_import_ledger_refuses_in_chinese_or_imports_every_row(case, office, tmp_path):
    report = import_ledger(save(case, tmp_path), office)

    if case.rows is None:
        assert report.errors, "a hostile file was accepted"
        text = "\n".join(str(error) for error in report.errors)
        assert case.says in text
        assert all(CJK.search(str(error)) for error in report.errors)
        assert "Traceback" not in text and "Error:" not in text
        assert written() == 0
    else:
        assert report.ok, report.errors
        assert report.applications.created == case.rows
        assert Application.objects.filter(organization=office).count() == case.rows


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_import_command_refuses_in_chinese_or_imports_every_row(case, office, tmp_path, capsys):
    path = save(case, tmp_path)

    if case.rows is None:
        with pytest.raises(CommandError, match="没有导入任何数据"):
            call_command("import_ledger", str(path), "--org", "学府街道")
        assert case.says in capsys.readouterr().err
        assert written() == 0
    else:
        call_command("import_ledger", str(path), "--org", "学府街道")
        assert Application.objects.filter(organization=office).count() == case.rows


@pytest.fixture
def clerk(db, office, django_user_model):
    user = django_user_model.objects.create_user(
        "clerk", password="pw-for-tests-only-1", is_staff=True, organization=office
    )
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_application", "change_application", "view_application"]
        )
    )
    return user


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_web_upload_refuses_in_chinese_or_imports_every_row(
    case, client, clerk, office, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(clerk)
    path = save(case, tmp_path)

    with open(path, "rb") as handle:
        preview = client.post(
            reverse("admin:applications_application_ledger_import"),
            {"organization": office.pk, "file": handle},
            follow=True,
        )

    assert preview.status_code == 200
    text = preview.content.decode()
    if case.rows is None:
        assert "没有导入任何数据" in text or "errorlist" in text
        assert "确认导入" not in text
        assert written() == 0
    else:
        confirmed = client.post(
            reverse("admin:applications_application_ledger_import_confirm"),
            {"token": preview.context["token"]},
        )
        assert confirmed.status_code == 302
        assert Application.objects.filter(organization=office).count() == case.rows
    uploads = tmp_path / "media" / "ledger-imports"
    assert not uploads.exists() or list(uploads.iterdir()) == []


# The reader's own guarantees -------------------------------------------------------------


def test_openpyxl_parses_through_defusedxml(tmp_path):
    import defusedxml
    from openpyxl import DEFUSEDXML
    from openpyxl.xml import functions

    assert DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")
    with pytest.raises(defusedxml.EntitiesForbidden):
        list(functions.iterparse(__import__("io").BytesIO(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>')))


def small(**changes):
    from dataclasses import replace

    from lib.uploads import LEDGER_LIMITS

    return replace(LEDGER_LIMITS, **changes)


def scan(data, tmp_path, limits):
    from lib.workbooks import check_workbook

    path = tmp_path / "f.xlsx"
    path.write_bytes(data)
    return check_workbook(path, limits)


def test_too_many_shared_strings_are_refused_naming_the_limit(tmp_path):
    from lib.uploads import UploadRejected

    from .support.hostile import shared_strings

    data = shared_strings("<si><t>a</t></si>" * 11)
    with pytest.raises(
        UploadRejected, match="共享字符串表（xl/sharedStrings.xml）中的不同文字超过了 10 条的上限"
    ):
        scan(data, tmp_path, small(max_shared_strings=10))


def test_too_many_shared_string_characters_are_refused_naming_the_limit(tmp_path):
    from lib.uploads import UploadRejected

    from .support.hostile import shared_strings

    data = shared_strings("<si><t>abcdefghij</t></si>" * 3)
    with pytest.raises(UploadRejected, match="中的文字共超过了 25 个字符的上限"):
        scan(data, tmp_path, small(max_shared_string_characters=25))


def test_inflated_bytes_are_counted_while_streaming(tmp_path):
    from lib.uploads import UploadRejected

    from .support.hostile import base_workbook

    data = base_workbook()
    with pytest.raises(UploadRejected, match="工作簿解压后有 .*超过了 0.0 MB 的上限"):
        scan(data, tmp_path, small(max_uncompressed_bytes=3000))


def test_the_true_extent_is_counted_whatever_the_dimension_says(tmp_path):
    from .support.hostile import data_rows, sheet_xml, with_sheet

    result = scan(with_sheet(sheet_xml(data_rows(5), dimension="A1:A1")), tmp_path, small())

    assert (result.sheets["申请登记"].rows, result.sheets["申请登记"].columns) == (6, 5)


def test_the_intake_limits_refuse_a_ledger_sized_workbook(tmp_path):
    from lib.uploads import INTAKE_LIMITS, UploadRejected

    from .support.hostile import data_rows, sheet_xml, with_sheet

    with pytest.raises(
        UploadRejected, match="超过了每张表 2000 行的上限。请删除无关的工作表或图片后再上传"
    ):
        scan(with_sheet(sheet_xml(data_rows(2100), dimension=None)), tmp_path, INTAKE_LIMITS)


def test_a_use_that_bounds_the_xml_refuses_more_naming_the_limit(tmp_path):
    from lib.uploads import UploadRejected
    from lib.workbooks import scan_workbook

    from .support.hostile import base_workbook

    path = tmp_path / "f.xlsx"
    path.write_bytes(base_workbook())
    limits = small(max_xml_bytes=3000, purpose="年度报告工作簿")
    with pytest.raises(UploadRejected, match="超过了年度报告工作簿 0.0 MB 的上限"):
        scan(base_workbook(), tmp_path, limits)  # the zip's directory, before any parsing
    with pytest.raises(UploadRejected, match="工作簿中的表格内容过多：表格和格式数据解压后有"):
        scan_workbook(path, limits)  # the bytes inflated, counted while streaming
