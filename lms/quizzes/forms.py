"""The forms of the instructor's quiz editor: the quiz's settings, a question, its choices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import Question, Quiz
from quizzes.services import ChoiceDraft


class QuizForm(forms.ModelForm):
    # The bounds the service and the database enforce, given to the browser as well (min
    # and max attributes) and reported on their fields. Meta.labels only labels the fields
    # generated from the model, hence the label= of these three.
    attempt_limit = forms.IntegerField(
        min_value=1, max_value=100, initial=3, label=_("Attempts allowed")
    )
    time_limit_minutes = forms.IntegerField(
        min_value=1, max_value=600, initial=10, label=_("Time limit (minutes)")
    )
    pass_mark = forms.IntegerField(min_value=0, max_value=100, initial=60, label=_("Pass mark (%)"))

    class Meta:
        model = Quiz
        fields = [
            "title", "description", "attempt_limit", "time_limit_minutes", "pass_mark", "grading",
        ]  # fmt: skip
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "grading": _("Grading"),
        }
        help_texts = {
            "description": _("Shown to the students before they start."),
            "grading": _("Which attempt counts when a student tries more than once."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def values(self) -> dict:
        """The cleaned values as the service's keyword arguments."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind", "points"]
        labels = {"text": _("Question"), "kind": _("Answers"), "points": _("Points")}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class ChoiceForm(forms.Form):
    """One row of the question's choices; a row left blank is no choice."""

    text = forms.CharField(max_length=300, required=False, label=_("Choice"))
    is_correct = forms.BooleanField(required=False, label=_("Correct"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_correct") and not cleaned.get("text", "").strip():
            self.add_error("text", _("A correct choice needs its text."))
        return cleaned


class BaseChoiceFormSet(forms.BaseFormSet):
    def drafts(self) -> list[ChoiceDraft]:
        """The filled rows, in order, as the service's choices."""
        return [
            ChoiceDraft(
                text=form.cleaned_data["text"].strip(), is_correct=form.cleaned_data["is_correct"]
            )
            for form in self.forms
            if form.cleaned_data.get("text", "").strip()
        ]


# No "extra" rows: the view passes the rows it wants as ``initial`` (the question's
# choices and two blank rows), and on POST the management form says how many came back.
ChoiceFormSet = forms.formset_factory(ChoiceForm, formset=BaseChoiceFormSet, extra=0, max_num=10)


def choice_rows(question: Question | None) -> list[dict]:
    """The initial rows: the question's choices, then blank rows (at least four in all)."""
    rows = (
        [{"text": c.text, "is_correct": c.is_correct} for c in question.choices.all()]
        if question
        else []
    )
    return rows + [{}] * max(2, 4 - len(rows))
