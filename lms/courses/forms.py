"""The forms of the course pages: search, the course editor, modules, lessons, announcements."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Lesson, Tag


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Search courses"),
                "aria-label": _("Search"),
            }
        ),
    )
    tag = forms.ModelChoiceField(
        queryset=Tag.objects.all(), required=False, to_field_name="slug", empty_label=_("Any tag")
    )
    tag.widget.attrs["aria-label"] = _("Tag")


class CourseForm(forms.ModelForm):
    tag_names = forms.CharField(
        required=False, label=_("Tags"), help_text=_("Comma separated, e.g. python, web")
    )

    class Meta:
        model = Course
        fields = ["title", "summary", "description", "capacity", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tag_names"] = ", ".join(t.name for t in self.instance.tags.all())

    def values(self) -> dict:
        """The cleaned values as the service's keyword arguments."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["tags"] = [t for t in self.cleaned_data["tag_names"].split(",") if t.strip()]
        return data


class ModuleForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))


class LessonForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    kind = forms.ChoiceField(choices=Lesson.Kind.choices, label=_("Kind"))
    body = forms.CharField(
        required=False, widget=forms.Textarea, label=_("Body"), help_text=_("Markdown.")
    )
    video_url = forms.URLField(required=False, assume_scheme="https", label=_("Video URL"))
    attachment = forms.FileField(required=False, label=_("Attachment"))


class AnnouncementForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    body = forms.CharField(widget=forms.Textarea, label=_("Body"))
