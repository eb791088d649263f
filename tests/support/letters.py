"""A small ledger for the letter tests: one office with its letter settings, and a way to
read an issued letter back as text."""

import datetime
import io

import pytest
from docx import Document

from applications.choices import ApplicantType
from applications.models import Application, Organization
from letters.models import LetterSettings

D = datetime.date
REVIEW_BODY = "洛阳市洛龙区人民政府"
COURT = "洛阳市洛龙区人民法院"


@pytest.fixture
def letter_office(db):
    district = Organization.objects.create(
        name="洛阳市洛龙区人民政府", short_name="洛龙区", kind="county"
    )
    office = Organization.objects.create(
        name="洛阳市洛龙区学府街道办事处", short_name="学府街道", parent=district
    )
    LetterSettings.objects.create(
        organization=office,
        review_body=REVIEW_BODY,
        court=COURT,
        number_pattern="学府依申〔{year}〕{seq}号",
    )
    return office


def ledger_application(office, **fields):
    fields.setdefault("received_on", D(2021, 3, 1))
    fields.setdefault("applicant_type", ApplicantType.NATURAL_PERSON)
    fields.setdefault("applicant_name", "李四")
    fields.setdefault("content", "申请公开2020年辖区老旧小区改造项目清单")
    return Application.objects.create(organization=office, **fields)


def letter_text(data):
    document = Document(io.BytesIO(bytes(data)))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)
