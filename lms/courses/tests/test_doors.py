"""Course pages and the courses API: the same rules through both doors."""

import pytest
from django.urls import reverse

from courses.models import Course
from courses.tests.factories import CourseFactory, TagFactory
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


# --- Pages -------------------------------------------------------------------------------
def test_home_and_catalogue_list_published_courses(client, course):
    CourseFactory(status=Course.Status.DRAFT, title="Secret draft")
    for url in ("/", reverse("courses:catalogue")):
        response = client.get(url)
        assert response.status_code == 200
        assert "Python basics" in response.text and "Secret draft" not in response.text


def test_catalogue_search_and_tag_filter(client, course, other_course):
    tag = TagFactory(name="Web", slug="web")
    other_course.tags.add(tag)
    assert "Other course" not in client.get("/courses/?q=python").text
    by_tag = client.get("/courses/?tag=web").text
    assert "Other course" in by_tag and "Python basics" not in by_tag
    assert client.get("/courses/?tag=unknown").status_code == 400


def test_catalogue_queries_do_not_grow_with_courses(client, course, assert_constant_queries):
    assert_constant_queries(
        lambda: client.get("/courses/"), lambda: [CourseFactory(lessons=1) for _ in range(5)]
    )


def test_course_page_shows_the_syllabus_and_enrol_button(client, course, student):
    anonymous = client.get(course.get_absolute_url())
    assert "Log in to enrol" in anonymous.text
    client.force_login(student)
    page = client.get(course.get_absolute_url())
    assert page.status_code == 200
    assert "Enrol" in page.text and course.modules.first().title in page.text


def test_course_page_of_an_enrolled_student_offers_to_continue(client, course, student):
    EnrollmentFactory(course=course, student=student)
    client.force_login(student)
    assert "Continue learning" in client.get(course.get_absolute_url()).text


def test_a_draft_is_404_for_outsiders_and_open_to_its_staff(client, instructor, student):
    draft = CourseFactory(status=Course.Status.DRAFT)
    draft.staff.create(user=instructor, role="instructor")
    client.force_login(student)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(instructor)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_builder_create_edit_publish(client, instructor):
    client.force_login(instructor)
    assert client.get(reverse("courses:create")).status_code == 200
    response = client.post(
        reverse("courses:create"), {"title": "Rust", "capacity": 10, "tag_names": "rust, systems"}
    )
    course = Course.objects.get(title="Rust")
    assert response.status_code == 302 and response.url == reverse(
        "courses:builder", args=[course.slug]
    )
    builder = client.get(response.url)
    assert builder.status_code == 200 and "Publish" in builder.text

    client.post(reverse("courses:module-create", args=[course.slug]), {"title": "Week 1"})
    module = course.modules.get()
    client.post(
        reverse("courses:lesson-create", args=[course.slug, module.pk]),
        {"title": "Hello", "kind": "text", "body": "# Hi"},
    )
    assert module.lessons.count() == 1
    published = client.post(reverse("courses:transition", args=[course.slug, "publish"]))
    assert published.status_code == 302
    course.refresh_from_db()
    assert course.status == "published"

    saved = client.post(
        reverse("courses:builder", args=[course.slug]),
        {"title": "Rust 101", "capacity": 12, "tag_names": "rust"},
    )
    assert saved.status_code == 302
    course.refresh_from_db()
    assert course.title == "Rust 101" and list(course.tags.values_list("slug", flat=True)) == [
        "rust"
    ]


def test_builder_refusals_answer_4xx_with_the_message(client, course, instructor):
    client.force_login(instructor)
    EnrollmentFactory(course=course)
    EnrollmentFactory(course=course)
    low = client.post(reverse("courses:builder", args=[course.slug]), {"title": "X", "capacity": 1})
    assert low.status_code == 400 and "hold a seat" in low.text
    again = client.post(reverse("courses:transition", args=[course.slug, "publish"]))
    assert again.status_code == 409
    video = client.post(
        reverse("courses:lesson-create", args=[course.slug, course.modules.first().pk]),
        {"title": "V", "kind": "video"},
    )
    assert video.status_code == 400 and "address" in video.text
    empty = client.post(reverse("courses:module-create", args=[course.slug]), {"title": ""})
    assert empty.status_code == 400
    bad = client.post(reverse("courses:announce", args=[course.slug]), {"title": "x"})
    assert bad.status_code == 400


def test_builder_reorders_and_announces(client, course, instructor, mailoutbox):
    client.force_login(instructor)
    module = course.modules.first()
    _, second, _ = module.lessons.all()
    client.post(reverse("courses:move", args=[course.slug, "lesson", second.pk, "up"]))
    assert module.lessons.first() == second
    client.post(reverse("courses:move", args=[course.slug, "module", module.pk, "down"]))
    assert (
        client.post(reverse("courses:move", args=[course.slug, "chapter", 1, "up"])).status_code
        == 404
    )
    response = client.post(
        reverse("courses:announce", args=[course.slug]), {"title": "Hi", "body": "Welcome"}
    )
    assert response.status_code == 302 and course.announcements.count() == 1


def test_teaching_lists_the_courses_taught(client, course, assistant, other_course):
    client.force_login(assistant)
    page = client.get(reverse("courses:teaching"))
    assert "Python basics" in page.text and "Other course" not in page.text


# --- API ---------------------------------------------------------------------------------
def test_api_lists_and_reads_courses_anonymously(api_client, course):
    listing = api_client.get("/api/v1/courses/")
    assert listing.status_code == 200
    assert [row["slug"] for row in listing.json()["results"]] == ["python-basics"]
    detail = api_client.get("/api/v1/courses/python-basics/").json()
    assert [len(m["lessons"]) for m in detail["modules"]] == [3]


def test_api_search_and_tag(api_client, course, other_course):
    other_course.tags.add(TagFactory(slug="web"))
    assert api_client.get("/api/v1/courses/?search=python").json()["count"] == 1
    assert [r["slug"] for r in api_client.get("/api/v1/courses/?tag=web").json()["results"]] == [
        "other-course"
    ]


def test_api_course_list_queries_are_constant(api_client, course, assert_constant_queries):
    assert_constant_queries(
        lambda: api_client.get("/api/v1/courses/"),
        lambda: [CourseFactory() for _ in range(4)],
    )


def test_api_builds_a_course(api_client_for, instructor, student):
    api = api_client_for(instructor)
    created = api.post("/api/v1/courses/", {"title": "API course", "tags": ["x"]}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    slug = created.json()["slug"]
    assert api.post(f"/api/v1/courses/{slug}/transition/", {"action": "publish"}).status_code == 409
    module = api.post(f"/api/v1/courses/{slug}/modules/", {"title": "M1"}).json()
    api.post(f"/api/v1/courses/{slug}/modules/", {"title": "M2"})
    course = Course.objects.get(slug=slug)
    order = list(reversed(list(course.modules.values_list("pk", flat=True))))
    reordered = api.post(f"/api/v1/courses/{slug}/modules/reorder/", {"order": order})
    assert [m["id"] for m in reordered.json()] == order and module["id"] == order[-1]
    refused = api.post(f"/api/v1/courses/{slug}/modules/reorder/", {"order": [1]})
    assert refused.status_code == 400 and refused.json()["errors"][0]["attr"] == "order"
    assert api_client_for(student).post("/api/v1/courses/", {"title": "No"}).status_code == 403


def test_api_bad_input_is_a_400(api_client_for, instructor):
    response = api_client_for(instructor).post("/api/v1/courses/", {"capacity": "many"})
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"title", "capacity"}


def test_api_search_with_a_nul_character_is_a_400_on_the_parameter(api_client, course):
    response = api_client.get("/api/v1/courses/?search=a%00b")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "search"
