"""Forms of the assignment pages: the upload and the grading form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SubmissionForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, image, zip or plain text; 5 MB at most.")
    )


class GradeForm(forms.Form):
    points = forms.IntegerField(min_value=0, label=_("Points"))
    feedback = forms.CharField(widget=forms.Textarea, required=False, label=_("Feedback"))
