"""Letters (告知书): each office's settings and templates, the 文号 sequence, issued letters.

An issued letter is a record: its bytes, who issued it and when are kept as they were,
never changed or deleted; issuing again makes a new version.
"""

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q

from applications.models import Application, Organization, locked_sequence

from .fees import FeeMethod, MatchedBy
from .kinds import KIND_CHOICES, KIND_LABELS, RELIEF_SENTENCE

DEFAULT_NUMBER_PATTERN = "{short_name}依申〔{year}〕{seq}号"
NUMBER_PATTERN_FIELDS = {"short_name", "year", "seq"}
LETTER_IS_FINAL = "已出具的告知书不能修改或删除；如需更正，请重新出具（生成新的版本）。"


def number_pattern_problem(pattern):
    """A Chinese sentence saying what is wrong with a 文号 pattern, or ''."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        return "文号格式中的花括号不成对，请检查。"
    unknown = names - NUMBER_PATTERN_FIELDS
    if unknown:
        return f"文号格式中有不认识的占位符：{'、'.join('{' + n + '}' for n in sorted(unknown))}；只能使用 {{year}}（年份）、{{seq}}（序号）、{{short_name}}（机关简称）。"
    missing = {"year", "seq"} - names
    if missing:
        return f"文号格式必须包含 {'、'.join('{' + n + '}' for n in sorted(missing))}，例如：学府依申〔{{year}}〕{{seq}}号。"
    return ""


class LetterSettings(models.Model):
    """What an office's letters say about it: relief bodies, 文号 pattern, periods."""

    organization = models.OneToOneField(
        Organization, verbose_name="机关", on_delete=models.CASCADE, related_name="letter_settings"
    )
    review_body = models.CharField(
        "复议机关", max_length=100, help_text="例如：洛阳市洛龙区人民政府"
    )
    court = models.CharField("人民法院", max_length=100, help_text="例如：洛阳市洛龙区人民法院")
    number_pattern = models.CharField(
        "文号格式",
        max_length=60,
        default=DEFAULT_NUMBER_PATTERN,
        help_text="{year} 为年份，{seq} 为序号（每年从1开始），{short_name} 为机关简称。例如：学府依申〔{year}〕{seq}号",
    )
    correction_days = models.PositiveSmallIntegerField(
        "补正期限（工作日）", default=10, help_text="补正申请告知书中给申请人的补正期限。"
    )
    payment_days = models.PositiveSmallIntegerField(
        "缴费期限（工作日）", default=20, help_text="收费通知中给申请人的缴费期限。"
    )

    class Meta:
        verbose_name = "告知书设置"
        verbose_name_plural = "告知书设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(number_pattern__contains="{year}")
                & Q(number_pattern__contains="{seq}"),
                name="letter_number_pattern_has_year_and_seq",
                violation_error_message="文号格式必须包含 {year} 和 {seq}。",
            ),
            models.CheckConstraint(
                condition=Q(correction_days__gte=1) & Q(payment_days__gte=1),
                name="letter_periods_at_least_one_day",
                violation_error_message="补正期限和缴费期限至少为1个工作日。",
            ),
        ]

    def __str__(self):
        return f"{self.organization}的告知书设置"

    def clean(self):
        problem = number_pattern_problem(self.number_pattern or "")
        if problem:
            raise ValidationError({"number_pattern": problem})

    @property
    def relief(self):
        return RELIEF_SENTENCE.format(review_body=self.review_body, court=self.court)

    def format_number(self, year, seq):
        return self.number_pattern.format(
            year=year, seq=seq, short_name=self.organization.short_name
        )


class LetterTemplate(models.Model):
    """An office's own .docx for one kind of letter, replacing the default."""

    organization = models.ForeignKey(
        Organization, verbose_name="机关", on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField("告知书种类", max_length=20, choices=KIND_CHOICES)
    content = models.BinaryField("模板文件")
    filename = models.CharField("文件名", max_length=200)
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "本机关告知书模板"
        verbose_name_plural = "本机关告知书模板"
        ordering = ["organization", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind"],
                name="one_letter_template_per_office_and_kind",
                violation_error_message="本机关已有这一种类的模板；请修改原模板，上传新文件替换。",
            ),
        ]

    def __str__(self):
        return f"{self.organization.short_name}·{KIND_LABELS.get(self.kind, self.kind)}"


class LetterNumberSequence(models.Model):
    """The last 文号 sequence number used per office and year (locked while issuing)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "告知书文号序列"
        verbose_name_plural = "告知书文号序列"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_letter_sequence_per_office_year"
            ),
        ]

    def __str__(self):
        return f"{self.organization_id}·{self.year}：{self.last_number}"


def next_letter_number(letter_settings, year):
    """Reserve and return the office's next 文号 for the year.

    Must run inside the transaction that saves the letter: the sequence row stays locked
    until it commits, so two clerks issuing at once get different numbers.
    """
    organization = letter_settings.organization
    sequence = locked_sequence(LetterNumberSequence, organization, year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return letter_settings.format_number(year, sequence.last_number)


class FinalQuerySet(models.QuerySet):
    """Bulk update and delete refused too: issued letters are never changed."""

    def update(self, **kwargs):
        raise ValidationError(LETTER_IS_FINAL)

    def delete(self):
        raise ValidationError(LETTER_IS_FINAL)

    def visible_to(self, user):
        return self.filter(application__organization__in=Organization.objects.visible_to(user))


class IssuedLetter(models.Model):
    """One issued version of a letter, exactly as it was given out."""

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField("告知书种类", max_length=20, choices=KIND_CHOICES)
    version = models.PositiveSmallIntegerField("版本")
    number = models.CharField("文号", max_length=80)
    letter_date = models.DateField("告知书日期")
    addressee = models.CharField("收件人", max_length=200)
    content = models.BinaryField("文件")
    filename = models.CharField("文件名", max_length=200)
    template_source = models.CharField("使用的模板", max_length=100)
    details = models.JSONField("填写的内容", default=dict, blank=True)
    issued_at = models.DateTimeField("出具时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="出具人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = FinalQuerySet.as_manager()

    class Meta:
        verbose_name = "已出具的告知书"
        verbose_name_plural = "已出具的告知书"
        ordering = ["application", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "version"],
                name="one_letter_per_application_kind_version",
                violation_error_message="这一版本的告知书已经出具。",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="letter_version_from_one"),
        ]

    def __str__(self):
        return f"{self.number}（{self.kind_label}，第{self.version}版）"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(LETTER_IS_FINAL)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(LETTER_IS_FINAL)

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)

    @classmethod
    def next_version(cls, application, kind):
        latest = cls.objects.filter(application=application, kind=kind).aggregate(v=Max("version"))
        return (latest["v"] or 0) + 1


class FeeAssessment(models.Model):
    """A fee worked out for an application, with its steps; the latest is on the 收费通知."""

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="fee_assessments"
    )
    method = models.CharField("计收方式", max_length=10, choices=FeeMethod.choices)
    quantity = models.PositiveIntegerField("件次或页数")
    matched_by = models.CharField(
        "认定同一申请人的依据", max_length=20, choices=MatchedBy.choices, blank=True
    )
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    explanation = models.TextField("计算过程")
    assessed_at = models.DateTimeField("计算时间", auto_now_add=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="计算人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "信息处理费计算"
        verbose_name_plural = "信息处理费计算"
        ordering = ["application", "-assessed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="fee_assessment_not_negative",
                violation_error_message="信息处理费不能是负数。",
            ),
            models.CheckConstraint(
                condition=~Q(method="count") | ~Q(matched_by=""),
                name="fee_by_count_says_how_applicant_matched",
            ),
        ]

    def __str__(self):
        return f"{self.application}：{self.get_method_display()}{self.amount}元"
