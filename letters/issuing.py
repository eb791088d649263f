"""Issuing a letter from the ledger: what must be filled in first, the context, the record.

Every date printed comes from the ledger (the answer: 答复日期; the third-party letter and
the 收费通知: the start of their clock stop; the extended deadline: the deadline
computation); only a 补正 or 延期 notice, which the ledger keeps no date for, takes the
date the clerk gives.
"""

from decimal import Decimal

from django.db import transaction

from applications.choices import ClockStopKind
from applications.deadlines import chinese_date
from applications.models import Application

from .kinds import DATE_ANSWERED, DATE_ENTERED, EXTENSION, FEE, INTERIM, KIND_LABELS, answer_kind
from .models import FeeAssessment, IssuedLetter, LetterSettings, next_letter_number
from .rendering import render, template_for

NO_SETTINGS = (
    "本机关尚未设置告知书的复议机关和人民法院，请系统管理员在“告知书 › 告知书设置”中填写后再出具。"
)


class LetterRefused(Exception):
    """The letter cannot be issued yet; `problems` say what to fill in, in Chinese."""

    def __init__(self, problems):
        super().__init__("；".join(problems))
        self.problems = problems


def field_label(name):
    return Application._meta.get_field(name).verbose_name


def missing(name):
    return f"请先在申请中填写“{field_label(name)}”。"


def latest_clock_stop(application, stop_kind):
    stops = [stop for stop in application.clock_stops.all() if stop.kind == stop_kind]
    return max(stops, key=lambda stop: (stop.started_on, stop.pk), default=None)


def latest_fee(application):
    return application.fee_assessments.order_by("-assessed_at", "-id").first()


def kinds_for(application):
    """The letter kinds offered for an application: its answer (once answered) and the interim ones."""
    offered = []
    if application.outcome and answer_kind(application.outcome):
        offered.append(answer_kind(application.outcome))
    return [*offered, *INTERIM]


def problems_for(kind, application, letter_settings):
    """Why this letter cannot be issued from the ledger as it stands (empty: it can)."""
    problems = []
    if letter_settings is None:
        problems.append(NO_SETTINGS)
    if kind.is_answer:
        if application.answered_on is None:
            problems.append(missing("answered_on"))
        if application.outcome != kind.outcome:
            problems.append(
                f"申请的“{field_label('outcome')}”不是“{kind_label(kind)}”，请先核对办理结果。"
            )
        if kind.code == "4.3" and application.correction_received_on is None:
            problems.append(missing("correction_received_on"))
    if kind.code == EXTENSION:
        if not application.extended:
            problems.append(f"请先在申请中勾选“{field_label('extended')}”。")
        elif application.due_on is None:
            problems.append("答复期限暂停计算（待定），请先填写不计入期限期间的结束日期。")
    if kind.clock_stop and latest_clock_stop(application, kind.clock_stop) is None:
        problems.append(
            f"请先在申请中登记“不计入答复期限的期间”：事由“{ClockStopKind(kind.clock_stop).label}”及其开始日期。"
        )
    if kind.code == FEE:
        fee = latest_fee(application)
        if fee is None or not fee.amount:
            problems.append("请先计算信息处理费（金额大于0），再出具收费通知。")
        elif application.fee_yuan != fee.amount:
            problems.append(
                f"申请的“{field_label('fee_yuan')}”与最近一次计算的金额不一致，请重新计算并记录。"
            )
    return problems


def kind_label(kind):
    return KIND_LABELS[kind.code]


def letter_date_for(kind, application, details):
    if kind.date_source == DATE_ANSWERED:
        return application.answered_on
    if kind.date_source == DATE_ENTERED:
        return details.get("letter_date")
    return latest_clock_stop(application, kind.clock_stop).started_on


def letter_extras(kind, application, letter_settings):
    """Values from the ledger that only some kinds print."""
    extras = {}
    if kind.code == "4.3":
        extras["correction_received_on"] = chinese_date(application.correction_received_on)
    if kind.code == EXTENSION:
        extras["due_on"] = chinese_date(application.due_on)
    if kind.code == FEE:
        fee = latest_fee(application)
        extras["fee_amount"] = format_yuan(fee.amount)
        extras["fee_explanation"] = f"{fee.get_method_display()}。{fee.explanation}"
    return extras


def format_yuan(amount):
    amount = Decimal(amount)
    return str(amount.quantize(Decimal(1))) if amount == amount.to_integral() else str(amount)


def letter_context(kind, application, letter_settings, number, letter_date, details, extras):
    context = {
        "office_name": application.organization.name,
        "doc_number": number,
        "title": kind.title,
        "addressee": details.get("third_party_name")
        if kind.to_third_party
        else application.applicant_name,
        "applicant_name": application.applicant_name,
        "application_number": application.number,
        "received_on": chinese_date(application.received_on),
        "content": application.content,
        "letter_date": chinese_date(letter_date),
        "article": kind.article_for(details),
        "relief": letter_settings.relief,
        "review_body": letter_settings.review_body,
        "court": letter_settings.court,
        "correction_days": letter_settings.correction_days,
        "payment_days": letter_settings.payment_days,
    }
    context.update({name: value for name, value in details.items() if name != "letter_date"})
    context.update(extras)
    return context


def issue_letter(application, kind, user, details):
    """Render and store a new version of the letter; raises LetterRefused naming what is missing."""
    letter_settings = LetterSettings.objects.filter(organization=application.organization).first()
    problems = problems_for(kind, application, letter_settings)
    if problems:
        raise LetterRefused(problems)
    letter_date = letter_date_for(kind, application, details)
    with transaction.atomic():
        # Lock the application: two clerks re-issuing at once get versions n and n+1.
        Application.objects.select_for_update().filter(pk=application.pk).first()
        version = IssuedLetter.next_version(application, kind.code)
        previous = IssuedLetter.objects.filter(application=application, kind=kind.code).first()
        number = (
            previous.number if previous else next_letter_number(letter_settings, letter_date.year)
        )
        context = letter_context(
            kind,
            application,
            letter_settings,
            number,
            letter_date,
            details,
            letter_extras(kind, application, letter_settings),
        )
        template_bytes, source = template_for(application.organization, kind)
        data = render(template_bytes, context)
        stored = {
            name: chinese_date(value) if hasattr(value, "isoformat") else value
            for name, value in details.items()
        }
        return IssuedLetter.objects.create(
            application=application,
            kind=kind.code,
            version=version,
            number=number,
            letter_date=letter_date,
            addressee=context["addressee"],
            content=data,
            filename=f"{number}{kind.title}（第{version}版）.docx",
            template_source=source,
            details=stored,
            issued_by=user,
        )


def record_fee(application, computation, user):
    """Keep the computation and record its amount as the application's fee (table 二, section 六)."""
    with transaction.atomic():
        assessment = FeeAssessment.objects.create(
            application=application,
            method=computation.method,
            quantity=computation.quantity,
            matched_by=computation.matched_by,
            amount=computation.amount,
            explanation=computation.explanation,
            assessed_by=user,
        )
        application.fee_yuan = computation.amount
        application.updated_by = user
        application._history_user = user
        application.save(update_fields=["fee_yuan", "updated_by", "updated_at"])
    return assessment
