from django import forms


class ReportChoiceForm(forms.Form):
    """The office and year selector of the report pages."""

    organization = forms.ModelChoiceField(
        label="机关", queryset=None, empty_label=None, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    year = forms.TypedChoiceField(label="年度", coerce=int, widget=forms.Select(attrs={"class": "form-select form-select-sm"}))

    def __init__(self, *args, organizations, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].error_messages["invalid_choice"] = "请选择您有权查看的机关。"
        self.fields["year"].choices = [(year, f"{year}年") for year in years]
        self.fields["year"].error_messages["invalid_choice"] = "请从列表中选择年度。"
