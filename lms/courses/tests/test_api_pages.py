"""The courses API's pages: page numbers as clients get them today, and the cursor walk.

The first test pins page 1 exactly (keys, values, order, count/next/previous), so that any
change to the pagination is proven not to alter what an existing client receives.
"""

import datetime

import pytest

from courses.models import Course
from courses.tests.factories import CourseFactory, TagFactory

COURSES = "/api/v1/courses/"


@pytest.fixture
def three_courses(db):
    python = TagFactory(slug="python", name="Python")
    courses = [
        CourseFactory(title=title, slug=slug, capacity=25)
        for title, slug in [("Django", "django"), ("Algebra", "algebra"), ("Celery", "celery")]
    ]
    courses[0].tags.add(python)
    CourseFactory(title="A draft", status=Course.Status.DRAFT)  # a visitor never sees it
    Course.objects.filter(slug="algebra").update(starts_on=datetime.date(2026, 1, 12))
    return courses


def test_page_one_is_what_clients_get_today(api_client, three_courses):
    _, algebra, celery = three_courses
    response = api_client.get(COURSES, {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 3
    assert body["next"] == "http://testserver/api/v1/courses/?page=2&page_size=2"
    assert body["previous"] is None
    common = {"summary": "A course.", "status": "published", "capacity": 25, "seats_left": 25}
    assert body["results"] == [
        {"id": algebra.pk, "slug": "algebra", "title": "Algebra", **common,
         "starts_on": "2026-01-12", "ends_on": None, "tags": []},
        {"id": celery.pk, "slug": "celery", "title": "Celery", **common,
         "starts_on": None, "ends_on": None, "tags": []},
    ]  # fmt: skip
    assert list(body["results"][0]) == [
        "id", "slug", "title", "summary", "status", "capacity", "seats_left",
        "starts_on", "ends_on", "tags",
    ]  # fmt: skip


def test_page_two_links_back_to_page_one(api_client, three_courses):
    django = three_courses[0]
    body = api_client.get(COURSES, {"page_size": 2, "page": 2}).json()
    assert [(c["id"], c["title"], c["tags"]) for c in body["results"]] == [
        (django.pk, "Django", ["python"])
    ]
    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/v1/courses/?page_size=2"
