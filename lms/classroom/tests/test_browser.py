"""One live session in two real browsers: the instructor pushes a question, a student answers
in another browser context, and the instructor's tally moves without a reload.

The live server must speak WebSockets, which pytest-django's ``live_server`` (a WSGI server)
cannot. Channels' ChannelsLiveServerTestCase runs daphne in a forked process: a unittest
class, and its in-memory channel layer would live in that other process. Here uvicorn
serves config.asgi in a thread of the test process instead (``asgi_live_server``): a plain
pytest fixture, the same application as production's /ws/, one channel layer, and the test's
database (committed: ``transaction=True``).
"""

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from classroom.models import LiveAnswer, LiveSession
from config.asgi import application
from enrollments.seed import STUDENT_EMAIL
from shared.testing.browser import log_in, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSTRUCTOR = "instructor@lms.example"
COURSE = "python-for-beginners"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def asgi_live_server(monkeypatch) -> Iterator[str]:
    """uvicorn with config.asgi (static files too, as runserver would) in a thread; its URL."""
    # The server's threads close their database connection after each request and message
    # (as runserver does), instead of keeping it for CONN_MAX_AGE: a connection still open
    # at the end would stop pytest-django from dropping the test database.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    port = free_port()
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application), host="127.0.0.1", port=port, lifespan="off",
        log_level="warning",
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)
    # Start from no open session: the instructor opens one from the builder.
    LiveSession.objects.update(closed_at="2026-01-01T00:00:00Z")


def test_a_live_session_question_answer_and_tally_without_reload(seeded, browser, asgi_live_server):
    teacher_context = new_context(browser, asgi_live_server)
    student_context = new_context(browser, asgi_live_server)
    teacher, student = teacher_context.new_page(), student_context.new_page()
    errors: list[str] = []
    for page in (teacher, student):
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))

    # The instructor opens a session from the course builder and pushes a question.
    log_in(teacher, INSTRUCTOR, settings.DEMO_PASSWORD)
    teacher.goto(f"/teach/{COURSE}/")
    teacher.get_by_role("link", name="Live classroom").click()
    teacher.get_by_role("button", name="Open a live session").click()
    teacher.get_by_label("Question").fill("Which is a Python keyword?")
    teacher.get_by_label("Choices").fill("yield\nvar\nfunc")
    teacher.get_by_role("button", name="Push to the class").click()
    expect(teacher.locator("#live-classroom")).to_have_attribute("data-live", "connected")
    tally = teacher.locator(".live-tally").first
    expect(tally.locator('output[data-choice="0"]')).to_have_text("0")

    # The student finds the link on the lesson page, joins and answers over the socket.
    log_in(student, STUDENT_EMAIL, settings.DEMO_PASSWORD)
    student.goto(f"/learn/{COURSE}/")
    student.get_by_role("button", name="Join the live session").click()
    expect(student.get_by_role("heading", name="Which is a Python keyword?")).to_be_visible()
    expect(student.locator("#live-classroom")).to_have_attribute("data-live", "connected")
    student.get_by_role("button", name="yield").click()
    expect(student.locator('.live-tally output[data-choice="0"]')).to_have_text("1")

    # The instructor's page changed in place: same page, the count is 1.
    teacher.evaluate("window.notReloaded = true")
    expect(tally.locator('output[data-choice="0"]')).to_have_text("1")
    assert teacher.evaluate("window.notReloaded") is True
    assert LiveAnswer.objects.filter(question__prompt="Which is a Python keyword?").count() == 1
    assert errors == []
    teacher_context.close()
    student_context.close()
