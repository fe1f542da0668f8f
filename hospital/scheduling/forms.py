"""Forms for picking a slot and booking it."""

from django import forms
from django.utils import timezone

from staff.models import Doctor


class SlotSearchForm(forms.Form):
    """Pick a doctor and a day to see the free slots (a GET form)."""

    doctor = forms.ModelChoiceField(
        queryset=Doctor.objects.with_people(), empty_label="Choose a doctor"
    )
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError("Pick today or a later day.")
        return day


class BookForm(forms.Form):
    """One slot's "Book" button posts this: the doctor and the slot's start."""

    doctor = forms.ModelChoiceField(queryset=Doctor.objects.all(), widget=forms.HiddenInput)
    start = forms.DateTimeField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False, max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=200)
