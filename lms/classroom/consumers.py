"""The live classroom's WebSocket: one socket per browser tab and course, /ws/courses/<slug>/live/.

Read it beside a socket.io server: ``connect`` is ``io.on("connection")`` with its auth
middleware, ``receive`` is ``socket.on("message")``, the course's group is a socket.io room,
and ``live_event`` is what a ``io.to(room).emit(...)`` from a service arrives as.

Who may join is asked on connect (an enrolled student, the course's staff) and asked again
on every message, because an enrollment can be dropped while the tab stays open. The work is
done by classroom/services.py, the same functions the pages call, in a thread
(database_sync_to_async), since the ORM is synchronous.
"""

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied

from classroom import services
from classroom.models import LiveAnswer, LiveQuestion, LiveSession
from courses.models import Course
from shared.errors import DomainError

# Close codes (4000-4999 are the application's own, RFC 6455): the page's script reads them.
NOT_SIGNED_IN = 4401
NOT_ALLOWED = 4403
# A browser sends a few hundred bytes; anything far larger is refused before json.loads.
MAX_MESSAGE_CHARS = 4096


@database_sync_to_async
def visible_course(user, slug: str) -> Course | None:
    return Course.objects.visible_to(user).filter(slug=slug).first()


@database_sync_to_async
def may(user, perm: str, course: Course) -> bool:
    return user.has_perm(perm, course)


@database_sync_to_async
def state_of(user, course: Course) -> dict[str, Any]:
    """What a socket receives on joining: the open session, its current question, the tally,
    and whether this user has already answered it."""
    session = LiveSession.objects.open().filter(course=course).first()
    question = session.current_question() if session else None
    return {
        "type": "state",
        "session": session.pk if session else None,
        "question": services.question_payload(question) if question else None,
        "answered": bool(
            question and LiveAnswer.objects.filter(question=question, student=user).exists()
        ),
        "may_run": user.has_perm("classroom.run", course),
        "may_answer": user.has_perm("classroom.answer", course),
    }


@database_sync_to_async
def do_answer(user, course: Course, content: dict[str, Any]) -> None:
    question = (
        LiveQuestion.objects.filter(pk=_as_id(content.get("question")), session__course=course)
        .select_related("session__course")
        .first()
    )
    if question is None:
        raise DomainError("No such question in this course.", field="question", code="not_found")
    services.answer(by=user, question=question, choice=content.get("choice"))  # type: ignore[arg-type]


@database_sync_to_async
def do_push(user, course: Course, content: dict[str, Any]) -> None:
    session = LiveSession.objects.open().filter(course=course).select_related("course").first()
    if session is None:
        raise DomainError("Open a live session first.", code="no_session")
    choices = content.get("choices")
    if not isinstance(choices, list) or not isinstance(content.get("prompt"), str):
        raise DomainError("A question needs a prompt and a list of choices.", code="invalid")
    services.push_question(by=user, session=session, prompt=content["prompt"], choices=choices)


@database_sync_to_async
def do_close(user, course: Course, content: dict[str, Any]) -> None:
    session = LiveSession.objects.open().filter(course=course).select_related("course").first()
    if session is None:
        raise DomainError("No live session is open.", code="no_session")
    services.close_session(by=user, session=session)


def _as_id(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class ClassroomConsumer(AsyncJsonWebsocketConsumer):
    # The message types a browser may send, and the function that does each.
    ACTIONS = {"answer": do_answer, "push": do_push, "close": do_close}

    async def connect(self) -> None:
        self.group: str | None = None
        self.user = self.scope["user"]
        if not self.user.is_authenticated:
            await self.close(code=NOT_SIGNED_IN)
            return
        slug = self.scope["url_route"]["kwargs"]["slug"]
        self.course = await visible_course(self.user, slug)
        if self.course is None or not await may(self.user, "classroom.join", self.course):
            await self.close(code=NOT_ALLOWED)
            return
        self.group = self.course.live_group
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(await state_of(self.user, self.course))

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # Parsed here rather than by the parent class, so that bad input is answered with an
        # error message instead of an exception that would drop the connection.
        if text_data is None:
            await self.error("text_only", "Send JSON text messages.")
            return
        if len(text_data) > MAX_MESSAGE_CHARS:
            await self.error("too_large", f"A message has at most {MAX_MESSAGE_CHARS} characters.")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.error("malformed", "That is not valid JSON.")
            return
        if not isinstance(content, dict) or content.get("type") not in self.ACTIONS:
            await self.error("unknown_type", "Unknown message type.")
            return
        # Asked again on every message: the enrollment may have been dropped since connect.
        if not await may(self.user, "classroom.join", self.course):
            await self.error("not_allowed", "You are no longer a member of this course.")
            await self.close(code=NOT_ALLOWED)
            return
        try:
            await self.ACTIONS[content["type"]](self.user, self.course, content)
        except PermissionDenied:
            await self.error("not_allowed", "You may not do that in this course.")
        except DomainError as error:
            await self.error(error.code or "refused", str(error))

    async def error(self, code: str, detail: str) -> None:
        await self.send_json({"type": "error", "code": code, "detail": detail})

    async def live_event(self, event: dict[str, Any]) -> None:
        """An event a service sent to the course's group (shared/web/live.py)."""
        if event["kind"] == "member_left":
            # A dropped student's open tab stops receiving at once (enrollments/services.py).
            if event["user"] == self.user.pk:
                await self.error("not_allowed", "You are no longer a member of this course.")
                await self.close(code=NOT_ALLOWED)
            return
        message = {key: value for key, value in event.items() if key not in ("type", "kind")}
        await self.send_json({"type": event["kind"], **message})
