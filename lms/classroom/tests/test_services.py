"""The live classroom's use cases and refusals, through the service functions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from classroom import services
from classroom.models import LiveAnswer, LiveSession
from classroom.tests.factories import LiveQuestionFactory, LiveSessionFactory
from enrollments.models import Enrollment
from enrollments.tests.factories import EnrollmentFactory
from shared.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(course, instructor):
    return services.open_session(by=instructor, course=course)


@pytest.fixture
def question(session, instructor):
    return services.push_question(
        by=instructor, session=session, prompt="2 + 2?", choices=["3", "4", "5"]
    )


def test_the_instructor_opens_one_session_at_a_time(course, instructor):
    session = services.open_session(by=instructor, course=course)
    assert session.is_open and session.opened_by == instructor
    with pytest.raises(Conflict, match="already open"):
        services.open_session(by=instructor, course=course)
    assert LiveSession.objects.filter(course=course).count() == 1


def test_the_database_refuses_a_second_open_session(course):
    LiveSessionFactory(course=course)
    with pytest.raises(IntegrityError):
        LiveSessionFactory(course=course)


def test_students_and_assistants_may_not_run_a_session(course, student, enrolled, assistant):
    for user in (student, assistant):
        with pytest.raises(PermissionDenied):
            services.open_session(by=user, course=course)


def test_a_pushed_question_keeps_its_cleaned_choices(question):
    assert question.prompt == "2 + 2?"
    assert question.choices == ["3", "4", "5"]
    assert question.session.current_question() == question


@pytest.mark.parametrize(
    ("prompt", "choices", "field"),
    [
        ("", ["a", "b"], "prompt"),
        ("x" * 301, ["a", "b"], "prompt"),
        ("Pick", ["only one"], "choices"),
        ("Pick", ["a", " ", ""], "choices"),
        ("Pick", [str(n) for n in range(7)], "choices"),
        ("Pick", ["a", "b" * 101], "choices"),
    ],
)
def test_a_question_needs_a_prompt_and_two_to_six_short_choices(
    session, instructor, prompt, choices, field
):
    with pytest.raises(DomainError) as refused:
        services.push_question(by=instructor, session=session, prompt=prompt, choices=choices)
    assert refused.value.field == field


def test_no_question_is_pushed_to_a_closed_session(session, instructor):
    services.close_session(by=instructor, session=session)
    with pytest.raises(Conflict, match="closed"):
        services.push_question(by=instructor, session=session, prompt="Q", choices=["a", "b"])


def test_a_student_answers_once_and_the_tally_counts_it(question, student, enrolled):
    services.answer(by=student, question=question, choice=1)
    assert question.tally() == [0, 1, 0]
    with pytest.raises(Conflict, match="already answered"):
        services.answer(by=student, question=question, choice=2)
    assert LiveAnswer.objects.filter(question=question).count() == 1


@pytest.mark.parametrize("choice", [-1, 3, "1", True, None])
def test_an_answer_must_be_one_of_the_choices(question, student, enrolled, choice):
    with pytest.raises(DomainError) as refused:
        services.answer(by=student, question=question, choice=choice)
    assert refused.value.field == "choice"
    assert not LiveAnswer.objects.exists()


def test_only_a_student_with_a_seat_answers(question, course, instructor, other_student, student):
    dropped = EnrollmentFactory(course=course, student=student, status=Enrollment.Status.DROPPED)
    assert dropped.status == "dropped"
    for user in (instructor, other_student, student):
        with pytest.raises(PermissionDenied):
            services.answer(by=user, question=question, choice=0)
    assert not LiveAnswer.objects.exists()


def test_no_answer_once_the_session_is_closed(question, session, instructor, student, enrolled):
    services.close_session(by=instructor, session=session)
    with pytest.raises(Conflict, match="closed"):
        services.answer(by=student, question=question, choice=0)


def test_a_session_closes_once(session, instructor):
    closed = services.close_session(by=instructor, session=session)
    assert closed.closed_at is not None and not closed.is_open
    with pytest.raises(Conflict, match="already closed"):
        services.close_session(by=instructor, session=session)
    # A new one may be opened after.
    assert services.open_session(by=instructor, course=session.course).is_open


def test_a_platform_admin_runs_any_course(course, platform_admin):
    session = services.open_session(by=platform_admin, course=course)
    services.push_question(by=platform_admin, session=session, prompt="Q", choices=["a", "b"])
    assert session.questions.count() == 1


def test_visible_to_shows_the_sessions_of_my_courses_only(
    course, other_course, student, enrolled, assistant, other_student, platform_admin
):
    mine = LiveSessionFactory(course=course)
    theirs = LiveSessionFactory(course=other_course)
    assert list(LiveSession.objects.visible_to(student)) == [mine]
    assert list(LiveSession.objects.visible_to(assistant)) == [mine]
    assert list(LiveSession.objects.visible_to(other_student)) == []
    assert set(LiveSession.objects.visible_to(platform_admin)) == {mine, theirs}


def test_results_pair_each_choice_with_its_count(course, student, enrolled):
    question = LiveQuestionFactory(session=LiveSessionFactory(course=course))
    LiveAnswer.objects.create(question=question, student=student, choice=2)
    assert question.results() == [
        {"index": 0, "text": "def", "count": 0},
        {"index": 1, "text": "fun", "count": 0},
        {"index": 2, "text": "function", "count": 1},
    ]
