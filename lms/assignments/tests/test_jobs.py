"""Deadline reminders: 24 hours ahead, once, and not for students who handed in."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assignments import services, tasks
from assignments.tests.factories import AssignmentFactory
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_reminders_go_once_to_those_who_have_not_submitted(
    course, settings, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    soon = AssignmentFactory(course=course, due_at=timezone.now() + timedelta(hours=5))
    AssignmentFactory(course=course, due_at=timezone.now() + timedelta(days=3))  # not yet
    waiting, done = EnrollmentFactory(course=course), EnrollmentFactory(course=course)
    EnrollmentFactory(course=course, status="dropped")
    services.submit(
        by=done.student, assignment=soon, file=SimpleUploadedFile("a.txt", b"my answer")
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_deadline_reminders() == 1
        tasks.send_deadline_reminders()  # the next beat run: the key stops a second email
    assert [m.to for m in mailoutbox] == [[waiting.student.email]]
    assert mailoutbox[0].subject == f"Due soon: {soon.title}"


def test_reminders_are_scheduled_every_quarter_hour():
    entry = django_settings.CELERY_BEAT_SCHEDULE["assignment-deadline-reminders"]
    assert (entry["task"], entry["schedule"]) == ("assignments.send_deadline_reminders", 900)
