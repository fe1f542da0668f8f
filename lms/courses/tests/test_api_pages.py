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


def test_the_cursor_walk_gives_every_visible_course_once_by_title(api_client, db):
    # Same titles on purpose: the walk breaks the tie on the primary key.
    made = [CourseFactory(title=title) for title in ["Django", "Algebra", "Django", "Celery"]]
    CourseFactory(title="B draft", status=Course.Status.DRAFT)
    seen, url = [], f"{COURSES}?cursor=&page_size=1"
    while url:
        body = api_client.get(url).json()
        assert "count" not in body
        seen += [course["id"] for course in body["results"]]
        url = body["next"]
    assert seen == [c.pk for c in sorted(made, key=lambda c: (c.title, c.pk))]


def test_a_cursor_refuses_a_sort_on_an_empty_start_date(api_client, three_courses):
    # Some courses have no start date, and SQL compares nothing with NULL: a 400, not a walk
    # that silently leaves those courses out.
    response = api_client.get(COURSES, {"cursor": "", "ordering": "starts_on"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "ordering"
