"""Who may open what, as a matrix of users by pages and endpoints, through both doors.

Outside ``visible_to`` the answer is 404 (never 403, which would confirm the row exists);
a user who may see a course but not build it gets 403 from the builder.
"""

import pytest
from django.urls import reverse

from courses.models import Course
from courses.tests.factories import CourseFactory, CourseStaffFactory
from enrollments.tests.factories import EnrollmentFactory

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
def world(course, student, other_student, assistant, instructor, platform_admin, make_user):
    """One published course with an enrolled student, its draft sibling, and the users."""
    other_instructor = make_user(roles=["instructor"], email="rival@example.com")
    CourseStaffFactory(course=CourseFactory(), user=other_instructor)
    draft = CourseFactory(status=Course.Status.DRAFT, slug="draft", lessons=1)
    CourseStaffFactory(course=draft, user=instructor)
    enrollment = EnrollmentFactory(course=course, student=student)
    users = {
        "anonymous": None,
        "outsider": other_student,
        "enrolled": student,
        "assistant": assistant,
        "instructor": instructor,
        "other_instructor": other_instructor,
        "admin": platform_admin,
    }
    return {"course": course, "draft": draft, "enrollment": enrollment, "users": users}


def page_status(client, user, url) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def api_status(api_client_for, api_client, user, url) -> int:
    client = api_client if user is None else api_client_for(user)
    return client.get(url).status_code


# Expected status per user, in the order of USERS.
PAGE_MATRIX = {
    "course page": ("courses:detail", "course", [200, 200, 200, 200, 200, 200, 200]),
    "draft page": ("courses:detail", "draft", [404, 404, 404, 404, 200, 404, 200]),
    "builder": ("courses:builder", "course", [302, 403, 403, 403, 200, 403, 200]),
    "draft builder": ("courses:builder", "draft", [302, 404, 404, 404, 200, 404, 200]),
    "learn": ("enrollments:learn", "course", [302, 404, 302, 302, 302, 404, 302]),
}


@pytest.mark.parametrize("name", PAGE_MATRIX)
def test_page_matrix(client, world, name):
    route, which, expected = PAGE_MATRIX[name]
    url = reverse(route, args=[world[which].slug])
    got = [page_status(client, world["users"][u], url) for u in USERS]
    assert dict(zip(USERS, got, strict=True)) == dict(zip(USERS, expected, strict=True))


def test_lesson_page_matrix(client, world):
    course = world["course"]
    lesson = course.modules.first().lessons.first()
    url = reverse("enrollments:lesson", args=[course.slug, lesson.pk])
    got = [page_status(client, world["users"][u], url) for u in USERS]
    assert got == [302, 404, 200, 200, 200, 404, 200]


API_MATRIX = {
    "course": ("/api/v1/courses/{course}/", [200, 200, 200, 200, 200, 200, 200]),
    "draft": ("/api/v1/courses/{draft}/", [404, 404, 404, 404, 200, 404, 200]),
    "enrollment": ("/api/v1/enrollments/{enrollment}/", [401, 404, 200, 200, 200, 404, 200]),
}


@pytest.mark.parametrize("name", API_MATRIX)
def test_api_matrix(api_client, api_client_for, world, name):
    template, expected = API_MATRIX[name]
    url = template.format(
        course=world["course"].slug, draft=world["draft"].slug, enrollment=world["enrollment"].pk
    )
    got = [api_status(api_client_for, api_client, world["users"][u], url) for u in USERS]
    assert dict(zip(USERS, got, strict=True)) == dict(zip(USERS, expected, strict=True))


def test_only_course_builders_may_publish_through_the_api(api_client_for, world):
    draft = world["draft"]
    url = f"/api/v1/courses/{draft.slug}/transition/"
    users = world["users"]
    assert api_client_for(users["outsider"]).post(url, {"action": "publish"}).status_code == 404
    course_url = f"/api/v1/courses/{world['course'].slug}/transition/"
    assert (
        api_client_for(users["assistant"]).post(course_url, {"action": "archive"}).status_code
        == 403
    )
    assert api_client_for(users["instructor"]).post(url, {"action": "publish"}).status_code == 200
