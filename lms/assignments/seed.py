"""Demo assignments: in each demo course one due within a day (reminders have work) and one
in a week; the demo student has handed in the Python project (the instructor can grade it).
Idempotent: keyed by course and title."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assignments import services
from assignments.models import Assignment, Submission
from courses.models import Course


def seed_demo() -> None:
    now = timezone.now()
    for course in Course.objects.filter(status=Course.Status.PUBLISHED).exclude(
        slug__startswith="bulk-"
    ):
        Assignment.objects.get_or_create(
            course=course,
            title="Project: put it into practice",
            defaults={
                "instructions": "Write a short script or essay using this course's ideas, "
                "and hand in a PDF or a text file.",
                "due_at": now + timedelta(days=7),
            },
        )
        Assignment.objects.get_or_create(
            course=course,
            title="Warm-up exercise",
            defaults={
                "instructions": "A short exercise; late work loses 20%.",
                "due_at": now + timedelta(hours=20),
            },
        )

    student = get_user_model().objects.get(email="student@lms.example")
    project = Assignment.objects.get(
        course__slug="python-for-beginners", title="Project: put it into practice"
    )
    if not Submission.objects.filter(assignment=project, enrollment__student=student).exists():
        services.submit(
            by=student,
            assignment=project,
            file=SimpleUploadedFile("my-project.txt", b"print('my first script')\n"),
        )
