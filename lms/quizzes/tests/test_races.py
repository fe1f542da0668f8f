"""Attempt limits under concurrency, on PostgreSQL: never above the limit, no gap, no duplicate;
and the expiry job racing a late submit grades once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enrollments.tests.factories import EnrollmentFactory
from quizzes import services
from quizzes.models import Attempt
from quizzes.tests.factories import QuizFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_starts_give_one_attempt(concurrently):
    quiz = QuizFactory(attempt_limit=3)
    enrollment = EnrollmentFactory(course=quiz.course)
    student = enrollment.student

    outcomes = concurrently(*[lambda: services.start_attempt(by=student, quiz=quiz)] * 6)

    assert [o.error for o in outcomes] == [None] * 6
    assert {o.value.pk for o in outcomes} == {Attempt.objects.get().pk}


def test_concurrent_starts_at_the_limit_never_exceed_it(concurrently):
    quiz = QuizFactory(attempt_limit=3)
    enrollment = EnrollmentFactory(course=quiz.course)
    student = enrollment.student
    for _ in range(2):
        services.submit(by=student, attempt=services.start_attempt(by=student, quiz=quiz))

    def start_and_submit():
        return services.submit(by=student, attempt=services.start_attempt(by=student, quiz=quiz))

    outcomes = concurrently(*[start_and_submit] * 5)

    numbers = sorted(Attempt.objects.filter(quiz=quiz).values_list("number", flat=True))
    assert numbers == [1, 2, 3]  # the limit, no gap, no duplicate
    refused = [o.error for o in outcomes if o.error is not None]
    assert all(getattr(e, "code", None) == "attempt_limit" for e in refused)


def test_the_expiry_job_and_a_late_submit_grade_once(concurrently):
    quiz = QuizFactory()
    enrollment = EnrollmentFactory(course=quiz.course)
    student = enrollment.student
    attempt = services.start_attempt(by=student, quiz=quiz)
    question = quiz.questions.first()
    services.answer(
        by=student,
        attempt=attempt,
        question=question,
        choice_ids=[question.choices.get(is_correct=True).pk],
    )
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))

    outcomes = concurrently(
        services.submit_expired_attempts,
        services.submit_expired_attempts,
        lambda: services.submit(by=student, attempt=attempt),
    )

    assert [o.error for o in outcomes] == [None] * 3
    assert outcomes[0].value + outcomes[1].value <= 1
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score == 1
