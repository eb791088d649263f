from django import forms

from .fees import FeeMethod
from .kinds import KIND_CHOICES, KINDS
from .models import LetterTemplate
from .rendering import TemplateProblem, check_template

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


def detail_formfield(detail):
    common = {"label": detail.label, "required": detail.required, "help_text": detail.help_text}
    if detail.kind == "bool":
        return forms.BooleanField(**{**common, "required": False})
    if detail.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if detail.kind == "line":
        return forms.CharField(max_length=200, **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), **common)


class LetterDetailsForm(forms.Form):
    """What the clerk writes for one letter of the given kind."""

    def __init__(self, kind, application, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.application = application
        for detail in kind.fields:
            self.fields[detail.name] = detail_formfield(detail)

    def clean_letter_date(self):
        day = self.cleaned_data["letter_date"]
        if day < self.application.received_on:
            raise forms.ValidationError("告知书日期不能早于收到申请的日期，请核对。")
        return day


class FeeForm(forms.Form):
    method = forms.ChoiceField(
        label="计收方式",
        choices=FeeMethod.choices,
        widget=forms.RadioSelect,
        initial=FeeMethod.BY_COUNT,
    )
    pages = forms.IntegerField(
        label="页数",
        min_value=0,
        required=False,
        help_text="按量计收时填写提供的政府信息页数。",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == FeeMethod.BY_PAGES and cleaned.get("pages") is None:
            self.add_error("pages", "选择按量计收时，请填写提供的政府信息页数。")
        return cleaned


class LetterTemplateForm(forms.ModelForm):
    """Upload an office's own .docx for a kind; refused unless it renders a sample letter."""

    upload = forms.FileField(
        label="模板文件（.docx）",
        help_text="用Word编辑后另存为 .docx；占位符写作 {{ 名称 }}，可用的名称见下方列表。",
    )

    class Meta:
        model = LetterTemplate
        fields = ["organization", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = KIND_CHOICES
        if self.instance.pk:
            self.fields["upload"].help_text = (
                f"当前文件：{self.instance.filename}。上传新文件替换。"
                + self.fields["upload"].help_text
            )

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("upload"), cleaned.get("kind")
        if upload is None or kind not in KINDS:
            return cleaned
        if not upload.name.lower().endswith(".docx"):
            self.add_error(
                "upload", f"“{upload.name}”不是 .docx 文件，请用Word另存为 .docx 后上传。"
            )
            return cleaned
        if upload.size > MAX_TEMPLATE_BYTES:
            self.add_error("upload", "模板文件超过2MB，请删除其中的图片等大文件后再上传。")
            return cleaned
        data = upload.read()
        try:
            check_template(KINDS[kind], data)
        except TemplateProblem as problem:
            self.add_error("upload", str(problem))
            return cleaned
        self.instance.content = data
        self.instance.filename = upload.name
        return cleaned
