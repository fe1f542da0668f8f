"""Forms of the enrollment pages: the bulk enrolment upload."""

from django import forms
from django.utils.translation import gettext_lazy as _


class BulkEnrollmentForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_('A header row with an "email" column, one student per row.'),
    )
