"""Every ledger invariant holds in the database and is shown as a Chinese form error."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from applications import rules
from applications.choices import ApplicantType, CaseResult, ClockStopKind, Outcome
from applications.models import AdministrativeReview, Application, ClockStop, Lawsuit
from tests.support.factories import make_clock_stop, make_lawsuit, make_review

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
        lambda: make_clock_stop(
            application,
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
    assert_db_rejects(lambda: make_lawsuit(application, filed_on=D(2021, 5, 1), after_review=True))
    make_review(application, filed_on=D(2021, 4, 1))
    make_lawsuit(application, filed_on=D(2021, 5, 1), after_review=True)


def test_database_rejects_switching_a_lawsuit_to_after_review_without_review(make_application):
    application = make_application(answered_on=D(2021, 3, 9))
    lawsuit = make_lawsuit(application, filed_on=D(2021, 5, 1))
    lawsuit.after_review = True
    assert_db_rejects(lawsuit.save)


def test_database_keeps_the_review_a_lawsuit_after_review_relies_on(make_application):
    application = make_application(answered_on=D(2021, 3, 9))
    review = make_review(application, filed_on=D(2021, 4, 1))
    make_lawsuit(application, filed_on=D(2021, 5, 1), after_review=True)
    assert_db_rejects(review.delete)
    assert AdministrativeReview.objects.filter(pk=review.pk).exists()


@pytest.mark.parametrize("make_case", [make_review, make_lawsuit])
def test_a_case_keeps_its_applications_office(make_application, other_office, make_case):
    application = make_application(answered_on=D(2021, 3, 9))
    case = make_case(application)
    assert type(case).objects.get(pk=case.pk).organization_id == application.organization_id
    # Whatever office the case is given in SQL, the database puts back its application's.
    type(case).objects.filter(pk=case.pk).update(organization=other_office)
    assert type(case).objects.get(pk=case.pk).organization_id == application.organization_id


@pytest.mark.parametrize("make_case", [make_review, make_lawsuit])
def test_a_case_moves_with_its_application_to_another_office(
    make_application, other_office, make_case
):
    application = make_application(answered_on=D(2021, 3, 9))
    case = make_case(application)
    application.organization = other_office
    application.save()
    assert type(case).objects.get(pk=case.pk).organization_id == other_office.pk
    Application.objects.filter(pk=application.pk).update(organization=case.organization)
    assert type(case).objects.get(pk=case.pk).organization_id == case.organization_id


def test_a_case_loaded_from_an_older_backup_takes_its_applications_office(
    make_application, tmp_path
):
    """A backup made before cases kept their office has none in its rows; loading it (as
    lib/backup.restore does, with loaddata) gives each case its application's office."""
    application = make_application(answered_on=D(2021, 3, 9))
    fixture = tmp_path / "before-0009.json"
    fields = {"application": application.pk, "filed_on": "2021-04-01", "result": ""}
    fixture.write_text(
        json.dumps([{"model": "applications.administrativereview", "pk": 9001, "fields": fields}])
    )
    call_command("loaddata", str(fixture), verbosity=0)
    review = AdministrativeReview.objects.get(pk=9001)
    assert review.organization_id == application.organization_id


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
    assert error.value.message_dict["answered_on"] == [rules.ANSWERED_NOT_BEFORE_RECEIVED]


@pytest.mark.parametrize("model", [AdministrativeReview, Lawsuit])
def test_application_with_a_case_cannot_be_deleted(make_application, model):
    application = make_application(answered_on=D(2021, 3, 9))
    model.objects.create(
        application=application, filed_on=D(2021, 5, 1)
    ) if model is AdministrativeReview else (make_lawsuit(application, filed_on=D(2021, 5, 1)))
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
    (
        {"answered_on": "2021-03-01", "outcome": Outcome.DISCLOSED},
        rules.ANSWERED_NOT_BEFORE_RECEIVED,
    ),
    ({"answered_on": "2021-03-09"}, rules.OUTCOME_IFF_ANSWERED),
    ({"outcome": Outcome.DISCLOSED}, rules.OUTCOME_IFF_ANSWERED),
    ({"correction_received_on": "2021-03-01"}, rules.CORRECTION_NOT_BEFORE_RECEIVED),
    ({"received_on": "2021-02-30"}, "这个月没有这一天，请核对日期。"),
    (
        {
            "clock_stops-TOTAL_FORMS": "1",
            "clock_stops-0-kind": ClockStopKind.THIRD_PARTY_OPINION,
            "clock_stops-0-started_on": "2021-03-10",
            "clock_stops-0-ended_on": "2021-03-08",
        },
        rules.CLOCK_STOP_ENDS_AFTER_START,
    ),
    (
        {
            "answered_on": "2021-03-09",
            "outcome": Outcome.NOT_HELD,
            "reviews-TOTAL_FORMS": "1",
            "reviews-0-filed_on": "2021-04-01",
            "reviews-0-result": CaseResult.UPHELD,
        },
        rules.RESULT_IFF_CONCLUDED,
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
        rules.CONCLUDED_NOT_BEFORE_FILED,
    ),
    (
        {
            "answered_on": "2021-03-09",
            "outcome": Outcome.NOT_HELD,
            "lawsuits-TOTAL_FORMS": "1",
            "lawsuits-0-filed_on": "2021-04-01",
            "lawsuits-0-after_review": "on",
        },
        rules.LAWSUIT_AFTER_REVIEW_NEEDS_REVIEW,
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
    make_review(application, filed_on=D(2021, 4, 1))
    make_lawsuit(application, filed_on=D(2021, 7, 1), after_review=True)
    call_command("flush", interactive=False, verbosity=0)
    assert (
        Application.objects.count(),
        AdministrativeReview.objects.count(),
        Lawsuit.objects.count(),
    ) == (0, 0, 0)


def test_answer_before_receipt_has_one_message_in_clean_constraint_and_import(office, tmp_path):
    from applications.ledger_import import import_ledger
    from tests.support.ledger_workbooks import application_row, write_ledger

    application = Application(
        organization=office,
        received_on=D(2021, 3, 5),
        answered_on=D(2021, 3, 1),
        outcome=Outcome.DISCLOSED,
        applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="李四",
        content="x",
    )
    with pytest.raises(ValidationError) as cleaned:
        application.clean()
    with pytest.raises(ValidationError) as constrained:
        application.validate_constraints()
    path = write_ledger(
        tmp_path / "台账.xlsx",
        [
            application_row(
                **{"收到日期": "2021-03-05", "答复日期": "2021-03-01", "办理结果": "予以公开"}
            )
        ],
    )
    imported = import_ledger(path, office, apply=False)

    assert cleaned.value.message_dict["answered_on"] == [rules.ANSWERED_NOT_BEFORE_RECEIVED]
    assert constrained.value.messages == [rules.ANSWERED_NOT_BEFORE_RECEIVED]
    assert [problem.message for problem in imported.errors] == [rules.ANSWERED_NOT_BEFORE_RECEIVED]


def test_lawsuit_after_review_without_review_has_one_message_in_clean_and_database(
    make_application,
):
    application = make_application(answered_on=D(2021, 3, 9))
    lawsuit = Lawsuit(application=application, filed_on=D(2021, 5, 1), after_review=True)
    with pytest.raises(ValidationError) as cleaned:
        lawsuit.full_clean()
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        lawsuit.save()

    assert cleaned.value.message_dict["after_review"] == [rules.LAWSUIT_AFTER_REVIEW_NEEDS_REVIEW]
    assert rules.message_for_database_error(refused.value) == (
        rules.LAWSUIT_AFTER_REVIEW_NEEDS_REVIEW
    )


def test_case_rules_have_one_message_in_clean_and_constraint(make_application):
    application = make_application(answered_on=D(2021, 3, 9))
    review = AdministrativeReview(
        application=application, filed_on=D(2021, 4, 1), concluded_on=D(2021, 3, 20)
    )
    with pytest.raises(ValidationError) as cleaned:
        review.clean()
    with pytest.raises(ValidationError) as constrained:
        review.validate_constraints()

    assert cleaned.value.message_dict == {
        "concluded_on": [rules.CONCLUDED_NOT_BEFORE_FILED],
        "result": [rules.RESULT_IFF_CONCLUDED],
    }
    assert sorted(constrained.value.messages) == sorted(
        [rules.CONCLUDED_NOT_BEFORE_FILED, rules.RESULT_IFF_CONCLUDED]
    )
