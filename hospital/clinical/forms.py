"""Forms of the clinical pages: they parse input; the services decide what is allowed."""

from django import forms

from clinical.models import Observation


class ObservationForm(forms.Form):
    kind = forms.ChoiceField(choices=Observation.Kind.choices)
    value = forms.DecimalField(
        max_digits=7,
        decimal_places=2,
        required=False,
        help_text="For measurements (the unit is fixed).",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Note / comment"
    )


class CorrectionForm(forms.Form):
    value = forms.DecimalField(max_digits=7, decimal_places=2, required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Note / comment"
    )
    reason = forms.CharField(max_length=200, help_text="Why the earlier entry was wrong.")


class OpenEncounterForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)


class CloseEncounterForm(forms.Form):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PrescriptionForm(forms.Form):
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PrescriptionItemForm(forms.Form):
    drug = forms.CharField(max_length=120)
    dose = forms.CharField(max_length=60)
    frequency = forms.CharField(max_length=60)
    duration_days = forms.IntegerField(min_value=1, max_value=365, label="Days")


# Three empty rows; at least one must be filled in.
PrescriptionItemFormSet = forms.formset_factory(
    PrescriptionItemForm, extra=3, min_num=1, validate_min=True, max_num=10
)


class LabOrderForm(forms.Form):
    test_name = forms.CharField(max_length=120, label="Test")
    notes = forms.CharField(max_length=200, required=False)


class LabResultForm(forms.Form):
    value = forms.DecimalField(max_digits=12, decimal_places=4)
    unit = forms.CharField(max_length=30)
    reference_low = forms.DecimalField(max_digits=12, decimal_places=4, required=False)
    reference_high = forms.DecimalField(max_digits=12, decimal_places=4, required=False)
    comment = forms.CharField(max_length=200, required=False)


class LabCorrectionForm(LabResultForm):
    reason = forms.CharField(max_length=200, help_text="Why the earlier result was wrong.")
