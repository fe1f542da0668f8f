"""The demo's live session: the Python course has one open, with a question to answer.

``seed_demo()`` is idempotent: it opens a session only when the course has none open, and
pushes the question only into a session that has none. The demo courses and users must
exist first (courses.seed, shared.accounts.demo).
"""

from django.contrib.auth import get_user_model

from classroom import services
from classroom.models import LiveSession
from courses.models import Course

DEMO_COURSE = "python-for-beginners"
DEMO_QUESTION = {
    "prompt": "Which keyword starts a function in Python?",
    "choices": ["def", "function", "fn", "lambda"],
}


def seed_demo() -> None:
    instructor = get_user_model().objects.get(email="instructor@lms.example")
    course = Course.objects.get(slug=DEMO_COURSE)
    session = LiveSession.objects.open().filter(course=course).first()
    if session is None:
        session = services.open_session(by=instructor, course=course)
    if not session.questions.exists():
        services.push_question(by=instructor, session=session, **DEMO_QUESTION)
