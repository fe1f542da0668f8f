"""The live classroom's WebSocket, driven by Channels' WebsocketCommunicator.

Each test is a plain function that runs one async scenario (``run``): the repository has no
pytest-asyncio, and a scenario reads top to bottom like the browser's conversation. The
database is really committed (``transaction=True``), because the consumer reads it from
another thread and the services tell the sockets only after a commit.
"""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from classroom import services
from classroom.consumers import MAX_MESSAGE_CHARS, NOT_ALLOWED, NOT_SIGNED_IN
from classroom.models import LiveAnswer
from config.asgi import application
from courses import services as course_services
from courses.models import CourseStaff
from courses.tests.factories import CourseStaffFactory
from enrollments import services as enrollment_services
from enrollments.models import Enrollment
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A new channel layer per test: the in-memory one keeps queues of its event loop."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def run(scenario):
    async_to_sync(scenario)()


def cookie_of(user) -> str:
    """The session cookie a browser signed in as ``user`` would send."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def socket(course, cookie: str | None = None, origin: str = "http://testserver"):
    headers = [(b"origin", origin.encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/courses/{course.slug}/live/", headers=headers)


async def joined(course, cookie):
    """A connected socket, past its first "state" message."""
    communicator = socket(course, cookie)
    connected, code = await communicator.connect()
    assert connected, f"refused with {code}"
    state = await communicator.receive_json_from(timeout=3)
    assert state["type"] == "state"
    return communicator


# --- Who may join ------------------------------------------------------------------------


def test_students_and_staff_of_the_course_join_and_get_the_state(
    course, enrolled, student, instructor, assistant, platform_admin
):
    session = services.open_session(by=instructor, course=course)
    question = services.push_question(
        by=instructor, session=session, prompt="Q", choices=["a", "b"]
    )
    cookies = {
        user.email: cookie_of(user) for user in (student, instructor, assistant, platform_admin)
    }

    async def scenario():
        for email, cookie in cookies.items():
            communicator = socket(course, cookie)
            connected, _ = await communicator.connect()
            assert connected, email
            state = await communicator.receive_json_from(timeout=3)
            assert state["session"] == session.pk
            assert state["question"]["id"] == question.pk
            assert state["question"]["tally"] == [0, 0]
            assert state["may_answer"] is (email == student.email)
            assert state["may_run"] is (email in (instructor.email, platform_admin.email))
            await communicator.disconnect()

    run(scenario)


def test_anonymous_is_refused_with_4401(course):
    async def scenario():
        connected, code = await socket(course).connect()
        assert (connected, code) == (False, NOT_SIGNED_IN)

    run(scenario)


def test_outsiders_are_refused_with_4403(course, other_course, student, other_student, assistant):
    EnrollmentFactory(course=course, student=student, status=Enrollment.Status.DROPPED)
    EnrollmentFactory(course=other_course, student=other_student)
    refused = [
        (course, cookie_of(other_student)),  # a student of another course
        (course, cookie_of(student)),  # a dropped student
        (other_course, cookie_of(assistant)),  # a teaching assistant of another course
    ]

    async def scenario():
        for target, cookie in refused:
            connected, code = await socket(target, cookie).connect()
            assert (connected, code) == (False, NOT_ALLOWED)

    run(scenario)


def test_a_draft_course_refuses_its_students_like_an_unknown_one(course, student, enrolled):
    course.status = course.Status.DRAFT
    course.save()
    cookie = cookie_of(student)

    async def scenario():
        connected, code = await socket(course, cookie).connect()
        assert (connected, code) == (False, NOT_ALLOWED)

    run(scenario)


def test_a_page_of_another_site_cannot_open_the_socket(course, student, enrolled):
    cookie = cookie_of(student)

    async def scenario():
        connected, _ = await socket(course, cookie, origin="https://evil.example").connect()
        assert not connected

    run(scenario)


# --- The live conversation ---------------------------------------------------------------


def test_push_answer_and_tally_reach_every_connected_member(
    course, enrolled, student, other_student, instructor
):
    EnrollmentFactory(course=course, student=other_student)
    services.open_session(by=instructor, course=course)
    teacher, asha, ben = cookie_of(instructor), cookie_of(student), cookie_of(other_student)

    async def scenario():
        sockets = [await joined(course, cookie) for cookie in (teacher, asha, ben)]
        console, first, second = sockets
        await console.send_json_to(
            {"type": "push", "prompt": "Best language?", "choices": ["Python", "JS"]}
        )
        pushed = [await s.receive_json_from(timeout=3) for s in sockets]
        assert {m["type"] for m in pushed} == {"question"}
        question = pushed[0]["question"]
        assert question["prompt"] == "Best language?" and question["tally"] == [0, 0]

        await first.send_json_to({"type": "answer", "question": question["id"], "choice": 0})
        for s in sockets:
            assert await s.receive_json_from(timeout=3) == {
                "type": "tally",
                "question": question["id"],
                "tally": [1, 0],
            }
        await second.send_json_to({"type": "answer", "question": question["id"], "choice": 1})
        for s in sockets:
            assert (await s.receive_json_from(timeout=3))["tally"] == [1, 1]

        # A second answer is refused to the one who sent it; nobody else hears of it.
        await first.send_json_to({"type": "answer", "question": question["id"], "choice": 1})
        refused = await first.receive_json_from(timeout=3)
        assert refused["type"] == "error" and refused["code"] == "already_answered"
        assert await console.receive_nothing(timeout=0.2)

        await console.send_json_to({"type": "close"})
        for s in sockets:
            assert (await s.receive_json_from(timeout=3))["type"] == "session_closed"
        for s in sockets:
            await s.disconnect()

    run(scenario)
    assert LiveAnswer.objects.filter(student=student).count() == 1


def test_students_and_assistants_cannot_run_the_session(
    course, enrolled, student, assistant, instructor
):
    services.open_session(by=instructor, course=course)
    cookies = [cookie_of(student), cookie_of(assistant)]

    async def scenario():
        for cookie in cookies:
            communicator = await joined(course, cookie)
            for message in (
                {"type": "push", "prompt": "Q", "choices": ["a", "b"]},
                {"type": "close"},
            ):
                await communicator.send_json_to(message)
                reply = await communicator.receive_json_from(timeout=3)
                assert (reply["type"], reply["code"]) == ("error", "not_allowed")
            await communicator.disconnect()

    run(scenario)
    assert not services.LiveQuestion.objects.exists()


def test_every_message_is_checked_again_a_student_dropped_mid_session_cannot_answer(
    course, enrolled, student, instructor
):
    session = services.open_session(by=instructor, course=course)
    question = services.push_question(
        by=instructor, session=session, prompt="Q", choices=["a", "b"]
    )
    cookie = cookie_of(student)

    @database_sync_to_async
    def drop_behind_the_sockets_back():
        # An admin's edit: no event reaches the socket, only the next message's check.
        Enrollment.objects.filter(pk=enrolled.pk).update(status=Enrollment.Status.DROPPED)

    async def scenario():
        communicator = await joined(course, cookie)
        await drop_behind_the_sockets_back()
        await communicator.send_json_to({"type": "answer", "question": question.pk, "choice": 0})
        reply = await communicator.receive_json_from(timeout=3)
        assert (reply["type"], reply["code"]) == ("error", "not_allowed")
        closing = await communicator.receive_output(timeout=3)
        assert closing == {"type": "websocket.close", "code": NOT_ALLOWED}

    run(scenario)
    assert not LiveAnswer.objects.exists()


def test_dropping_the_course_closes_the_students_open_socket(course, enrolled, student, instructor):
    services.open_session(by=instructor, course=course)
    cookie, console_cookie = cookie_of(student), cookie_of(instructor)

    async def scenario():
        console = await joined(course, console_cookie)
        communicator = await joined(course, cookie)
        await database_sync_to_async(enrollment_services.drop)(by=student, enrollment=enrolled)
        reply = await communicator.receive_json_from(timeout=3)
        assert (reply["type"], reply["code"]) == ("error", "not_allowed")
        assert await communicator.receive_output(timeout=3) == {
            "type": "websocket.close",
            "code": NOT_ALLOWED,
        }
        # The instructor's socket stays open and hears nothing about it.
        assert await console.receive_nothing(timeout=0.2)
        await console.disconnect()

    run(scenario)


def test_an_announcement_arrives_live_to_connected_students(course, enrolled, student, instructor):
    cookie = cookie_of(student)

    async def scenario():
        communicator = await joined(course, cookie)
        await database_sync_to_async(course_services.post_announcement)(
            by=instructor, course=course, title="Room change", body="We meet in B12."
        )
        assert await communicator.receive_json_from(timeout=3) == {
            "type": "announcement",
            "title": "Room change",
            "body": "We meet in B12.",
        }
        await communicator.disconnect()

    run(scenario)


def test_another_courses_events_do_not_reach_this_course(
    course, other_course, enrolled, student, make_user
):
    other_teacher = make_user(email="other-teacher@example.com")
    CourseStaffFactory(course=other_course, user=other_teacher, role=CourseStaff.Role.INSTRUCTOR)
    cookie = cookie_of(student)

    async def scenario():
        communicator = await joined(course, cookie)
        await database_sync_to_async(course_services.post_announcement)(
            by=other_teacher, course=other_course, title="Elsewhere", body="Not for you."
        )
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()

    run(scenario)


# --- Bad input: an error message, never a crash ------------------------------------------


def test_bad_messages_get_an_error_and_the_socket_stays_open(course, enrolled, student, instructor):
    session = services.open_session(by=instructor, course=course)
    question = services.push_question(
        by=instructor, session=session, prompt="Q", choices=["a", "b"]
    )
    cookie = cookie_of(student)
    deep = "[" * 2000 + "]" * 2000  # under the size limit, deeper than json.loads can go
    bad = [
        ("{not json", "malformed"),
        (deep, "malformed"),
        ("[1, 2]", "unknown_type"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"no": "type"}', "unknown_type"),
        ("x" * (MAX_MESSAGE_CHARS + 1), "too_large"),
        (json.dumps({"type": "answer", "question": "1", "choice": 0}), "not_found"),
        (json.dumps({"type": "answer", "question": 999999, "choice": 0}), "not_found"),
        (json.dumps({"type": "answer", "question": question.pk, "choice": 7}), "invalid"),
        (json.dumps({"type": "answer", "question": question.pk, "choice": [0]}), "invalid"),
    ]

    async def scenario():
        communicator = await joined(course, cookie)
        for text, code in bad:
            await communicator.send_to(text_data=text)
            reply = await communicator.receive_json_from(timeout=3)
            assert (reply["type"], reply["code"]) == ("error", code), text[:40]
        await communicator.send_to(bytes_data=b"\x00\x01")
        assert (await communicator.receive_json_from(timeout=3))["code"] == "text_only"
        # Still connected: a good answer goes through.
        await communicator.send_json_to({"type": "answer", "question": question.pk, "choice": 1})
        assert (await communicator.receive_json_from(timeout=3))["tally"] == [0, 1]
        await communicator.disconnect()

    run(scenario)


def test_a_push_without_an_open_session_or_with_bad_choices_is_refused(course, instructor):
    cookie = cookie_of(instructor)

    async def scenario():
        console = await joined(course, cookie)
        await console.send_json_to({"type": "push", "prompt": "Q", "choices": ["a", "b"]})
        assert (await console.receive_json_from(timeout=3))["code"] == "no_session"
        await console.send_json_to({"type": "close"})
        assert (await console.receive_json_from(timeout=3))["code"] == "no_session"
        await database_sync_to_async(services.open_session)(by=instructor, course=course)
        assert (await console.receive_json_from(timeout=3))["type"] == "session_opened"
        await console.send_json_to({"type": "push", "prompt": "Q", "choices": "a,b"})
        assert (await console.receive_json_from(timeout=3))["code"] == "invalid"
        await console.send_json_to({"type": "push", "prompt": "Q", "choices": ["only"]})
        assert (await console.receive_json_from(timeout=3))["code"] == "choice_count"
        await console.disconnect()

    run(scenario)
