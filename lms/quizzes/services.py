"""Taking a quiz: start an attempt (within the limit), answer (before the deadline), submit.

The server's clock is the only clock: the deadline is fixed when the attempt starts, an
answer after it is refused, and a job submits (and grades) attempts left open past it.
Grading happens once, in the conditional UPDATE that closes the attempt.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from enrollments.models import Enrollment
from quizzes.models import Answer, Attempt, Choice, Question, Quiz
from shared.accounts.models import User
from shared.errors import Conflict, DomainError


class AttemptLimitReached(Conflict):
    default_code = "attempt_limit"


class TimeIsUp(Conflict):
    default_code = "time_is_up"


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
