from django import forms

from staff.models import Department


class ReportRequestForm(forms.Form):
    month = forms.DateField(
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text="The month to report on.",
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, empty_label="All departments"
    )
