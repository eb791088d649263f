"""The disclosure ledger (依申请公开台账): offices, applications, and what happened to them."""

import re

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Case as SqlCase
from django.db.models import Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Upper
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.permissions import VIEW_SUBORDINATE_OFFICES, meta_permission
from lib.display import chinese_date, deadline_text

from . import rules
from .choices import (
    OUTCOME_GROUPS,
    ApplicantType,
    CaseResult,
    Channel,
    ClockStopKind,
    OrganizationKind,
    Outcome,
    outcome_full_label,
)
from .deadlines import (
    DeadlineStatus,
    deadline_for,
    deadline_status,
    due_soon_until,
    recompute_deadlines,
)


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Offices whose records this user may see.

        Superusers see every office. Anyone else sees their own office, and, with the
        district permission, the offices directly under it. No office means nothing.
        """
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if not user.organization_id:
            return self.none()
        scope = Q(pk=user.organization_id)
        if user.has_perm(VIEW_SUBORDINATE_OFFICES):
            scope |= Q(parent_id=user.organization_id)
        return self.filter(scope)


class Organization(models.Model):
    """A government body that answers disclosure applications (机关)."""

    name = models.CharField(
        "机关全称", max_length=100, unique=True, help_text="例如：洛阳市洛龙区学府街道办事处"
    )
    short_name = models.CharField("简称", max_length=30, help_text="用于申请编号，例如：学府街道")
    kind = models.CharField(
        "机关类型",
        max_length=20,
        choices=OrganizationKind.choices,
        default=OrganizationKind.SUBDISTRICT,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机关",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="区县汇总时，本机关的数据计入上级机关。",
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["name"]
        permissions = [meta_permission(VIEW_SUBORDINATE_OFFICES)]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organization_not_own_parent",
                violation_error_message=rules.PARENT_NOT_SELF,
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        rules.raise_violations(rules.parent_not_self(self.pk, self.parent_id))


class ApplicationNumberSequence(models.Model):
    """The last automatic sequence number used per office and year.

    Kept in its own row so that concurrent saves can lock it (SELECT ... FOR UPDATE)
    instead of racing on max(number).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "申请编号序列"
        verbose_name_plural = "申请编号序列"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_number_sequence_per_office_year"
            ),
        ]

    def __str__(self):
        return f"{self.organization_id}·{self.year}：{self.last_number}"


def locked_sequence(model, organization, year):
    """The office's sequence row of `model` for the year (an ApplicationNumberSequence or
    the like), created if missing and locked (SELECT ... FOR UPDATE) until the caller's
    transaction commits, so two saves at once never take the same number."""
    try:
        with transaction.atomic():
            model.objects.get_or_create(organization=organization, year=year)
    except IntegrityError:
        pass  # Another transaction created the row first; we lock it below.
    return model.objects.select_for_update().get(organization=organization, year=year)


def format_application_number(organization, year, sequence):
    return f"{organization.short_name}〔{year}〕{sequence}号"


def sequence_numbers(numbers, prefix):
    """The sequence parts of numbers written `<prefix><序号>号` ('学府街道〔2026〕906号' -> 906)."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)号")
    return [int(match.group(1)) for match in map(pattern.fullmatch, numbers) if match]


def next_application_number(organization, year):
    """Reserve and return the next free `<简称>〔<年>〕<序号>号` for an office and year.

    Must run inside the transaction that saves the application: the sequence row stays
    locked until it commits, so two clerks saving at once get different numbers.
    """
    sequence = locked_sequence(ApplicationNumberSequence, organization, year)
    # Numbers typed by hand (or imported) may be ahead of the sequence: continue after the
    # highest of the year (〔2026〕907号 after 901–906号), never fill gaps below it.
    prefix = f"{organization.short_name}〔{year}〕"
    taken = Application.objects.filter(
        organization=organization, number__startswith=prefix
    ).values_list("number", flat=True)
    candidate = max([sequence.last_number, *sequence_numbers(taken, prefix)]) + 1
    sequence.last_number = candidate
    sequence.save(update_fields=["last_number"])
    return format_application_number(organization, year, candidate)


# 逾期答复 in the database: answered after the stored deadline (deadlines.deadline_status).
ANSWERED_LATE = Q(answered_on__isnull=False, due_on__isnull=False, answered_on__gt=F("due_on"))


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def pending(self):
        return self.filter(answered_on__isnull=True)

    def answered(self):
        return self.filter(answered_on__isnull=False)

    def in_outcome_group(self, group_code):
        group = next(group for group in OUTCOME_GROUPS if group.code == group_code)
        return self.filter(outcome__in=[outcome.value for outcome in group.outcomes])

    def overdue(self, today=None):
        """Not answered and past the deadline (已逾期未答复)."""
        return self.pending().filter(due_on__lt=today or timezone.localdate())

    def due_soon(self, today=None, calendar=None):
        """Not answered and due today or within the next 5 working days (即将到期)."""
        today = today or timezone.localdate()
        return self.pending().filter(due_on__gte=today, due_on__lte=due_soon_until(today, calendar))

    def answered_late(self):
        """Answered after the stored deadline (逾期答复); the rule of deadlines.deadline_status."""
        return self.filter(ANSWERED_LATE)

    def with_deadline_status(self, today=None):
        """Annotate status_now (a DeadlineStatus value), the same rule as deadlines.deadline_status."""
        today = today or timezone.localdate()
        return self.annotate(
            status_now=SqlCase(
                When(ANSWERED_LATE, then=Value(DeadlineStatus.LATE.value)),
                When(answered_on__isnull=False, then=Value(DeadlineStatus.ON_TIME.value)),
                When(due_on__lt=today, then=Value(DeadlineStatus.OVERDUE.value)),
                default=Value(DeadlineStatus.PENDING.value),
                output_field=models.CharField(),
            )
        )

    def same_applicant_as(self, application):
        """Other applications by the same person: same ID number, same phone or same name.

        Repeat applications are what 重复申请 (5.2) and the fee rules look at.
        """
        same = Q(applicant_name=application.applicant_name)
        if application.applicant_id_number:
            same |= Q(applicant_id_number=application.applicant_id_number)
        if application.applicant_phone:
            same |= Q(applicant_phone=application.applicant_phone)
        return self.filter(same).exclude(pk=application.pk)

    def affected_by_calendar_days(self, days):
        """Applications whose deadline may change when these calendar days change.

        A day matters when it lies after receipt and on or before the stored deadline, or
        inside a clock stop; provisional and suspended deadlines are always redone.
        """
        scope = Q(due_on__isnull=True) | Q(due_is_provisional=True)
        for day in days:
            stops = ClockStop.objects.filter(application=OuterRef("pk"), started_on__lt=day).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=day)
            )
            scope |= Q(received_on__lt=day, due_on__gte=day) | Exists(stops)
        return self.filter(scope)

    def recompute_deadlines(self, calendar=None):
        """Store the current deadline of every application here; returns how many changed."""
        return recompute_deadlines(self, calendar)


class Application(models.Model):
    """One disclosure application (一件政府信息公开申请), as counted in table 三."""

    organization = models.ForeignKey(
        Organization, verbose_name="受理机关", on_delete=models.PROTECT, related_name="applications"
    )
    number = models.CharField(
        "申请编号",
        max_length=60,
        blank=True,
        help_text="留空则保存时自动编号，格式为“简称〔年份〕序号号”。",
    )
    received_on = models.DateField(
        "收到日期",
        help_text="条例第三十一条规定的收到之日：当面提交为提交之日；邮寄为签收之日；平常信函为与申请人确认之日；网络、传真为双方确认之日。",
    )
    channel = models.CharField(
        "申请方式", max_length=20, choices=Channel.choices, default=Channel.IN_PERSON
    )
    applicant_type = models.CharField(
        "申请人类型",
        max_length=20,
        choices=ApplicantType.choices,
        help_text="多个申请人的，按第一申请人填写。",
    )
    applicant_name = models.CharField("申请人", max_length=200)
    applicant_id_number = models.CharField(
        "证件号码", max_length=40, blank=True, help_text="身份证号或统一社会信用代码。"
    )
    applicant_phone = models.CharField("联系电话", max_length=40, blank=True)
    applicant_address = models.CharField("联系地址", max_length=300, blank=True)
    content = models.TextField("申请内容")
    correction_received_on = models.DateField(
        "补正后收到日期",
        null=True,
        blank=True,
        help_text="要求申请人补正的，填写收到补正申请的日期；答复期限自该日起算。",
    )
    extended = models.BooleanField(
        "延期答复", default=False, help_text="经批准延长答复期限的，期限延长20个工作日。"
    )
    answered_on = models.DateField(
        "答复日期",
        null=True,
        blank=True,
        help_text="出具答复之日；逾期不补正、逾期不缴费或申请人撤回的，填写办结之日。",
    )
    outcome = models.CharField(
        "办理结果",
        max_length=4,
        choices=Outcome.choices,
        blank=True,
        help_text="填写答复日期时必须选择办理结果。",
    )
    fee_yuan = models.DecimalField(
        "信息处理费（元）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="按《政府信息公开信息处理费管理办法》实际收取的金额；未收费留空。",
    )
    notes = models.TextField("备注", blank=True)
    due_on = models.DateField(
        "答复期限",
        null=True,
        blank=True,
        editable=False,
        help_text="根据收到日期、补正、延期和不计入期限的期间自动计算；有尚未结束的暂停期间时为空（待定）。",
    )
    due_is_provisional = models.BooleanField(
        "答复期限待确认",
        default=False,
        editable=False,
        help_text="期限用到了工作日历尚未收录的年份，暂按周一至周五计算。",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "依申请公开申请"
        verbose_name_plural = "依申请公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [
            # The answer date and the id come with the receipt date, the deadline with the
            # answer date (PostgreSQL only): the five-year chart, the late answers per
            # office and an office's reviews and lawsuits (joined by id) read the index alone.
            models.Index(
                fields=["organization", "received_on"],
                include=["answered_on", "id"],
                name="application_org_received_ans",
            ),
            models.Index(
                fields=["organization", "answered_on"],
                include=["due_on"],
                name="application_org_answered_due",
            ),
            models.Index(fields=["organization", "due_on"], name="application_org_due"),
            # Section 六's fees: the few applications with a fee, by office and answer date.
            models.Index(
                fields=["organization", "answered_on"],
                condition=Q(fee_yuan__gt=0),
                name="application_org_fee_answered",
            ),
            # The admin list's order (newest first, read backwards) and its first and last
            # year received (MIN/MAX); "recently answered" across many offices (home page).
            models.Index(fields=["received_on", "id"], name="application_received"),
            models.Index(fields=["answered_on", "id"], name="application_answered"),
            # Open applications are a small share of a ledger: partial indexes keep the
            # pending list, its count and the home page's deadline lists off the rest.
            models.Index(
                fields=["received_on", "id"],
                condition=Q(answered_on__isnull=True),
                name="application_pending_received",
            ),
            models.Index(
                fields=["due_on", "organization"],
                condition=Q(answered_on__isnull=True),
                name="application_pending_due",
            ),
            # The admin search matches ID number and phone by the whole value: as typed for
            # a term without case, in any case for a term with letters (an ID number's x, a
            # credit code), which must not leave the other fields' indexes a table scan.
            models.Index(fields=["applicant_id_number"], name="application_id_number"),
            models.Index(Upper("applicant_id_number"), name="application_id_number_upper"),
            models.Index(fields=["applicant_phone"], name="application_phone"),
            models.Index(Upper("applicant_phone"), name="application_phone_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                name="application_number_unique_per_office",
                violation_error_message=rules.NUMBER_UNIQUE_PER_OFFICE,
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                name="application_answered_not_before_received",
                violation_error_message=rules.ANSWERED_NOT_BEFORE_RECEIVED,
            ),
            models.CheckConstraint(
                condition=(Q(answered_on__isnull=True) & Q(outcome=""))
                | (Q(answered_on__isnull=False) & Q(outcome__in=Outcome.values)),
                name="application_outcome_iff_answered",
                violation_error_message=rules.OUTCOME_IFF_ANSWERED,
            ),
            models.CheckConstraint(
                condition=Q(correction_received_on__isnull=True)
                | Q(correction_received_on__gte=F("received_on")),
                name="application_correction_not_before_received",
                violation_error_message=rules.CORRECTION_NOT_BEFORE_RECEIVED,
            ),
            models.CheckConstraint(
                condition=Q(fee_yuan__isnull=True) | Q(fee_yuan__gte=0),
                name="application_fee_not_negative",
                violation_error_message=rules.FEE_NOT_NEGATIVE,
            ),
        ]

    def __str__(self):
        return self.number or "（新申请）"

    def save(self, *args, **kwargs):
        self.set_deadline()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "due_on", "due_is_provisional"}
        if self.number:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            self.number = next_application_number(self.organization, self.received_on.year)
            super().save(*args, **kwargs)

    @property
    def is_answered(self):
        return self.answered_on is not None

    @property
    def status_label(self):
        return "已答复" if self.is_answered else "办理中"

    @property
    def outcome_label(self):
        return outcome_full_label(self.outcome) if self.outcome else ""

    @property
    def deadline_status(self):
        """办理中 / 按期答复 / 逾期答复 / 已逾期未答复, as of today."""
        return deadline_status(self.answered_on, self.due_on)

    @property
    def deadline_status_label(self):
        return DeadlineStatus(self.deadline_status).label

    @property
    def deadline_text(self):
        """The stored deadline as lists show it (lib.display.deadline_text)."""
        return deadline_text(self.due_on, self.due_is_provisional)

    def deadline(self, calendar=None, clock_stops=None):
        """The full deadline computation (deadlines.Deadline), for explaining it on screen."""
        return deadline_for(self, clock_stops, calendar)

    def set_deadline(self, calendar=None, clock_stops=None):
        """Compute due_on and due_is_provisional (not saved); clock_stops are read unless given."""
        deadline = self.deadline(calendar, clock_stops)
        self.due_on = deadline.due_on
        self.due_is_provisional = deadline.is_provisional
        return deadline

    def refresh_deadline(self):
        """Recompute and store the deadline without touching anything else (after a clock stop changes)."""
        self.set_deadline()
        Application.objects.filter(pk=self.pk).update(
            due_on=self.due_on, due_is_provisional=self.due_is_provisional
        )

    def clean(self):
        rules.raise_violations(
            rules.answered_not_before_received(self.received_on, self.answered_on),
            rules.outcome_iff_answered(self.answered_on, self.outcome),
            rules.correction_not_before_received(self.received_on, self.correction_received_on),
            rules.fee_not_negative(self.fee_yuan),
        )


class ClockStop(models.Model):
    """A period that does not count towards the answer deadline."""

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="clock_stops"
    )
    kind = models.CharField("事由", max_length=30, choices=ClockStopKind.choices)
    started_on = models.DateField("开始日期", help_text="发出征求意见函或收费通知的日期。")
    ended_on = models.DateField(
        "结束日期", null=True, blank=True, help_text="收到意见或缴费的日期；尚未结束的留空。"
    )
    notes = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "不计入答复期限的期间"
        verbose_name_plural = "不计入答复期限的期间"
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="clock_stop_ends_after_start",
                violation_error_message=rules.CLOCK_STOP_ENDS_AFTER_START,
            ),
        ]

    def __str__(self):
        end = f"至{chinese_date(self.ended_on)}" if self.ended_on else "起，尚未结束"
        return f"{self.get_kind_display()}（{chinese_date(self.started_on)}{end}）"

    # The deadline depends on the clock stops: keep the application's stored one current.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.application.refresh_deadline()

    def clean(self):
        rules.raise_violations(rules.clock_stop_ends_after_start(self.started_on, self.ended_on))

    def delete(self, *args, **kwargs):
        application = self.application
        result = super().delete(*args, **kwargs)
        application.refresh_deadline()
        return result


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(organization__in=Organization.objects.visible_to(user))


class Case(models.Model):
    """What a review and a lawsuit have in common."""

    filed_on = models.DateField("立案日期")
    result = models.CharField(
        "结果", max_length=20, choices=CaseResult.choices, blank=True, help_text="尚未审结的留空。"
    )
    concluded_on = models.DateField("结案日期", null=True, blank=True, help_text="尚未审结的留空。")
    notes = models.TextField("备注", blank=True)
    # The application's office, kept beside it so that a district's cases are found by
    # office without joining its million applications (docs/performance.md). Every save
    # sets it (case_takes_its_applications_office); database triggers (migration 0009)
    # keep it equal to the application's office whatever writes to either table.
    organization = models.ForeignKey(
        Organization,
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["filed_on", "id"]

    @property
    def result_label(self):
        return f"结果{self.get_result_display()}" if self.result else "尚未审结"

    @classmethod
    def case_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=F("filed_on")),
                name=f"{prefix}_concluded_not_before_filed",
                violation_error_message=rules.CONCLUDED_NOT_BEFORE_FILED,
            ),
            models.CheckConstraint(
                condition=(Q(concluded_on__isnull=True) & Q(result=""))
                | (Q(concluded_on__isnull=False) & Q(result__in=CaseResult.values)),
                name=f"{prefix}_result_iff_concluded",
                violation_error_message=rules.RESULT_IFF_CONCLUDED,
            ),
        ]

    def clean(self):
        rules.raise_violations(*self.violations())

    def violations(self):
        return [
            rules.concluded_not_before_filed(self.filed_on, self.concluded_on),
            rules.result_iff_concluded(self.concluded_on, self.result),
        ]


class AdministrativeReview(Case):
    """行政复议 over one application, with this office as respondent."""

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="reviews"
    )
    filed_on = models.DateField("复议申请日期")
    review_body = models.CharField("复议机关", max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta(Case.Meta):
        verbose_name = "行政复议"
        verbose_name_plural = "行政复议"
        constraints = Case.case_constraints("review")

    def __str__(self):
        return f"{self.application}的行政复议（{chinese_date(self.filed_on)}）"


class Lawsuit(Case):
    """行政诉讼 over one application, with this office as defendant."""

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="lawsuits"
    )
    filed_on = models.DateField("起诉日期")
    after_review = models.BooleanField(
        "经复议后起诉",
        default=False,
        help_text="申请人先申请行政复议、对复议结果不服再起诉的，请勾选（该申请须已登记行政复议）。",
    )
    court = models.CharField("受理法院", max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta(Case.Meta):
        verbose_name = "行政诉讼"
        verbose_name_plural = "行政诉讼"
        # after_review needs a review of the same application: that spans two tables,
        # so it is enforced by triggers (migration 0002), not a CheckConstraint.
        constraints = Case.case_constraints("lawsuit")

    def __str__(self):
        return f"{self.application}的行政诉讼（{chinese_date(self.filed_on)}）"

    def violations(self):
        needs_review = self.after_review and bool(self.application_id)
        has_review = needs_review and self.application.reviews.exists()
        return [
            *super().violations(),
            rules.lawsuit_after_review_needs_review(needs_review, has_review),
        ]


@receiver(pre_save, sender=AdministrativeReview)
@receiver(pre_save, sender=Lawsuit)
def case_takes_its_applications_office(sender, instance, **kwargs):
    """Case.organization is the application's office: on every save, and when a backup made
    before cases kept their office is loaded (loaddata saves without calling save())."""
    if instance.application_id is not None:
        instance.organization_id = instance.application.organization_id
