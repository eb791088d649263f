"""Every ledger invariant holds in the database and is shown as a Chinese form error."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from applications.choices import ApplicantType, CaseResult, ClockStopKind, Outcome
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit

pytestmark = pytest.mark.django_db

D = datetime.date


def assert_db_rejects(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_database_rejects_answer_before_receipt(make_application):
    assert_db_rejects(
        lambda: make_application(
            received_on=D(2021, 3, 5), answered_on=D(2021, 3, 4), outcome=Outcome.DISCLOSED
        )
    )
    assert Application.objects.count() == 0


def test_database_rejects_outcome_without_answer_date(make_application):
    assert_db_rejects(lambda: make_application(outcome=Outcome.DISCLOSED))


def test_database_rejects_answer_date_without_outcome(make_application):
    assert_db_rejects(lambda: make_application(answered_on=D(2021, 3, 9), outcome=""))


def test_database_rejects_unknown_outcome_code(make_application):
    assert_db_rejects(lambda: make_application(answered_on=D(2021, 3, 9), outcome="3.9"))


def test_database_rejects_correction_before_receipt(make_application):
    assert_db_rejects(
        lambda: make_application(received_on=D(2021, 3, 5), correction_received_on=D(2021, 3, 1))
    )


def test_database_rejects_negative_fee(make_application):
    assert_db_rejects(lambda: make_application(fee_yuan=-1))


def test_database_rejects_duplicate_number_in_one_office(make_application, other_office):
    make_application(number="学府街道〔2021〕1号")
    assert_db_rejects(lambda: make_application(number="学府街道〔2021〕1号"))
    make_application(
        number="学府街道〔2021〕1号", organization=other_office
    )  # another office may reuse it


def test_database_rejects_clock_stop_ending_before_it_starts(make_application):
    application = make_application()
    assert_db_rejects(
        lambda: ClockStop.objects.create(
            application=application,
            kind=ClockStopKind.THIRD_PARTY_OPINION,
            started_on=D(2021, 3, 5),
            ended_on=D(2021, 3, 4),
        )
    )


@pytest.mark.parametrize("model", [AdministrativeReview, Lawsuit])
def test_database_rejects_case_concluded_before_filed(make_application, model):
    application = make_application(answered_on=D(2021, 3, 9))
    assert_db_rejects(
        lambda: model.objects.create(
            application=application,
            filed_on=D(2021, 5, 1),
            concluded_on=D(2021, 4, 30),
            result=CaseResult.UPHELD,
        )
    )


@pytest.mark.parametrize("model", [AdministrativeReview, Lawsuit])
def test_database_rejects_case_result_without_conclusion_date(make_application, model):
    application = make_application(answered_on=D(2021, 3, 9))
    assert_db_rejects(
        lambda: model.objects.create(
            application=application, filed_on=D(2021, 5, 1), result=CaseResult.UPHELD
        )
    )
    assert_db_rejects(
        lambda: model.objects.create(
            application=application, filed_on=D(2021, 5, 1), concluded_on=D(2021, 6, 1)
        )
    )


def test_database_rejects_lawsuit_after_review_without_review(make_application):
    application = make_application(answered_on=D(2021, 3, 9))
    assert_db_rejects(
        lambda: Lawsuit.objects.create(
            application=application, filed_on=D(2021, 5, 1), after_review=True
        )
    )
    AdministrativeReview.objects.create(application=application, filed_on=D(2021, 4, 1))
    Lawsuit.objects.create(application=application, filed_on=D(2021, 5, 1), after_review=True)


def test_database_rejects_switching_a_lawsuit_to_after_review_without_review(make_application):
    application = make_application(answered_on=D(2021, 3, 9))
    lawsuit = Lawsuit.objects.create(application=application, filed_on=D(2021, 5, 1))
    lawsuit.after_review = True
    assert_db_rejects(lawsuit.save)


def test_database_keeps_the_review_a_lawsuit_after_review_relies_on(make_application):
    application = make_application(answered_on=D(2021, 3, 9))
    review = AdministrativeReview.objects.create(application=application, filed_on=D(2021, 4, 1))
    Lawsuit.objects.create(application=application, filed_on=D(2021, 5, 1), after_review=True)
    assert_db_rejects(review.delete)
    assert AdministrativeReview.objects.filter(pk=review.pk).exists()


def test_model_validation_messages_are_chinese_and_name_the_field(make_application):
    application = Application(
        organization=make_application().organization,
        received_on=D(2021, 3, 5),
        answered_on=D(2021, 3, 1),
        applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="李四",
        content="x",
    )
    with pytest.raises(ValidationError) as error:
        application.full_clean()
    assert error.value.message_dict["answered_on"] == ["答复日期不能早于收到日期，请核对两个日期。"]


@pytest.mark.parametrize("model", [AdministrativeReview, Lawsuit])
def test_application_with_a_case_cannot_be_deleted(make_application, model):
    application = make_application(answered_on=D(2021, 3, 9))
    model.objects.create(
        application=application, filed_on=D(2021, 5, 1)
    ) if model is AdministrativeReview else (
        Lawsuit.objects.create(application=application, filed_on=D(2021, 5, 1))
    )
    with pytest.raises(ProtectedError):
        application.delete()
    assert Application.objects.filter(pk=application.pk).exists()


def application_form_data(office, **overrides):
    data = {
        "organization": office.pk,
        "number": "",
        "received_on": "2021-03-05",
        "channel": "in_person",
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": "王五",
        "applicant_id_number": "",
        "applicant_phone": "",
        "applicant_address": "",
        "content": "申请公开某项目审批文件",
        "correction_received_on": "",
        "answered_on": "",
        "outcome": "",
        "fee_yuan": "",
        "notes": "",
    }
    for prefix in ("clock_stops", "reviews", "lawsuits"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


ADMIN_FORM_CASES = [
    ({"answered_on": "2021-03-01", "outcome": Outcome.DISCLOSED}, "答复日期不能早于收到日期"),
    ({"answered_on": "2021-03-09"}, "已填写答复日期，请选择办理结果。"),
    ({"outcome": Outcome.DISCLOSED}, "已选择办理结果，请填写答复日期"),
    ({"correction_received_on": "2021-03-01"}, "补正后收到日期不能早于收到日期。"),
    ({"received_on": "2021-02-30"}, "这个月没有这一天，请核对日期。"),
    (
        {
            "clock_stops-TOTAL_FORMS": "1",
            "clock_stops-0-kind": ClockStopKind.THIRD_PARTY_OPINION,
            "clock_stops-0-started_on": "2021-03-10",
            "clock_stops-0-ended_on": "2021-03-08",
        },
        "结束日期不能早于开始日期。",
    ),
    (
        {
            "answered_on": "2021-03-09",
            "outcome": Outcome.NOT_HELD,
            "reviews-TOTAL_FORMS": "1",
            "reviews-0-filed_on": "2021-04-01",
            "reviews-0-result": CaseResult.UPHELD,
        },
        "已选择结果，请填写结案日期",
    ),
    (
        {
            "answered_on": "2021-03-09",
            "outcome": Outcome.NOT_HELD,
            "reviews-TOTAL_FORMS": "1",
            "reviews-0-filed_on": "2021-04-01",
            "reviews-0-concluded_on": "2021-03-20",
            "reviews-0-result": CaseResult.UPHELD,
        },
        "结案日期不能早于立案日期。",
    ),
    (
        {
            "answered_on": "2021-03-09",
            "outcome": Outcome.NOT_HELD,
            "lawsuits-TOTAL_FORMS": "1",
            "lawsuits-0-filed_on": "2021-04-01",
            "lawsuits-0-after_review": "on",
        },
        "该申请还没有登记行政复议，不能选择“经复议后起诉”",
    ),
]


@pytest.mark.parametrize("overrides, message", ADMIN_FORM_CASES)
def test_admin_form_rejects_invalid_application_with_chinese_message(
    admin_client, office, overrides, message
):
    response = admin_client.post(
        reverse("admin:applications_application_add"), application_form_data(office, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Application.objects.count() == 0
    assert (
        ClockStop.objects.count()
        == AdministrativeReview.objects.count()
        == Lawsuit.objects.count()
        == 0
    )


def test_admin_accepts_lawsuit_after_review_added_in_the_same_submission(admin_client, office):
    data = application_form_data(
        office,
        answered_on="2021-03-09",
        outcome=Outcome.NOT_HELD,
        **{
            "reviews-TOTAL_FORMS": "1",
            "reviews-0-filed_on": "2021-04-01",
            "lawsuits-TOTAL_FORMS": "1",
            "lawsuits-0-filed_on": "2021-06-01",
            "lawsuits-0-after_review": "on",
        },
    )
    response = admin_client.post(reverse("admin:applications_application_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert application.reviews.count() == 1
    assert application.lawsuits.get().after_review is True


def test_admin_saves_a_valid_application_with_automatic_number(admin_client, office, admin_user):
    response = admin_client.post(
        reverse("admin:applications_application_add"), application_form_data(office)
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.number == "学府街道〔2021〕1号"
    assert application.created_by == admin_user
    assert application.status_label == "办理中"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_a_ledger_with_a_lawsuit_after_review(make_application):
    """The review trigger must not stop `manage.py flush` (nor the flush between transactional tests)."""
    application = make_application(answered_on=D(2021, 3, 9))
    AdministrativeReview.objects.create(application=application, filed_on=D(2021, 4, 1))
    Lawsuit.objects.create(application=application, filed_on=D(2021, 7, 1), after_review=True)
    call_command("flush", interactive=False, verbosity=0)
    assert (
        Application.objects.count(),
        AdministrativeReview.objects.count(),
        Lawsuit.objects.count(),
    ) == (0, 0, 0)
