"""The live classroom's rules under concurrency, on real PostgreSQL (marked ``postgres``)."""

import pytest

from classroom import services
from classroom.models import LiveAnswer, LiveSession
from shared.errors import Conflict

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_answers_at_once_from_one_student_make_one_row(
    concurrently, course, enrolled, student, instructor
):
    session = services.open_session(by=instructor, course=course)
    question = services.push_question(
        by=instructor, session=session, prompt="Q", choices=["a", "b"]
    )

    results = concurrently(
        lambda: services.answer(by=student, question=question, choice=0),
        lambda: services.answer(by=student, question=question, choice=1),
    )

    assert LiveAnswer.objects.filter(question=question, student=student).count() == 1
    errors = [outcome.error for outcome in results]
    assert None in errors, errors  # one answer went in
    assert sum(isinstance(error, Conflict) for error in errors) == 1, errors


def test_two_instructors_opening_at_once_make_one_open_session(concurrently, course, instructor):
    results = concurrently(
        lambda: services.open_session(by=instructor, course=course),
        lambda: services.open_session(by=instructor, course=course),
    )
    assert LiveSession.objects.open().filter(course=course).count() == 1
    errors = [outcome.error for outcome in results]
    assert None in errors and sum(isinstance(e, Conflict) for e in errors) == 1, errors
