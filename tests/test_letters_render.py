"""Every answer and interim letter, rendered from a ledger record and read back with python-docx."""

from decimal import Decimal

import pytest
from docx import Document

from applications.choices import ClockStopKind, Outcome
from applications.models import ClockStop
from letters.fees import BY_PAGES, compute_fee
from letters.issuing import LetterRefused, issue_letter, record_fee
from letters.kinds import ANSWERS, CORRECTION, EXTENSION, FEE, KINDS, REGULATION, THIRD_PARTY
from letters.models import IssuedLetter
from tests.support.letters import COURT, REVIEW_BODY, D, ledger_application, letter_text

RELIEF = (
    f"如对本告知书不服，可以在收到本告知书之日起六十日内向{REVIEW_BODY}申请行政复议，"
    f"或者在六个月内向{COURT}提起行政诉讼。"
)


def details_for(kind):
    values = {}
    for detail in kind.fields:
        if detail.kind == "bool":
            values[detail.name] = False
        elif detail.kind == "date":
            values[detail.name] = D(2021, 3, 5)
        else:
            values[detail.name] = f"〈{detail.label}〉"
    return values


def assert_common(text, letter, kind, letter_date_text, details=None):
    assert "洛阳市洛龙区学府街道办事处" in text
    assert letter.number == "学府依申〔2021〕1号"
    assert letter.number in text
    assert "李四" in text
    assert "申请公开2020年辖区老旧小区改造项目清单" in text
    assert "2021年3月1日" in text  # received
    assert letter_date_text in text
    assert kind.title in text
    assert kind.article_for(details or {}) in text
    assert kind.article_for(details or {}).startswith(REGULATION)
    for mark in ("{{", "}}", "{%", "%}"):
        assert mark not in text
    for detail in kind.fields:
        if detail.kind not in ("bool", "date") and detail.required:
            assert f"〈{detail.label}〉" in text


ANSWER_CODES = [kind.code for kind in ANSWERS]


def test_every_outcome_but_other_has_an_answer_letter():
    assert set(ANSWER_CODES) == set(Outcome.values) - {Outcome.OTHER}


@pytest.mark.parametrize("code", ANSWER_CODES)
def test_answer_letter_is_rendered_from_the_ledger(letter_office, django_user_model, code):
    clerk = django_user_model.objects.create(username="clerk")
    application = ledger_application(
        letter_office,
        answered_on=D(2021, 3, 26),
        outcome=code,
        correction_received_on=D(2021, 3, 8),
    )
    kind = KINDS[code]
    details = details_for(kind)
    letter = issue_letter(application, kind, clerk, details)
    text = letter_text(letter.content)
    assert_common(text, letter, kind, "2021年3月26日", details)
    assert RELIEF in text
    assert letter.letter_date == D(2021, 3, 26)
    assert letter.issued_by == clerk and letter.version == 1
    if code == "4.3":
        assert "于2021年3月8日收到您补正后的申请" in text


def test_already_published_answer_cites_item_one(letter_office):
    application = ledger_application(letter_office, answered_on=D(2021, 3, 26), outcome="1")
    kind = KINDS["1"]
    letter = issue_letter(
        application, kind, None, {"already_published": True, "how_to_get": "本机关网站"}
    )
    text = letter_text(letter.content)
    assert f"{REGULATION}第三十六条第（一）项" in text
    assert "本机关已经主动公开" in text


def test_not_held_names_the_holder_under_item_five(letter_office):
    application = ledger_application(letter_office, answered_on=D(2021, 3, 26), outcome="4.1")
    letter = issue_letter(
        application,
        KINDS["4.1"],
        None,
        {"holder": "洛龙区住房和城乡建设局", "holder_contact": "0379-12345678"},
    )
    text = letter_text(letter.content)
    assert f"{REGULATION}第三十六条第（五）项" in text
    assert "洛龙区住房和城乡建设局（联系方式：0379-12345678）" in text


def test_correction_notice_uses_the_entered_date_and_the_configured_period(letter_office):
    application = ledger_application(letter_office)
    kind = KINDS[CORRECTION]
    letter = issue_letter(application, kind, None, details_for(kind))
    text = letter_text(letter.content)
    assert_common(text, letter, kind, "2021年3月5日")
    assert "10个工作日内补正" in text and "一次性告知" in text
    assert RELIEF in text


def test_extension_notice_prints_the_ledgers_extended_deadline(letter_office):
    application = ledger_application(letter_office, extended=True)
    kind = KINDS[EXTENSION]
    letter = issue_letter(application, kind, None, details_for(kind))
    text = letter_text(letter.content)
    assert_common(text, letter, kind, "2021年3月5日")
    # 20 + 20 working days after Monday 1 March 2021 (no holidays in between but 清明 5 April).
    assert application.due_on == application.deadline().due_on
    assert (
        f"将于{application.due_on.year}年{application.due_on.month}月{application.due_on.day}日前作出答复"
        in text
    )
    assert RELIEF in text


def test_third_party_letter_is_addressed_to_the_third_party_on_the_clock_stop_date(letter_office):
    application = ledger_application(letter_office)
    ClockStop.objects.create(
        application=application, kind=ClockStopKind.THIRD_PARTY_OPINION, started_on=D(2021, 3, 4)
    )
    kind = KINDS[THIRD_PARTY]
    details = {"third_party_name": "洛阳某某置业有限公司", "concern": "〈可能损害的权益〉"}
    letter = issue_letter(application, kind, None, details)
    text = letter_text(letter.content)
    assert_common(
        text.replace("洛阳某某置业有限公司", "〈第三方名称〉"), letter, kind, "2021年3月4日"
    )
    assert "洛阳某某置业有限公司：" in text
    assert "15个工作日内提出书面意见" in text
    assert "申请行政复议" not in text  # not a decision on the third party's rights


def test_fee_notice_prints_the_recorded_fee_and_its_computation(letter_office):
    application = ledger_application(letter_office)
    ClockStop.objects.create(
        application=application, kind=ClockStopKind.FEE_NOTICE, started_on=D(2021, 3, 10)
    )
    record_fee(application, compute_fee(application, BY_PAGES, 101), None)
    application.refresh_from_db()
    assert application.fee_yuan == Decimal("720")
    kind = KINDS[FEE]
    letter = issue_letter(application, kind, None, {})
    text = letter_text(letter.content)
    assert_common(text, letter, kind, "2021年3月10日")
    assert "信息处理费人民币720元" in text
    assert "第101页共1页，每页20元，计20元" in text
    assert "20个工作日内缴纳" in text
    assert RELIEF in text


def test_default_letters_are_a4_with_a_seal_space(letter_office):
    application = ledger_application(letter_office, answered_on=D(2021, 3, 26), outcome="3.1")
    letter = issue_letter(application, KINDS["3.1"], None, details_for(KINDS["3.1"]))
    import io

    document = Document(io.BytesIO(bytes(letter.content)))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[:3] == [
        "洛阳市洛龙区学府街道办事处",
        "政府信息公开申请答复告知书",
        "学府依申〔2021〕1号",
    ]
    assert lines[3] == "李四："
    assert lines[-3:] == ["（印章）", "洛阳市洛龙区学府街道办事处", "2021年3月26日"]


def test_answer_without_answer_date_is_refused_naming_the_field(letter_office):
    application = ledger_application(letter_office)
    with pytest.raises(LetterRefused) as refused:
        issue_letter(application, KINDS["1"], None, details_for(KINDS["1"]))
    assert "请先在申请中填写“答复日期”。" in refused.value.problems
    assert not IssuedLetter.objects.exists()


def test_still_unclear_without_correction_date_is_refused_naming_the_field(letter_office):
    application = ledger_application(letter_office, answered_on=D(2021, 3, 26), outcome="4.3")
    with pytest.raises(LetterRefused) as refused:
        issue_letter(application, KINDS["4.3"], None, {})
    assert refused.value.problems == ["请先在申请中填写“补正后收到日期”。"]


def test_extension_without_the_ledgers_extension_is_refused(letter_office):
    application = ledger_application(letter_office)
    with pytest.raises(LetterRefused) as refused:
        issue_letter(application, KINDS[EXTENSION], None, details_for(KINDS[EXTENSION]))
    assert refused.value.problems == ["请先在申请中勾选“延期答复”。"]


def test_office_without_letter_settings_is_told_who_sets_them(db, django_user_model):
    from applications.models import Organization

    office = Organization.objects.create(name="某街道办事处", short_name="某街道")
    application = ledger_application(office, answered_on=D(2021, 3, 26), outcome="3.3")
    with pytest.raises(LetterRefused) as refused:
        issue_letter(application, KINDS["3.3"], None, details_for(KINDS["3.3"]))
    assert "复议机关和人民法院" in refused.value.problems[0]


def test_reissuing_makes_a_new_version_with_the_same_number_and_keeps_the_old(letter_office):
    application = ledger_application(letter_office, answered_on=D(2021, 3, 26), outcome="3.5")
    first = issue_letter(application, KINDS["3.5"], None, {"reason": "第一稿理由"})
    second = issue_letter(application, KINDS["3.5"], None, {"reason": "更正后的理由"})
    assert (first.version, second.version) == (1, 2)
    assert first.number == second.number == "学府依申〔2021〕1号"
    first.refresh_from_db()
    assert "第一稿理由" in letter_text(first.content)
    assert "更正后的理由" in letter_text(second.content)


def test_letter_numbers_run_per_office_and_year(letter_office):
    one = ledger_application(letter_office, answered_on=D(2021, 3, 26), outcome="3.3")
    two = ledger_application(letter_office, answered_on=D(2021, 4, 6), outcome="3.3")
    three = ledger_application(
        letter_office, received_on=D(2021, 12, 20), answered_on=D(2022, 1, 5), outcome="3.3"
    )
    numbers = [
        issue_letter(a, KINDS["3.3"], None, {"reason": "理由"}).number for a in (one, two, three)
    ]
    assert numbers == ["学府依申〔2021〕1号", "学府依申〔2021〕2号", "学府依申〔2022〕1号"]


def test_issued_letter_cannot_be_changed_or_deleted(letter_office):
    from django.core.exceptions import ValidationError

    application = ledger_application(letter_office, answered_on=D(2021, 3, 26), outcome="3.3")
    letter = issue_letter(application, KINDS["3.3"], None, {"reason": "理由"})
    letter.number = "改过的文号"
    with pytest.raises(ValidationError):
        letter.save()
    with pytest.raises(ValidationError):
        letter.delete()
    with pytest.raises(ValidationError):
        IssuedLetter.objects.filter(pk=letter.pk).update(number="改过的文号")
    with pytest.raises(ValidationError):
        IssuedLetter.objects.all().delete()
    assert IssuedLetter.objects.get().number == "学府依申〔2021〕1号"


def test_issued_letters_join_the_applications_history_timeline(letter_office, django_user_model):
    from applications.history import application_timeline

    clerk = django_user_model.objects.create(username="clerk")
    application = ledger_application(
        letter_office, answered_on=D(2021, 3, 26), outcome=Outcome.DISCLOSED
    )
    kind = KINDS[Outcome.DISCLOSED.value]
    first = issue_letter(application, kind, clerk, details_for(kind))
    issue_letter(application, kind, clerk, details_for(kind))
    subjects = [entry.subject for entry in application_timeline(application)]
    assert f"{first.kind_label}（{first.number}，第1版）" in subjects
    assert f"{first.kind_label}（{first.number}，第2版）" in subjects
