"""Courses and what they are made of: staff, modules, lessons, tags and announcements."""

import uuid
from pathlib import Path

import markdown
import nh3
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.roles import PLATFORM_ADMIN
from shared.transitions import Transition, transition_table

# Tags a lesson's Markdown may produce; everything else (script, iframe, style, on*) goes.
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then sanitised by nh3: instructors write text, never markup that runs."""
    html = markdown.markdown(text, extensions=["fenced_code", "tables"])
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, link_rel="noopener noreferrer"))


def attachment_path(instance: "Lesson", filename: str) -> str:
    """A name the uploader does not choose: a random id, keeping only the checked extension.

    Under ``protected/``, which nginx never serves by URL (courses/uploads.py)."""
    return f"protected/lessons/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.has_role(PLATFORM_ADMIN))


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CourseQuerySet(models.QuerySet):
    def published(self) -> "CourseQuerySet":
        return self.filter(status=Course.Status.PUBLISHED)

    def taught_by(self, user) -> "CourseQuerySet":
        """Courses where ``user`` is an instructor or a teaching assistant."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(staff__user=user)

    def visible_to(self, user) -> "CourseQuerySet":
        """What ``user`` may open: the published catalogue, the courses they teach, and an
        archived course they were enrolled in; a platform admin sees every course.

        Everything outside answers 404 (a draft's URL does not confirm that it exists)."""
        if is_platform_admin(user):
            return self
        rule = Q(status=Course.Status.PUBLISHED)
        if user.is_authenticated:
            rule |= Q(staff__user=user)
            rule |= Q(status=Course.Status.ARCHIVED, enrollments__student=user)
        # The joins above can repeat a course; the subquery keeps one row per course.
        return self.filter(pk__in=Course.objects.filter(rule).values("pk"))


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    TRANSITIONS = transition_table(
        Transition("publish", sources=("draft",), target="published", label=_("Publish")),
        Transition("unpublish", sources=("published",), target="draft", label=_("Back to draft")),
        Transition("archive", sources=("published",), target="archived", label=_("Archive")),
    )

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    # Active and completed enrollments hold a seat. Kept as a counter so that PostgreSQL
    # itself refuses a seat too many (the CHECK below), whatever the code path.
    seats_taken = models.PositiveIntegerField(default=0)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="courses")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        # The catalogue reads courses in this order: with the index PostgreSQL walks the
        # first page in order and stops, instead of sorting every course per request.
        indexes = [models.Index(fields=["title", "id"], name="course_title_id_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="course_seats_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="course_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:detail", args=[self.slug])

    @property
    def live_group(self) -> str:
        """The channel-layer group of the course's connected sockets (classroom/consumers.py):
        live questions, tallies and announcements are sent to it."""
        return f"course-live-{self.pk}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def description_html(self) -> SafeString:
        return render_markdown(self.description)


class CourseStaff(models.Model):
    """Who teaches one course: its instructors (build, grade, publish) and its teaching
    assistants (grade). The same person may be a student of another course."""

    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", _("Instructor")
        ASSISTANT = "assistant", _("Teaching assistant")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teaching"
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["course", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="course_staff_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) of {self.course}"


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        VIDEO = "video", _("Video")
        FILE = "file", _("Downloadable file")

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(blank=True, help_text="Markdown, rendered sanitised.")
    video_url = models.URLField(blank=True)
    attachment = models.FileField(upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["module__position", "module_id", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def course(self) -> Course:
        return self.module.course

    @property
    def body_html(self) -> SafeString:
        return render_markdown(self.body)


class Announcement(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
