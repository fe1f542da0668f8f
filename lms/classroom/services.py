"""Use cases of the live classroom: open a session, push a question, answer, close.

Each one asks the course-scoped permission (classroom/rules.py) and refuses with the shared
domain errors; after its transaction commits it tells every connected socket of the course
(shared/web/live.py), so the pages and the API change the same rows and the same screens.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from classroom.models import LiveAnswer, LiveQuestion, LiveSession
from courses.models import Course
from courses.services import require_perm
from shared.accounts.models import User
from shared.errors import Conflict, DomainError
from shared.web.live import group_send_now, group_send_on_commit

MAX_PROMPT = 300
MAX_CHOICE = 100
MIN_CHOICES, MAX_CHOICES = 2, 6


def question_payload(question: LiveQuestion) -> dict[str, Any]:
    """What a socket receives about a question (and the API shows): no student names."""
    return {
        "id": question.pk,
        "session": question.session_id,
        "prompt": question.prompt,
        "choices": list(question.choices),
        "tally": question.tally(),
    }


def _broadcast(course: Course, kind: str, **data: Any) -> None:
    group_send_on_commit(course.live_group, {"type": "live.event", "kind": kind, **data})


@transaction.atomic
def open_session(*, by: User, course: Course) -> LiveSession:
    """Open the course's live session; there is at most one open at a time."""
    require_perm(by, "classroom.run", course)
    if LiveSession.objects.open().filter(course=course).exists():
        raise Conflict("A live session of this course is already open.", code="session_open")
    try:
        with transaction.atomic():
            session = LiveSession.objects.create(course=course, opened_by=by)
    except IntegrityError:
        # Another instructor opened one between our check and our insert.
        raise Conflict(
            "A live session of this course is already open.", code="session_open"
        ) from None
    _broadcast(course, "session_opened", session=session.pk)
    return session


def _clean_question(prompt: str, choices: list[str]) -> tuple[str, list[str]]:
    prompt = (prompt or "").strip()
    if not prompt:
        raise DomainError("Write the question.", field="prompt", code="required")
    if len(prompt) > MAX_PROMPT:
        raise DomainError(
            f"A question has at most {MAX_PROMPT} characters.", field="prompt", code="too_long"
        )
    cleaned = [str(choice).strip() for choice in choices if str(choice).strip()]
    if not MIN_CHOICES <= len(cleaned) <= MAX_CHOICES:
        raise DomainError(
            f"Give between {MIN_CHOICES} and {MAX_CHOICES} choices.",
            field="choices",
            code="choice_count",
        )
    if any(len(choice) > MAX_CHOICE for choice in cleaned):
        raise DomainError(
            f"A choice has at most {MAX_CHOICE} characters.", field="choices", code="too_long"
        )
    return prompt, cleaned


@transaction.atomic
def push_question(
    *, by: User, session: LiveSession, prompt: str, choices: list[str]
) -> LiveQuestion:
    """Put a new question in front of everyone connected; it becomes the current one."""
    require_perm(by, "classroom.run", session.course)
    prompt, cleaned = _clean_question(prompt, choices)
    locked = LiveSession.objects.select_for_update().get(pk=session.pk)
    if not locked.is_open:
        raise Conflict("This live session is closed.", code="session_closed")
    question = LiveQuestion.objects.create(session=locked, prompt=prompt, choices=cleaned)
    _broadcast(session.course, "question", question=question_payload(question))
    return question


@transaction.atomic
def answer(*, by: User, question: LiveQuestion, choice: int) -> LiveAnswer:
    """Record a student's one answer to a question of an open session; everyone sees the
    new tally."""
    session = question.session
    require_perm(by, "classroom.answer", session.course)
    if not LiveSession.objects.open().filter(pk=session.pk).exists():
        raise Conflict("This live session is closed.", code="session_closed")
    if isinstance(choice, bool) or not isinstance(choice, int):
        raise DomainError("Pick one of the choices.", field="choice", code="invalid")
    if not 0 <= choice < len(question.choices):
        raise DomainError("Pick one of the choices.", field="choice", code="invalid")
    try:
        with transaction.atomic():
            given = LiveAnswer.objects.create(question=question, student=by, choice=choice)
    except IntegrityError:
        raise Conflict(
            "You have already answered this question.", code="already_answered"
        ) from None
    # The tally is counted after the commit, so it includes this answer and every other
    # one committed by then (counted inside the transaction it could miss a concurrent one).
    group = session.course.live_group
    transaction.on_commit(
        lambda: group_send_now(
            group,
            {
                "type": "live.event",
                "kind": "tally",
                "question": question.pk,
                "tally": question.tally(),
            },
        )
    )
    return given


@transaction.atomic
def close_session(*, by: User, session: LiveSession) -> LiveSession:
    """End the session: no more questions or answers; the results stay readable."""
    require_perm(by, "classroom.run", session.course)
    closed = LiveSession.objects.open().filter(pk=session.pk).update(closed_at=timezone.now())
    if not closed:
        raise Conflict("This live session is already closed.", code="session_closed")
    session.refresh_from_db()
    _broadcast(session.course, "session_closed", session=session.pk)
    return session
