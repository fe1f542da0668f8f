"""Who may open the quiz editor: a matrix of users by the editor's pages and buttons.

The editor answers 404 to everyone who does not teach the course (its students too, unlike
the quiz's own page), then the rules decide: ``courses.build_course`` is an instructor's,
so a teaching assistant, who grades the course, gets 403 as on the course builder.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from courses.tests.factories import CourseFactory, CourseStaffFactory
from quizzes.models import Question, Quiz

pytestmark = pytest.mark.django_db

USERS = [
    "anonymous",
    "outsider",
    "enrolled",
    "assistant",
    "instructor",
    "other_instructor",
    "admin",
]


@pytest.fixture
def users(student, other_student, assistant, instructor, platform_admin, enrolled, make_user):
    other_instructor = make_user(roles=["instructor"], email="rival@example.com")
    CourseStaffFactory(course=CourseFactory(), user=other_instructor)
    return {
        "anonymous": None,
        "outsider": other_student,
        "enrolled": student,
        "assistant": assistant,
        "instructor": instructor,
        "other_instructor": other_instructor,
        "admin": platform_admin,
    }


def status_of(client, user, method: str, url: str, data=None) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url) if method == "get" else client.post(url, data or {})
    return response.status_code


def editor_urls(quiz: Quiz) -> dict[str, str]:
    slug, question = quiz.course.slug, quiz.questions.first()
    return {
        "new quiz": reverse("quizzes:create", args=[slug]),
        "quiz editor": reverse("quizzes:edit", args=[slug, quiz.pk]),
        "new question": reverse("quizzes:question-create", args=[slug, quiz.pk]),
        "question": reverse("quizzes:question-edit", args=[slug, quiz.pk, question.pk]),
    }


# Expected GET status per user, in the order of USERS (302: to the login page).
EDITOR_PAGES = [302, 404, 404, 403, 200, 404, 200]


@pytest.mark.parametrize("page", ["new quiz", "quiz editor", "new question", "question"])
def test_editor_page_matrix(client, users, quiz, page):
    url = editor_urls(quiz)[page]
    got = [status_of(client, users[u], "get", url) for u in USERS]
    assert dict(zip(USERS, got, strict=True)) == dict(zip(USERS, EDITOR_PAGES, strict=True))
    if got[0] == 302:
        client.logout()
        assert client.get(url).url.startswith(reverse(settings.LOGIN_URL))


def test_only_the_courses_builders_change_anything(client, users, quiz):
    """Every button posts; no one but the instructor (and an admin) changes a row."""
    slug, question = quiz.course.slug, quiz.questions.first()
    posts = [
        reverse("quizzes:create", args=[slug]),
        reverse("quizzes:edit", args=[slug, quiz.pk]),
        reverse("quizzes:question-delete", args=[slug, quiz.pk, question.pk]),
        reverse("quizzes:question-move", args=[slug, quiz.pk, question.pk, "down"]),
    ]
    data = {"title": "Hijacked", "attempt_limit": 1, "time_limit_minutes": 1, "pass_mark": 1,
            "grading": "last"}  # fmt: skip
    for name in ["anonymous", "outsider", "enrolled", "assistant", "other_instructor"]:
        for url in posts:
            assert status_of(client, users[name], "post", url, data) in (302, 403, 404)
    assert Quiz.objects.get().title == "Basics quiz"
    assert Question.objects.filter(quiz=quiz).count() == 2
    assert quiz.questions.first() == question  # not moved


def test_another_courses_quiz_is_404_even_to_an_instructor(client, quiz, instructor, other_course):
    """The quiz is looked up inside the course of the URL: a quiz id of another course is 404."""
    client.force_login(instructor)
    other_quiz = Quiz.objects.create(course=other_course, title="Not yours")
    assert (
        client.get(reverse("quizzes:edit", args=[quiz.course.slug, other_quiz.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("quizzes:edit", args=[other_course.slug, other_quiz.pk])).status_code
        == 404
    )
