"""Forms of the desk: find a patient, register or edit one."""

from django import forms

from patients.models import Patient


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a patient",
        required=False,
        max_length=100,
        help_text="Medical record number, name, email or phone.",
    )


class PortalLinkForm(forms.Form):
    email = forms.EmailField(label="Email of the patient's account")


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["first_name", "last_name", "date_of_birth", "sex", "phone", "email", "address"]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }
