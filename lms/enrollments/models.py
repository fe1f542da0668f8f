"""Enrollments (one per student and course, with an ordered waitlist) and lesson progress."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Lesson, is_platform_admin
from shared.tasks.models import TaskProgress


class EnrollmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnrollmentQuerySet":
        """A student's own enrollments, every enrollment of a course the user teaches, and
        everything for a platform admin."""
        if is_platform_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(student=user) | Q(course__staff__user=user)).distinct()

    def holding_seat(self) -> "EnrollmentQuerySet":
        return self.filter(status__in=Enrollment.SEAT_STATUSES)

    def with_progress(self) -> "EnrollmentQuerySet":
        """Annotate ``lessons_done`` and ``lessons_total`` in one query (lists, gradebook)."""
        total = (
            Lesson.objects.filter(module__course=models.OuterRef("course"))
            .order_by()
            .values("module__course")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            lessons_done=Count("progress", distinct=True),
            lessons_total=models.functions.Coalesce(models.Subquery(total), 0),
        )


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WAITLISTED = "waitlisted", _("On the waitlist")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")

    # The statuses that hold one of the course's seats (Course.seats_taken counts them).
    SEAT_STATUSES = (Status.ACTIVE, Status.COMPLETED)

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    # The place in the queue, set under the course's row lock (enrollments/services.py):
    # the lowest is promoted first. Only a waitlisted enrollment has one.
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["course", "student"]
        constraints = [
            # One enrollment per student and course; dropping and coming back reuses it.
            models.UniqueConstraint(fields=["course", "student"], name="enrollment_once"),
            models.UniqueConstraint(
                fields=["course", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="enrollment_waitlist_position_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="enrollment_position_only_when_waitlisted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.course} ({self.status})"

    @property
    def takes_part(self) -> bool:
        """May open the lessons and take the quizzes."""
        return self.status in self.SEAT_STATUSES


class LessonProgress(models.Model):
    """A lesson a student marked complete: one row per enrollment and lesson, ever."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrollment", "completed_at"]
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="progress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.student} finished {self.lesson}"


class BulkEnrollment(models.Model):
    """One CSV of students to enrol, worked through by a job with a progress bar; the rows
    it could not enrol are kept as a CSV error report to download."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="bulk_enrollments")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    job = models.OneToOneField(TaskProgress, on_delete=models.CASCADE, related_name="+")
    emails = models.JSONField(default=list)
    enrolled = models.PositiveIntegerField(default=0)
    error_report = models.TextField(blank=True, help_text="CSV: row, email, reason.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Bulk enrolment of {len(self.emails)} into {self.course}"
