"""`manage.py seed_demo` creates the demo data once; running it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assignments.models import Submission
from certificates.models import Certificate
from classroom.models import LiveQuestion, LiveSession
from courses.models import Course, Lesson
from enrollments.models import Enrollment, LessonProgress

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The seed hands in a demo submission: its file goes to a temporary folder.
    settings.MEDIA_ROOT = tmp_path


def snapshot() -> dict:
    return {
        "users": list(get_user_model().objects.values_list("email", "password").order_by("email")),
        "courses": list(
            Course.objects.values_list("slug", "status", "seats_taken").order_by("slug")
        ),
        "lessons": Lesson.objects.count(),
        "enrollments": list(
            Enrollment.objects.values_list("student__email", "course__slug", "status").order_by(
                "student__email", "course__slug"
            )
        ),
        "progress": LessonProgress.objects.count(),
        "certificates": Certificate.objects.count(),
        "submissions": Submission.objects.count(),
        "live_sessions": list(
            LiveSession.objects.values_list("course__slug", "closed_at").order_by("pk")
        ),
        "live_questions": list(LiveQuestion.objects.values_list("prompt", flat=True)),
    }


def test_seed_demo_is_idempotent_and_has_learners_at_every_stage(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    first = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert snapshot() == first
    statuses = {status for _, _, status in first["enrollments"]}
    assert statuses == {"active", "completed", "waitlisted"}
    assert first["certificates"] == 1 and first["submissions"] == 1
    assert ("machine-learning-draft", "draft", 0) in first["courses"]
    # A live session to join, with one question.
    assert first["live_sessions"] == [("python-for-beginners", None)]
    assert first["live_questions"] == ["Which keyword starts a function in Python?"]


def test_seed_bulk_adds_courses_once():
    call_command("seed_demo", "--bulk", "3")
    call_command("seed_demo", "--bulk", "3")
    assert Course.objects.filter(slug__startswith="bulk-course-").count() == 3
