"""Taking a quiz through the services: limits, deadlines, grading once, the grading rule."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, Question, Quiz
from quizzes.tests.factories import QuizFactory
from shared.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db


def right(question: Question) -> list[int]:
    return [question.choices.get(is_correct=True).pk]


def wrong(question: Question) -> list[int]:
    return [question.choices.get(is_correct=False).pk]


def test_start_resumes_the_open_attempt(quiz, enrolled, student):
    first = services.start_attempt(by=student, quiz=quiz)
    assert (first.number, first.max_score) == (1, 2)
    assert first.deadline - first.started_at == timedelta(minutes=10)
    assert services.start_attempt(by=student, quiz=quiz) == first


def test_attempts_are_numbered_and_limited(quiz, enrolled, student):
    for expected in (1, 2, 3):
        attempt = services.start_attempt(by=student, quiz=quiz)
        assert attempt.number == expected
        services.submit(by=student, attempt=attempt)
    with pytest.raises(Conflict) as error:
        services.start_attempt(by=student, quiz=quiz)
    assert error.value.code == "attempt_limit"


def test_only_enrolled_students_start(quiz, other_student):
    with pytest.raises(Http404):
        services.start_attempt(by=other_student, quiz=quiz)


def test_answers_are_graded_once_on_submit(quiz, enrolled, student):
    attempt = services.start_attempt(by=student, quiz=quiz)
    first, second = quiz.questions.all()
    services.answer(by=student, attempt=attempt, question=first, choice_ids=wrong(first))
    services.answer(by=student, attempt=attempt, question=first, choice_ids=right(first))
    services.answer(by=student, attempt=attempt, question=second, choice_ids=wrong(second))
    done = services.submit(by=student, attempt=attempt)
    assert (done.status, done.score, done.percent, done.passed) == ("submitted", 1, 50, True)
    again = services.submit(by=student, attempt=attempt)
    assert again.submitted_at == done.submitted_at and again.score == 1
    with pytest.raises(Conflict):
        services.answer(by=student, attempt=attempt, question=first, choice_ids=right(first))


def test_an_answer_after_the_deadline_is_refused(quiz, enrolled, student):
    attempt = services.start_attempt(by=student, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    question = quiz.questions.first()
    with pytest.raises(Conflict) as error:
        services.answer(by=student, attempt=attempt, question=question, choice_ids=right(question))
    assert error.value.code == "time_is_up"


def test_bad_answers_are_400(quiz, enrolled, student):
    attempt = services.start_attempt(by=student, quiz=quiz)
    first, second = quiz.questions.all()
    other = QuizFactory().questions.first()
    with pytest.raises(DomainError) as error:
        services.answer(by=student, attempt=attempt, question=other, choice_ids=right(other))
    assert error.value.field == "question"
    with pytest.raises(DomainError):
        services.answer(by=student, attempt=attempt, question=first, choice_ids=right(second))
    with pytest.raises(DomainError):
        both = [c.pk for c in first.choices.all()]
        services.answer(by=student, attempt=attempt, question=first, choice_ids=both)


def test_multiple_choice_needs_exactly_the_right_set(enrolled, student, course):
    quiz = QuizFactory(course=course, questions=0)
    question = Question.objects.create(quiz=quiz, text="Pick two", kind="multiple", points=2)
    a, b, _ = (question.choices.create(text=t, is_correct=t != "c") for t in "abc")
    attempt = services.start_attempt(by=student, quiz=quiz)
    services.answer(by=student, attempt=attempt, question=question, choice_ids=[a.pk])
    assert services.submit(by=student, attempt=attempt).score == 0
    attempt = services.start_attempt(by=student, quiz=quiz)
    services.answer(by=student, attempt=attempt, question=question, choice_ids=[a.pk, b.pk])
    assert services.submit(by=student, attempt=attempt).score == 2


def test_the_job_submits_expired_attempts_once(quiz, enrolled, student):
    attempt = services.start_attempt(by=student, quiz=quiz)
    first = quiz.questions.first()
    services.answer(by=student, attempt=attempt, question=first, choice_ids=right(first))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert services.submit_expired_attempts() == 1
    assert services.submit_expired_attempts() == 0
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.score == 1
    assert attempt.submitted_at == attempt.deadline


def test_starting_after_an_expired_attempt_closes_it_first(quiz, enrolled, student):
    attempt = services.start_attempt(by=student, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    second = services.start_attempt(by=student, quiz=quiz)
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.auto_submitted and second.number == 2


def test_result_follows_the_grading_rule(quiz, enrolled, student):
    first_q = quiz.questions.first()
    good = services.start_attempt(by=student, quiz=quiz)
    services.answer(by=student, attempt=good, question=first_q, choice_ids=right(first_q))
    services.submit(by=student, attempt=good)
    bad = services.submit(by=student, attempt=services.start_attempt(by=student, quiz=quiz))
    assert services.result_for(enrollment=enrolled, quiz=quiz) == good
    quiz.grading = Quiz.Grading.LAST
    quiz.save()
    assert services.result_for(enrollment=enrolled, quiz=quiz) == bad
    assert str(bad).startswith(quiz.title)


def test_another_students_attempt_is_404(quiz, enrolled, student, other_student):
    attempt = services.start_attempt(by=student, quiz=quiz)
    with pytest.raises(Http404):
        services.submit(by=other_student, attempt=attempt)


# --- Writing a quiz (the instructor's editor) ------------------------------------------------
SETTINGS = {"attempt_limit": 2, "time_limit_minutes": 5, "pass_mark": 70, "grading": "last"}


def drafts(*rows: tuple[str, bool]) -> list[services.ChoiceDraft]:
    return [services.ChoiceDraft(text=text, is_correct=correct) for text, correct in rows]


def test_an_instructor_creates_a_quiz_last_of_the_course(course, instructor, quiz):
    created = services.create_quiz(by=instructor, course=course, title="Loops", **SETTINGS)
    assert (created.course, created.position, created.grading) == (
        course,
        quiz.position + 1,
        "last",
    )
    assert (created.attempt_limit, created.time_limit_minutes, created.pass_mark) == (2, 5, 70)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("attempt_limit", 0),
        ("time_limit_minutes", 0),
        ("pass_mark", 101),
        ("pass_mark", -1),
        ("grading", "best"),
    ],
)
def test_bad_settings_are_refused_on_their_field(course, instructor, field, value):
    with pytest.raises(DomainError) as refused:
        services.create_quiz(by=instructor, course=course, title="X", **{**SETTINGS, field: value})
    assert refused.value.field == field and not Quiz.objects.exists()


def test_a_teaching_assistant_or_a_student_cannot_write_a_quiz(course, assistant, student, quiz):
    for user in (assistant, student):
        with pytest.raises(PermissionDenied):
            services.create_quiz(by=user, course=course, title="X")
        with pytest.raises(PermissionDenied):
            services.save_question(
                by=user, quiz=quiz, text="Q", kind="single", points=1,
                choices=drafts(("a", True), ("b", False)),
            )  # fmt: skip


def test_questions_are_added_last_edited_and_their_choices_replaced(instructor, quiz):
    question = services.save_question(
        by=instructor, quiz=quiz, text="Pick two", kind=Question.Kind.MULTIPLE, points=2,
        choices=drafts(("a", True), ("b", True), ("c", False)),
    )  # fmt: skip
    assert list(quiz.questions.all())[-1] == question  # after the factory's two
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("a", True), ("b", True), ("c", False),
    ]  # fmt: skip
    services.save_question(
        by=instructor, quiz=quiz, question=question, text="Pick one", kind="single", points=1,
        choices=drafts(("x", False), ("y", True)),
    )  # fmt: skip
    question.refresh_from_db()
    assert (question.text, question.kind, question.position) == ("Pick one", "single", 2)
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [("x", False), ("y", True)]


@pytest.mark.parametrize(
    ("kind", "rows", "message"),
    [
        ("single", [("only", True)], "at least two choices"),
        ("single", [("a", False), ("b", False)], "exactly one correct"),
        ("single", [("a", True), ("b", True)], "exactly one correct"),
        ("multiple", [("a", False), ("b", False)], "at least one correct"),
    ],
)
def test_the_answer_key_is_checked(instructor, quiz, kind, rows, message):
    with pytest.raises(DomainError) as refused:
        services.save_question(
            by=instructor, quiz=quiz, text="Q", kind=kind, points=1, choices=drafts(*rows)
        )
    assert message in refused.value.message and refused.value.field == "choices"
    assert quiz.questions.count() == 2


def test_questions_move_and_are_deleted(instructor, quiz):
    first, second = quiz.questions.all()
    services.move_question(by=instructor, question=first, direction="down")
    assert list(quiz.questions.all()) == [second, first]
    services.move_question(by=instructor, question=first, direction="down")  # already last
    assert list(quiz.questions.all()) == [second, first]
    services.delete_question(by=instructor, question=second)
    assert list(quiz.questions.all()) == [first]


def test_once_attempted_the_questions_are_locked_but_the_settings_are_not(
    instructor, quiz, enrolled, student
):
    services.start_attempt(by=student, quiz=quiz)
    first, second = quiz.questions.all()
    with pytest.raises(services.QuizLocked):
        services.save_question(
            by=instructor, quiz=quiz, question=first, text="Changed", kind="single", points=5,
            choices=drafts(("a", True), ("b", False)),
        )  # fmt: skip
    with pytest.raises(services.QuizLocked):
        services.save_question(
            by=instructor, quiz=quiz, text="New", kind="single", points=1,
            choices=drafts(("a", True), ("b", False)),
        )  # fmt: skip
    with pytest.raises(services.QuizLocked):
        services.delete_question(by=instructor, question=second)
    first.refresh_from_db()
    assert (first.text, first.points, quiz.questions.count()) == ("Question 0", 1, 2)
    # The order and the settings still change: they do not touch a score already given.
    services.move_question(by=instructor, question=first, direction="down")
    assert list(quiz.questions.all()) == [second, first]
    changed = services.update_quiz(
        by=instructor, quiz=quiz, title="Renamed", description="", **SETTINGS
    )
    assert (changed.title, changed.attempt_limit) == ("Renamed", 2)


def test_a_quiz_without_questions_cannot_be_started(course, instructor, enrolled, student):
    empty = services.create_quiz(by=instructor, course=course, title="Soon")
    with pytest.raises(services.EmptyQuiz):
        services.start_attempt(by=student, quiz=empty)
    assert not Attempt.objects.exists()
