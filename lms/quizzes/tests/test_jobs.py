"""The auto-submit job and its schedule."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from quizzes import services, tasks
from quizzes.models import Attempt

pytestmark = pytest.mark.django_db


def test_the_task_submits_expired_attempts(quiz, enrolled, student):
    attempt = services.start_attempt(by=student, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    assert tasks.submit_expired_attempts.delay().get() == 1
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score == 0


def test_the_job_runs_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["submit-expired-attempts"]
    assert (entry["task"], entry["schedule"]) == ("quizzes.submit_expired_attempts", 60)
