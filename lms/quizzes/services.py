"""Quizzes: the instructor writes one (settings, questions, choices), students take it.

Taking: start an attempt (within the limit), answer (before the deadline), submit. The
server's clock is the only clock: the deadline is fixed when the attempt starts, an answer
after it is refused, and a job submits (and grades) attempts left open past it. Grading
happens once, in the conditional UPDATE that closes the attempt.

Writing: once a student has started an attempt, the questions, their choices and points
are locked, because the scores already given were computed from them (see ``QuizLocked``).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from courses.models import Course
from courses.services import require_perm
from enrollments.models import Enrollment
from quizzes.models import Answer, Attempt, Choice, Question, Quiz
from shared.accounts.models import User
from shared.errors import Conflict, DomainError


class AttemptLimitReached(Conflict):
    default_code = "attempt_limit"


class TimeIsUp(Conflict):
    default_code = "time_is_up"


class QuizLocked(Conflict):
    """The quiz has attempts: changing its questions would contradict the scores given."""

    default_code = "quiz_locked"


class EmptyQuiz(Conflict):
    default_code = "empty_quiz"


def _enrollment_for(user: User, quiz: Quiz) -> Enrollment:
    enrollment: Enrollment | None = Enrollment.objects.filter(
        course_id=quiz.course_id, student=user, status__in=Enrollment.SEAT_STATUSES
    ).first()
    if enrollment is None:
        raise Http404("You are not enrolled in this course.")
    return enrollment


@transaction.atomic
def start_attempt(*, by: User, quiz: Quiz) -> Attempt:
    """The student's open attempt (resumed), or a new one numbered next, within the limit.

    The enrollment's row lock serialises the starts of one student: two tabs pressing
    "start" at once get the same attempt, never two, and numbers never skip.
    """
    enrollment = Enrollment.objects.select_for_update().get(pk=_enrollment_for(by, quiz).pk)
    # A quiz the instructor has just created has no questions yet: nothing to take.
    if not quiz.questions.exists():
        raise EmptyQuiz(gettext("This quiz has no questions yet."))
    attempts = Attempt.objects.filter(enrollment=enrollment, quiz=quiz)
    open_attempt: Attempt | None = attempts.filter(status=Attempt.Status.IN_PROGRESS).first()
    if open_attempt is not None:
        if timezone.now() < open_attempt.deadline:
            return open_attempt
        _close(open_attempt, auto=True)
    used = attempts.aggregate(last=Max("number"))["last"] or 0
    if used >= quiz.attempt_limit:
        message = gettext("You have used all %(limit)s attempts at this quiz.")
        raise AttemptLimitReached(message % {"limit": quiz.attempt_limit})
    now = timezone.now()
    return Attempt.objects.create(
        enrollment=enrollment,
        quiz=quiz,
        number=used + 1,
        started_at=now,
        deadline=now + timedelta(minutes=quiz.time_limit_minutes),
        max_score=sum(q.points for q in quiz.questions.all()),
    )


def own_attempt(user: User, attempt_id: int) -> Attempt:
    attempt: Attempt | None = (
        Attempt.objects.filter(pk=attempt_id, enrollment__student=user)
        .select_related("quiz", "enrollment")
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


@transaction.atomic
def answer(*, by: User, attempt: Attempt, question: Question, choice_ids: list[int]) -> Answer:
    """Record (or change) the answer to one question, while the attempt is open."""
    attempt = Attempt.objects.select_for_update().get(pk=own_attempt(by, attempt.pk).pk)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise Conflict(gettext("This attempt has been submitted."), code="submitted")
    if timezone.now() >= attempt.deadline:
        raise TimeIsUp(gettext("Time is up: this answer came after the deadline."))
    if question.quiz_id != attempt.quiz_id:
        raise DomainError(gettext("That question is not part of this quiz."), field="question")
    choices = list(Choice.objects.filter(question=question, pk__in=choice_ids))
    if len(choices) != len(set(choice_ids)):
        raise DomainError(gettext("Choose among the question's choices."), field="choices")
    if question.kind == Question.Kind.SINGLE and len(choices) != 1:
        raise DomainError(gettext("Choose exactly one answer."), field="choices")
    saved, _ = Answer.objects.update_or_create(attempt=attempt, question=question)
    saved.choices.set(choices)
    return saved


def submit(*, by: User, attempt: Attempt) -> Attempt:
    """Close and grade the attempt; submitting an attempt already closed changes nothing."""
    attempt = own_attempt(by, attempt.pk)
    with transaction.atomic():
        _close(attempt, auto=False)
    attempt.refresh_from_db()
    return attempt


def _score(attempt: Attempt) -> int:
    """Full points for a question answered with exactly its correct choices, else none."""
    chosen: dict[int, set[int]] = {}
    for answer_ in Answer.objects.filter(attempt=attempt).prefetch_related("choices"):
        chosen[answer_.question_id] = {c.pk for c in answer_.choices.all()}
    score = 0
    for question in attempt.quiz.questions.prefetch_related("choices"):
        correct = {c.pk for c in question.choices.all() if c.is_correct}
        if chosen.get(question.pk) == correct:
            score += question.points
    return score


def _close(attempt: Attempt, *, auto: bool) -> bool:
    """The one conditional UPDATE that submits: True for the call that closed it."""
    # Answers are read under the attempt's row lock, which answer() also takes: no answer
    # can land between the score and the close.
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.status != Attempt.Status.IN_PROGRESS:
        return False
    closed = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
        status=Attempt.Status.SUBMITTED,
        submitted_at=min(timezone.now(), locked.deadline) if auto else timezone.now(),
        auto_submitted=auto,
        score=_score(locked),
    )
    return bool(closed)


def submit_expired_attempts() -> int:
    """The job: submit and grade every attempt left open past its deadline; return how many."""
    count = 0
    expired = Attempt.objects.filter(
        status=Attempt.Status.IN_PROGRESS, deadline__lte=timezone.now()
    ).values_list("pk", flat=True)
    for pk in list(expired):
        with transaction.atomic():
            count += _close(Attempt.objects.get(pk=pk), auto=True)
    return count


def result_for(*, enrollment: Enrollment, quiz: Quiz) -> Attempt | None:
    """The attempt that counts: the highest score or the last submitted, per the quiz."""
    submitted = Attempt.objects.filter(
        enrollment=enrollment, quiz=quiz, status=Attempt.Status.SUBMITTED
    )
    if quiz.grading == Quiz.Grading.LAST:
        return submitted.order_by("-number").first()
    return submitted.order_by("-score", "number").first()


# --- Writing a quiz (the instructor's editor) ---------------------------------------------
@dataclass(frozen=True)
class ChoiceDraft:
    """One choice of a question as the instructor typed it (a form row, an API item)."""

    text: str
    is_correct: bool = False


def _require_unlocked(quiz: Quiz) -> None:
    # Asked under the quiz's row lock, which start_attempt does not take (it locks only the
    # student's enrollment, so a class can start at once): a first start landing in the
    # very instant of a save is not excluded (a narrow window, named in the README).
    if quiz.attempts.exists():
        raise QuizLocked(
            gettext(
                "Students have already started this quiz: its questions, choices and points "
                "can no longer change. Create a new quiz instead."
            )
        )


def _check_settings(
    *, attempt_limit: int, time_limit_minutes: int, pass_mark: int, grading: str
) -> None:
    # The database refuses some of these too; checking here gives the field its message.
    if attempt_limit < 1:
        raise DomainError(gettext("Allow at least one attempt."), field="attempt_limit")
    if time_limit_minutes < 1:
        raise DomainError(gettext("Allow at least one minute."), field="time_limit_minutes")
    if not 0 <= pass_mark <= 100:
        raise DomainError(gettext("The pass mark is a percentage (0 to 100)."), field="pass_mark")
    if grading not in Quiz.Grading.values:
        raise DomainError(gettext("Unknown grading rule."), field="grading")


@transaction.atomic
def create_quiz(
    *,
    by: User,
    course: Course,
    title: str,
    description: str = "",
    attempt_limit: int = 3,
    time_limit_minutes: int = 10,
    pass_mark: int = 60,
    grading: str = Quiz.Grading.HIGHEST,
) -> Quiz:
    """A new quiz, last of its course; its questions are added next."""
    require_perm(by, "courses.build_course", course)
    _check_settings(
        attempt_limit=attempt_limit,
        time_limit_minutes=time_limit_minutes,
        pass_mark=pass_mark,
        grading=grading,
    )
    # Lock the course so two quizzes created at once do not take the same position.
    Course.objects.select_for_update().get(pk=course.pk)
    last = course.quizzes.aggregate(last=Max("position"))["last"] or 0
    return Quiz.objects.create(
        course=course,
        title=title,
        description=description,
        attempt_limit=attempt_limit,
        time_limit_minutes=time_limit_minutes,
        pass_mark=pass_mark,
        grading=grading,
        position=last + 1,
    )


@transaction.atomic
def update_quiz(
    *,
    by: User,
    quiz: Quiz,
    title: str,
    description: str,
    attempt_limit: int,
    time_limit_minutes: int,
    pass_mark: int,
    grading: str,
) -> Quiz:
    """Change the quiz's settings, allowed even after attempts: a started attempt keeps its
    deadline, the limit counts for the next start, and the pass mark and the grading rule
    are read when a result is shown, so changing them re-judges every attempt at once."""
    require_perm(by, "courses.build_course", quiz.course)
    _check_settings(
        attempt_limit=attempt_limit,
        time_limit_minutes=time_limit_minutes,
        pass_mark=pass_mark,
        grading=grading,
    )
    locked: Quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
    locked.title = title
    locked.description = description
    locked.attempt_limit = attempt_limit
    locked.time_limit_minutes = time_limit_minutes
    locked.pass_mark = pass_mark
    locked.grading = grading
    locked.save()
    return locked


def _check_choices(kind: str, choices: list[ChoiceDraft]) -> None:
    """The rules of a question's answer key, for both doors."""
    if kind not in Question.Kind.values:
        raise DomainError(gettext("Unknown question kind."), field="kind")
    if len(choices) < 2:
        raise DomainError(gettext("A question needs at least two choices."), field="choices")
    correct = sum(1 for choice in choices if choice.is_correct)
    if kind == Question.Kind.SINGLE and correct != 1:
        raise DomainError(
            gettext("A one-answer question needs exactly one correct choice."), field="choices"
        )
    if kind == Question.Kind.MULTIPLE and correct < 1:
        raise DomainError(
            gettext("A several-answers question needs at least one correct choice."),
            field="choices",
        )


@transaction.atomic
def save_question(
    *,
    by: User,
    quiz: Quiz,
    question: Question | None = None,
    text: str,
    kind: str,
    points: int,
    choices: list[ChoiceDraft],
) -> Question:
    """Add a question (``question=None``, placed last) or rewrite one, with its choices.

    The choices are replaced as a whole: no answer points at them, since a quiz with
    attempts is locked (and an answer's choices belong to an attempt).
    """
    require_perm(by, "courses.build_course", quiz.course)
    # The quiz's row lock serialises two saves of one quiz (the next position is unique).
    Quiz.objects.select_for_update().get(pk=quiz.pk)
    _require_unlocked(quiz)
    if points < 1:
        raise DomainError(gettext("A question is worth at least one point."), field="points")
    _check_choices(kind, choices)
    if question is None:
        last = quiz.questions.aggregate(last=Max("position"))["last"] or 0
        question = Question(quiz=quiz, position=last + 1)
    elif question.quiz_id != quiz.pk:
        raise DomainError(gettext("That question is not part of this quiz."), field="question")
    question.text = text
    question.kind = kind
    question.points = points
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(question=question, text=choice.text, is_correct=choice.is_correct)
        for choice in choices
    )
    return question


@transaction.atomic
def delete_question(*, by: User, question: Question) -> None:
    require_perm(by, "courses.build_course", question.quiz.course)
    Quiz.objects.select_for_update().get(pk=question.quiz_id)
    _require_unlocked(question.quiz)
    question.delete()


@transaction.atomic
def move_question(*, by: User, question: Question, direction: str) -> None:
    """Swap a question with its neighbour ("up" or "down"), then number them 1, 2, 3...

    Allowed after attempts: the order is only how the questions are shown."""
    require_perm(by, "courses.build_course", question.quiz.course)
    if direction not in ("up", "down"):
        raise DomainError(gettext("Move up or down."), field="direction")
    Quiz.objects.select_for_update().get(pk=question.quiz_id)
    ids = list(question.quiz.questions.values_list("pk", flat=True))
    index = ids.index(question.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    for position, pk in enumerate(ids, start=1):
        Question.objects.filter(pk=pk).update(position=position)
