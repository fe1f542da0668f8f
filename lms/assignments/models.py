"""Assignments (due date, late policy) and submissions (an uploaded file, a grade, feedback)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import Course, is_platform_admin
from enrollments.models import Enrollment


def submission_path(instance: "Submission", filename: str) -> str:
    """A generated name under protected/ (never served by URL; courses/uploads.py)."""
    return f"protected/submissions/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssignmentQuerySet":
        """Assignments of the courses a user takes part in or teaches."""
        if is_platform_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        taking = Enrollment.objects.filter(
            student=user, status__in=Enrollment.SEAT_STATUSES
        ).values("course")
        teaching = Course.objects.filter(staff__user=user).values("pk")
        return self.filter(Q(course__in=taking) | Q(course__in=teaching))


class Assignment(models.Model):
    class LatePolicy(models.TextChoices):
        ACCEPT = "accept", _("Accept late work")
        PENALTY = "penalty", _("Accept with a penalty")
        REFUSE = "refuse", _("Refuse late work")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    due_at = models.DateTimeField()
    late_policy = models.CharField(
        max_length=8, choices=LatePolicy.choices, default=LatePolicy.PENALTY
    )
    late_penalty_percent = models.PositiveSmallIntegerField(default=20)
    max_points = models.PositiveSmallIntegerField(default=100)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["course", "due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(late_penalty_percent__lte=100), name="assignment_penalty_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SubmissionQuerySet":
        """A student's own submissions; every submission of a course one teaches."""
        if is_platform_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        teaching = Course.objects.filter(staff__user=user).values("pk")
        return self.filter(Q(enrollment__student=user) | Q(assignment__course__in=teaching))


class Submission(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="submissions")
    file = models.FileField(upload_to=submission_path)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    is_late = models.BooleanField(default=False)
    points = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "enrollment"]
        constraints = [
            # One submission per student and assignment; a resubmission replaces the file.
            models.UniqueConstraint(fields=["assignment", "enrollment"], name="submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} by {self.enrollment.student}"

    @property
    def final_points(self) -> int | None:
        """The grade after the late penalty, when the policy has one."""
        if self.points is None:
            return None
        if self.is_late and self.assignment.late_policy == Assignment.LatePolicy.PENALTY:
            return round(self.points * (100 - self.assignment.late_penalty_percent) / 100)
        return self.points
