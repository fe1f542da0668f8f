"""Exercise "bookmarks" (lms/EXERCISES.md): a signed-in user keeps courses to look at later.

These tests fail until the exercise is done. The new field and service functions are looked
up inside each test, so this file loads before they exist.
"""

import pytest
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from courses import services
from courses.models import Course
from courses.tests.factories import CourseFactory

pytestmark = [pytest.mark.exercise("bookmarks"), pytest.mark.django_db]
COURSES_API = "/api/v1/courses/"


def bookmarks_of(user) -> list[str]:
    return sorted(user.bookmarked_courses.values_list("slug", flat=True))


def page_url(name: str, course: Course) -> str:
    try:
        return reverse(f"courses:{name}", args=[course.slug])
    except NoReverseMatch:
        pytest.fail(f"no URL named courses:{name} yet (courses/urls.py)")


# --- The service --------------------------------------------------------------------------


def test_bookmarking_twice_keeps_one_row(student, course):
    services.bookmark(by=student, course=course)
    services.bookmark(by=student, course=course)
    assert bookmarks_of(student) == ["python-basics"]
    assert list(course.bookmarked_by.all()) == [student]


def test_removing_a_bookmark_that_is_not_there_is_no_error(student, course, other_course):
    services.bookmark(by=student, course=course)
    services.unbookmark(by=student, course=other_course)
    services.unbookmark(by=student, course=course)
    assert bookmarks_of(student) == []


def test_a_draft_the_user_cannot_see_is_404(student):
    draft = CourseFactory(status=Course.Status.DRAFT)
    with pytest.raises(Http404):
        services.bookmark(by=student, course=draft)
    assert bookmarks_of(student) == []


# --- The page door ------------------------------------------------------------------------


def test_the_course_page_button_bookmarks_and_unbookmarks(client, student, course):
    client.force_login(student)
    added = client.post(page_url("bookmark", course))
    assert added.status_code == 302 and added.url == course.get_absolute_url()
    assert bookmarks_of(student) == ["python-basics"]
    client.post(page_url("unbookmark", course))
    assert bookmarks_of(student) == []


def test_a_visitor_is_sent_to_log_in(client, course):
    response = client.post(page_url("bookmark", course))
    assert response.status_code == 302 and "login" in response.url
    assert course.bookmarked_by.count() == 0


# --- The API door -------------------------------------------------------------------------


def test_the_api_bookmarks_and_lists_only_my_bookmarks(
    api_client_for, student, other_student, course, other_course
):
    api = api_client_for(student)
    assert api.post(f"{COURSES_API}{course.slug}/bookmark/").status_code == 204
    services.bookmark(by=other_student, course=other_course)
    mine = api.get(COURSES_API, {"bookmarked": "1"})
    assert mine.status_code == 200
    assert [row["slug"] for row in mine.json()["results"]] == ["python-basics"]
    assert api.delete(f"{COURSES_API}{course.slug}/bookmark/").status_code == 204
    assert bookmarks_of(student) == []
