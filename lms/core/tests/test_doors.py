"""The project-wide pages: home and the favicon."""

import pytest

from courses.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_the_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("lms/favicon.svg")


def test_home_lists_the_newest_courses_in_constant_queries(client, assert_constant_queries):
    CourseFactory(title="Newest course")
    assert "Newest course" in client.get("/").text
    assert_constant_queries(lambda: client.get("/"), lambda: [CourseFactory() for _ in range(3)])


def test_what_a_signed_in_person_sees_is_never_cached(
    course, student, instructor, page_client_for, api_client_for
):
    """A student's learning, an instructor's gradebook, their API answers: no-store
    (shared.web.middleware.NoStoreForSignedInMiddleware), so a shared computer's Back
    button cannot bring them back for the next person. Public pages stay cacheable."""
    from enrollments.tests.factories import EnrollmentFactory

    EnrollmentFactory(course=course, student=student)
    answers = [
        page_client_for(student).get("/my/courses/"),
        page_client_for(student).get(f"/learn/{course.slug}/", follow=True),
        page_client_for(instructor).get(f"/teach/{course.slug}/gradebook/"),
        api_client_for(student).get("/api/v1/enrollments/"),
    ]
    for response in answers:
        assert response.status_code == 200, response
        assert "no-store" in response["Cache-Control"], response
    from django.test import Client

    assert "no-store" not in Client().get("/courses/").get("Cache-Control", "")
