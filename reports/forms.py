from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError

from lib.uploads import INTAKE_LIMITS, UploadRejected, check_upload, megabytes, too_big


class ReportChoiceForm(forms.Form):
    """The office and year selector of the report pages."""

    organization = forms.ModelChoiceField(
        label="机关",
        queryset=None,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    year = forms.TypedChoiceField(
        label="年度", coerce=int, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )

    def __init__(self, *args, organizations, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].error_messages["invalid_choice"] = "请选择您有权查看的机关。"
        self.fields["year"].choices = [(year, f"{year}年") for year in years]
        self.fields["year"].error_messages["invalid_choice"] = "请从列表中选择年度。"


class IntakeForm(forms.Form):
    """Upload of an office's report workbook (报送) by its district."""

    organization = forms.ModelChoiceField(
        label="报送机关",
        queryset=None,
        empty_label="请选择",
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text="只能选择本区的下级机关；不使用本系统的机关请先由系统管理员在“机关”中登记，上级机关选本区。",
    )
    workbook = forms.FileField(
        label="报送的工作簿",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
        help_text=f"Excel 工作簿（.xlsx，不超过 {megabytes(INTAKE_LIMITS.max_bytes)}），按国家格式填写表二、表三、表四，可以在任意工作表中；本系统导出的工作簿也可以。",
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = offices
        self.fields["organization"].error_messages["invalid_choice"] = (
            "请从列表中选择本区的下级机关。"
        )
        self.fields["organization"].error_messages["required"] = "请选择报送机关。"
        self.fields["workbook"].error_messages["required"] = "请选择要上传的工作簿。"
        self.fields["workbook"].error_messages["empty"] = "上传的文件是空的，请重新选择。"

    def clean_workbook(self):
        """The upload's bytes, if within the size limit and a plain .xlsx by its zip
        directory (lib.uploads, INTAKE_LIMITS): checks that cost nothing. Its XML is
        streamed and checked when it is read."""
        uploaded = self.cleaned_data["workbook"]
        data = uploaded.read(INTAKE_LIMITS.max_bytes + 1)
        if len(data) > INTAKE_LIMITS.max_bytes:
            raise ValidationError(too_big(max(uploaded.size or 0, len(data)), INTAKE_LIMITS))
        try:
            check_upload(BytesIO(data), INTAKE_LIMITS, uploaded.name)
        except UploadRejected as rejected:
            raise ValidationError(str(rejected)) from None
        self.cleaned_data["data"] = data
        return uploaded


# --- Issue 16: the report's text and table 二's figures, edited from the report page ---------
# ModelForms over the existing models; `exclude` (not a field list) so that fields added to
# the models later (the opening paragraph of 一) appear here by themselves.

from crispy_forms.helper import FormHelper  # noqa: E402

from .models import AnnualFigures, ReportNarrative  # noqa: E402

REPORT_KEY_FIELDS = ["organization", "year"]


class _NoFormTag(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # both forms post together from one <form>
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 4


class ReportNarrativeForm(_NoFormTag):
    class Meta:
        model = ReportNarrative
        exclude = REPORT_KEY_FIELDS  # noqa: DJ006 - on purpose: new model fields appear by themselves


class AnnualFiguresForm(_NoFormTag):
    class Meta:
        model = AnnualFigures
        exclude = REPORT_KEY_FIELDS  # noqa: DJ006 - on purpose: new model fields appear by themselves
