"""Browser journey (Chromium via Playwright, see tests/browser.py): a clerk records an answer,
issues its letter and downloads it; the file is a valid A4 document once converted to PDF."""

import datetime
import re
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.roles import CLERK
from applications.choices import OrganizationKind
from applications.models import Application, Organization
from letters.models import IssuedLetter, LetterSettings
from tests.support.factories import PASSWORD, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.datetime(2025, 11, 24, 10, 0, tzinfo=SHANGHAI)
LIBREOFFICE = "/usr/bin/libreoffice"


@pytest.fixture
def clock():
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


def pdf_of(docx_path):
    """Convert with LibreOffice (headless, its own profile) and return the PDF's path."""
    if not shutil.which(LIBREOFFICE):
        pytest.fail(
            f"需要 {LIBREOFFICE}（Debian 包 libreoffice-writer-nogui，.ci/run 会安装）。",
            pytrace=False,
        )
    profile = docx_path.parent / "lo-profile"
    subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx_path.parent),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return docx_path.with_suffix(".pdf")


def test_clerk_records_an_answer_issues_its_letter_and_downloads_it(
    journey, clock, transactional_db, tmp_path
):
    district = Organization.objects.create(
        name="洛阳市洛龙区人民政府", short_name="洛龙区", kind=OrganizationKind.COUNTY
    )
    office = Organization.objects.create(
        name="洛阳市洛龙区学府街道办事处", short_name="学府街道", parent=district
    )
    LetterSettings.objects.create(
        organization=office,
        review_body="洛阳市洛龙区人民政府",
        court="洛阳市洛龙区人民法院",
        number_pattern="学府依申〔{year}〕{seq}号",
    )
    application = Application.objects.create(
        organization=office,
        received_on=datetime.date(2025, 11, 10),
        applicant_type="natural_person",
        applicant_name="张晓明",
        content="申请公开2024年学府街道老旧小区改造项目清单",
    )
    make_user("dengji", office, [CLERK], last_name="登记员小王")
    clerk = journey("letters-clerk-issues-an-answer", today=TODAY)
    page = clerk.page

    clerk.sign_in("dengji", PASSWORD)
    page.get_by_role("link", name="申请台账").click()
    page.get_by_role("link", name=application.number).click()
    # The answer: not disclosed, internal affairs, today.
    page.locator("#id_answered_on").locator("xpath=..").get_by_role("link", name="今天").click()
    page.locator("#id_outcome").select_option(value="3.5")
    page.get_by_role("button", name="保存并继续编辑").click()
    expect(page.locator(".messagelist")).to_contain_text("成功修改了")
    expect(page.locator("#application-letters")).to_contain_text("尚未出具告知书")
    clerk.shot("answer-recorded")

    page.get_by_role("link", name="出具告知书").click()
    expect(page.locator("#content-main")).to_contain_text("第十六条第一款")
    page.locator("#id_reason").fill("所申请信息为本机关人事管理方面的内部事务信息。")
    clerk.shot("issue-form")
    page.get_by_role("button", name="出具告知书").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "已出具答复（属于三类内部事务信息）（学府依申〔2025〕1号，第1版）"
    )
    letters = page.locator("#application-letters")
    expect(letters).to_contain_text("学府依申〔2025〕1号")
    expect(letters).to_contain_text("2025年11月24日")
    clerk.shot("letter-listed")

    with page.expect_download() as download_info:
        letters.get_by_role("link", name="下载").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / "letter.docx"
    download.save_as(saved)
    assert saved.read_bytes() == bytes(IssuedLetter.objects.get().content)

    pdf = pdf_of(saved)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    for expected in [
        "洛阳市洛龙区学府街道办事处",
        "政府信息公开申请答复告知书",
        "学府依申〔2025〕1号",
        "张晓明：",
        "申请公开2024年学府街道老旧小区改造项目清单",
        "《中华人民共和国政府信息公开条例》第十六条第一款",
        "向洛阳市洛龙区人民政府申请行政复议",
        "向洛阳市洛龙区人民法院提起行政诉讼",
        "2025年11月24日",
    ]:
        assert expected in flat
