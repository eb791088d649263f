"""What the annual report needs beyond the ledger, and its signed-off versions (定稿)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.permissions import ACCEPT_SUBMITTED_REPORT, SIGN_OFF_REPORT, meta_permission
from lib.display import SECTION_FIVE, SECTION_SIX

FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_FORMAT_YEAR = (
    2021  # the national format of 国办公开办函〔2021〕30号 applies from the 2021 report on
)


def year_field():
    return models.PositiveSmallIntegerField(
        "年度",
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text="例如：2021",
    )


def year_constraint(prefix):
    return models.CheckConstraint(
        condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
        name=f"{prefix}_year_in_range",
        violation_error_message=f"年度应在{FIRST_YEAR}年至{LAST_YEAR}年之间。",
    )


class DocumentKind(models.TextChoices):
    """The two rows of table 二, 第二十条第（一）项, in the official order."""

    REGULATION = "regulation", "规章"
    NORMATIVE_DOCUMENT = "normative_document", "行政规范性文件"


class NormativeDocument(models.Model):
    """One 规章 or 行政规范性文件 the office issued; table 二 counts them per year."""

    organization = models.ForeignKey(
        "applications.Organization",
        verbose_name="制发机关",
        on_delete=models.PROTECT,
        related_name="normative_documents",
    )
    number = models.CharField("文号", max_length=60, help_text="例如：学府办〔2021〕3号")
    title = models.CharField("标题", max_length=300)
    kind = models.CharField("类别", max_length=30, choices=DocumentKind.choices)
    issued_on = models.DateField("制发日期")
    abolished_on = models.DateField("废止日期", null=True, blank=True, help_text="尚未废止的留空。")
    notes = models.TextField("备注", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "规章和行政规范性文件"
        verbose_name_plural = "规章和行政规范性文件"
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                name="normative_document_number_unique_per_office",
                violation_error_message="本机关已登记过这个文号的文件。",
            ),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gte=F("issued_on")),
                name="normative_document_abolished_not_before_issued",
                violation_error_message="废止日期不能早于制发日期。",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def clean(self):
        if self.abolished_on and self.issued_on and self.abolished_on < self.issued_on:
            raise ValidationError({"abolished_on": "废止日期不能早于制发日期，请核对两个日期。"})


class AnnualFigures(models.Model):
    """The year's 行政许可 / 行政处罚 / 行政强制 decisions and 行政事业性收费 (table 二)."""

    organization = models.ForeignKey(
        "applications.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="annual_figures",
    )
    year = year_field()
    licensing_decisions = models.PositiveIntegerField("行政许可处理决定数量", default=0)
    penalty_decisions = models.PositiveIntegerField("行政处罚处理决定数量", default=0)
    coercion_decisions = models.PositiveIntegerField("行政强制处理决定数量", default=0)
    fee_amount_wan = models.DecimalField(
        "行政事业性收费金额（万元）",
        max_digits=14,
        decimal_places=4,
        default=0,
        help_text="单位为万元，保留4位小数，例如 1.2345 万元即 12345 元。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "主动公开年度数据"
        verbose_name_plural = "主动公开年度数据"
        ordering = ["-year", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="annual_figures_one_per_office_year",
                violation_error_message="本机关这一年度的主动公开数据已经登记过，请修改原来那一条。",
            ),
            models.CheckConstraint(
                condition=Q(fee_amount_wan__gte=0),
                name="annual_figures_fee_not_negative",
                violation_error_message="行政事业性收费金额不能是负数。",
            ),
            models.CheckConstraint(
                condition=Q(licensing_decisions__gte=0)
                & Q(penalty_decisions__gte=0)
                & Q(coercion_decisions__gte=0),
                name="annual_figures_counts_not_negative",
                violation_error_message="处理决定数量不能是负数。",
            ),
            year_constraint("annual_figures"),
        ]

    def __str__(self):
        return f"{self.organization}{self.year}年主动公开数据"


# The five parts of section 一、总体情况, in order (field name, label).
OVERVIEW_PARTS = (
    ("active_disclosure", "（一）主动公开"),
    ("on_request", "（二）依申请公开"),
    ("information_management", "（三）政府信息管理"),
    ("platform", "（四）政府信息公开平台建设"),
    ("oversight", "（五）监督保障"),
)
_OVERVIEW_LABELS = dict(OVERVIEW_PARTS)
# The bold lead-in of each part as the sample prints it; the office may reword it.
DEFAULT_LEAD_INS = {
    "active_disclosure": "（一）主动公开情况。",
    "on_request": "（二）依申请公开办理情况。",
    "information_management": "（三）政府信息化管理情况。",
    "platform": "（四）政府信息公开平台建设情况。",
    "oversight": "（五）政府信息公开监督保障情况。",
}
OPENING = "opening"


def lead_in_field(name):
    return f"{name}_lead_in"


def lead_in_field_for(name):
    return models.CharField(
        f"{_OVERVIEW_LABELS[name]}的小标题",
        max_length=100,
        blank=True,
        default=DEFAULT_LEAD_INS[name],
        help_text=f"报告中加粗印在这一部分开头；留空时使用“{DEFAULT_LEAD_INS[name]}”。",
    )


def overview(narrative):
    """Section 一 of a narrative dict (ReportNarrative.as_json(), possibly empty or stored
    before the opening and lead-ins existed): the opening paragraph, then each part as
    (lead-in, text). Every output prints section 一 from this."""
    parts = [
        (narrative.get(lead_in_field(name)) or DEFAULT_LEAD_INS[name], narrative.get(name) or "")
        for name, _ in OVERVIEW_PARTS
    ]
    return narrative.get(OPENING) or "", parts


class ReportNarrative(models.Model):
    """The office's own text for sections 一, 五 and 六 of the year's report."""

    organization = models.ForeignKey(
        "applications.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="report_narratives",
    )
    year = year_field()
    opening = models.TextField(
        "一、总体情况的开头段落",
        blank=True,
        help_text="印在五个部分之前，例如“现将本年度政府信息公开工作报告如下：”。",
    )
    active_disclosure_lead_in = lead_in_field_for("active_disclosure")
    active_disclosure = models.TextField(_OVERVIEW_LABELS["active_disclosure"], blank=True)
    on_request_lead_in = lead_in_field_for("on_request")
    on_request = models.TextField(_OVERVIEW_LABELS["on_request"], blank=True)
    information_management_lead_in = lead_in_field_for("information_management")
    information_management = models.TextField(
        _OVERVIEW_LABELS["information_management"], blank=True
    )
    platform_lead_in = lead_in_field_for("platform")
    platform = models.TextField(_OVERVIEW_LABELS["platform"], blank=True)
    oversight_lead_in = lead_in_field_for("oversight")
    oversight = models.TextField(_OVERVIEW_LABELS["oversight"], blank=True)
    problems = models.TextField(SECTION_FIVE, blank=True)
    other_matters = models.TextField(
        SECTION_SIX,
        blank=True,
        help_text="信息处理费的件数和金额由系统根据台账自动写在本节开头，这里填写其他事项；没有的留空，报告中显示“无”。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度报告文字部分"
        verbose_name_plural = "年度报告文字部分"
        ordering = ["-year", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="report_narrative_one_per_office_year",
                violation_error_message="本机关这一年度的报告文字部分已经有了，请修改原来那一条。",
            ),
            year_constraint("report_narrative"),
        ]

    def __str__(self):
        return f"{self.organization}{self.year}年报告文字部分"

    def as_json(self):
        names = (
            OPENING,
            *(lead_in_field(name) for name in _OVERVIEW_LABELS),
            *_OVERVIEW_LABELS,
            "problems",
            "other_matters",
        )
        return {name: getattr(self, name) for name in names}


class SignOffQuerySet(models.QuerySet):
    def visible_to(self, user):
        from applications.models import Organization

        return self.filter(organization__in=Organization.objects.visible_to(user))


class ReportSignOff(models.Model):
    """One signed-off version (定稿) of a year's report: figures, text and the workbook as sent.

    Rows are only ever added: save() refuses to change a stored version, delete() refuses
    to remove one, and the database refuses UPDATE (migration 0002).
    """

    organization = models.ForeignKey(
        "applications.Organization",
        verbose_name="机关",
        on_delete=models.PROTECT,
        related_name="report_sign_offs",
    )
    year = year_field()
    version = models.PositiveIntegerField("版本")
    figures = models.JSONField("定稿数据")
    narrative = models.JSONField("定稿文字")
    checks = models.JSONField("定稿时的校验结果", default=list)
    workbook = models.BinaryField("定稿工作簿")
    # Null for versions signed off before Word documents were stored with them; a nullable
    # column is added in place, which keeps the table's no-UPDATE trigger on SQLite too.
    document = models.BinaryField("定稿Word文档", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="定稿人", on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("定稿时间", default=timezone.now)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        verbose_name = "年度报告定稿"
        verbose_name_plural = "年度报告定稿"
        ordering = ["organization", "-year", "-version"]
        permissions = [meta_permission(SIGN_OFF_REPORT)]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "version"],
                name="report_sign_off_version_unique",
                violation_error_message="这一版本号已经用过，请刷新页面后重新定稿。",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="report_sign_off_version_positive",
                violation_error_message="版本号从1开始。",
            ),
            year_constraint("report_sign_off"),
        ]

    def __str__(self):
        return f"{self.organization}{self.year}年报告定稿第{self.version}版"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("年度报告定稿一经保存不能修改；如需更正，请重新定稿生成新版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("年度报告定稿不能删除。")

    @property
    def filename(self):
        return workbook_filename(self.organization, self.year, self.version)


def workbook_filename(organization, year, version=None, extension="xlsx"):
    suffix = f"（定稿第{version}版）" if version else ""
    return f"{organization.short_name}{year}年政府信息公开工作年度报告{suffix}.{extension}"


def document_filename(organization, year, version=None):
    return workbook_filename(organization, year, version, extension="docx")


class SubmittedReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from applications.models import Organization

        return self.filter(organization__in=Organization.objects.visible_to(user))

    def accepted(self):
        return self.filter(accepted_at__isnull=False)


class SubmittedReport(models.Model):
    """An annual report workbook that an office not using gongkai sent to its district (报送).

    A district official uploads it; gongkai reads tables 二, 三 and 四 from it, checks them
    and shows them (a pending row); once accepted it gets a version number and counts in the
    district's rollup for that office and year. Accepted versions are never changed (save()
    refuses, and the database refuses UPDATE of an accepted row, migration 0004); a
    correction is accepted as a new version, and the latest one counts.
    """

    organization = models.ForeignKey(
        "applications.Organization",
        verbose_name="报送机关",
        on_delete=models.PROTECT,
        related_name="submitted_reports",
    )
    year = year_field()
    version = models.PositiveIntegerField(
        "版本", null=True, blank=True, help_text="接收后编号；未接收的为空。"
    )
    figures = models.JSONField("报送数据")
    checks = models.JSONField("校验结果", default=list)
    notes = models.JSONField("读取说明", default=list, blank=True)
    confirmations = models.JSONField(
        "接收时确认的事项",
        default=list,
        blank=True,
        help_text="读取时须区里逐项确认的事项（按最接近的国家格式行名读取的行、标题与所选机关或年度不符），接收时全部确认。",
    )
    workbook = models.BinaryField("报送工作簿")
    filename = models.CharField("文件名", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField("接收时间", null=True, blank=True)

    objects = SubmittedReportQuerySet.as_manager()

    class Meta:
        verbose_name = "下级机关报送的年度报告"
        verbose_name_plural = "下级机关报送的年度报告"
        ordering = ["organization", "-year", "-version"]
        permissions = [meta_permission(ACCEPT_SUBMITTED_REPORT)]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "version"],
                name="submitted_report_version_unique",
                violation_error_message="这一版本号已经用过，请刷新页面后重新接收。",
            ),
            models.CheckConstraint(
                condition=(
                    Q(version__isnull=True)
                    & Q(accepted_at__isnull=True)
                    & Q(accepted_by__isnull=True)
                )
                | (Q(version__gte=1) & Q(accepted_at__isnull=False) & Q(accepted_by__isnull=False)),
                name="submitted_report_accepted_has_version",
                violation_error_message="接收时必须同时记录版本号、接收人和接收时间。",
            ),
            year_constraint("submitted_report"),
        ]

    def __str__(self):
        state = f"第{self.version}版" if self.version else "待接收"
        return f"{self.organization}{self.year}年报送的年度报告（{state}）"

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and type(self).objects.filter(pk=self.pk, accepted_at__isnull=False).exists()
        ):
            raise ValidationError("已接收的报送工作簿不能修改；如需更正，请重新上传并接收新版本。")
        super().save(*args, **kwargs)

    @property
    def is_accepted(self):
        return self.accepted_at is not None

    def delete(self, *args, **kwargs):
        if self.is_accepted:
            raise ValidationError("已接收的报送工作簿不能删除；如需更正，请重新上传并接收新版本。")
        return super().delete(*args, **kwargs)


def percent_field(label, default, help_text):
    return models.DecimalField(
        label, max_digits=4, decimal_places=1, default=default, help_text=help_text
    )


class IndicatorThresholds(models.Model):
    """A district's thresholds for flagging its offices' indicators on the board (defaults
    in reports.figures.indicators.DEFAULT_THRESHOLDS when the district has set none)."""

    organization = models.ForeignKey(
        "applications.Organization",
        verbose_name="区县",
        on_delete=models.PROTECT,
        related_name="indicator_thresholds",
        help_text="选本区：本区报送情况页面上的各街道指标按这里的警示线标色。",
    )
    correction_red = percent_field(
        "纠错率红色警示线（%）", 15, "复议纠错率或诉讼纠错率高于此值的标红。"
    )
    correction_yellow = percent_field(
        "纠错率黄色警示线（%）", 10, "复议纠错率或诉讼纠错率高于此值（未到红线）的标黄。"
    )
    disclosure_red = percent_field("实质公开率红色警示线（%）", 40, "实质公开率低于此值的标红。")
    disclosure_yellow = percent_field(
        "实质公开率黄色警示线（%）", 45, "实质公开率低于此值（未到红线）的标黄。"
    )
    minimum_applications = models.PositiveIntegerField(
        "参与评级的最少申请数",
        default=30,
        help_text="本年新收申请少于此数的机关只显示指标，不标色（件数太少，比率没有意义）。",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标警示线"
        verbose_name_plural = "指标警示线"
        ordering = ["organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                name="indicator_thresholds_one_per_district",
                violation_error_message="本区已经设置过指标警示线，请修改原来那一条。",
            ),
            models.CheckConstraint(
                condition=Q(correction_yellow__gte=0)
                & Q(correction_red__lte=100)
                & Q(disclosure_red__gte=0)
                & Q(disclosure_yellow__lte=100),
                name="indicator_thresholds_percent_range",
                violation_error_message="警示线是百分比，应在 0 至 100 之间。",
            ),
            models.CheckConstraint(
                condition=Q(correction_yellow__lte=F("correction_red")),
                name="indicator_thresholds_correction_yellow_below_red",
                violation_error_message="纠错率的黄色警示线不能高于红色警示线（纠错率越高越需要注意）。",
            ),
            models.CheckConstraint(
                condition=Q(disclosure_red__lte=F("disclosure_yellow")),
                name="indicator_thresholds_disclosure_red_below_yellow",
                violation_error_message="实质公开率的红色警示线不能高于黄色警示线（公开率越低越需要注意）。",
            ),
        ]

    def __str__(self):
        return f"{self.organization}的指标警示线"
