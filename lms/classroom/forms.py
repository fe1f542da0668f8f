"""The forms of the live classroom's pages: a question to push, an answer to give."""

from django import forms
from django.utils.translation import gettext_lazy as _

from classroom.services import MAX_PROMPT


class QuestionForm(forms.Form):
    prompt = forms.CharField(label=_("Question"), max_length=MAX_PROMPT)
    choices = forms.CharField(
        label=_("Choices"),
        help_text=_("One choice per line, between 2 and 6."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def values(self) -> dict:
        return {
            "prompt": self.cleaned_data["prompt"],
            "choices": self.cleaned_data["choices"].splitlines(),
        }


class AnswerForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.IntegerField(min_value=0)
