"""Enrolling, dropping and learning through the pages and the API: the same rules, both doors."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from courses.tests.factories import CourseFactory, LessonFactory
from enrollments.models import Enrollment, LessonProgress
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


# --- Pages -------------------------------------------------------------------------------
def test_enrol_page_then_learn_and_complete(client, course, student):
    client.force_login(student)
    response = client.post(reverse("enrollments:enrol", args=[course.slug]), follow=True)
    assert "You are enrolled" in response.text
    learn = client.get(reverse("enrollments:learn", args=[course.slug]))
    first = course.modules.first().lessons.first()
    assert learn.url == reverse("enrollments:lesson", args=[course.slug, first.pk])
    page = client.get(learn.url)
    assert page.status_code == 200 and "Mark complete" in page.text and 'rel="next"' in page.text
    done = client.post(reverse("enrollments:complete", args=[course.slug, first.pk]), follow=True)
    assert "1 of 3 lessons (33%)" in done.text
    assert LessonProgress.objects.count() == 1


def test_the_last_lesson_says_the_course_is_complete(client, student):
    course = CourseFactory(lessons=1)
    EnrollmentFactory(course=course, student=student)
    client.force_login(student)
    lesson = course.modules.first().lessons.first()
    response = client.post(
        reverse("enrollments:complete", args=[course.slug, lesson.pk]), follow=True
    )
    assert "Course complete" in response.text


def test_a_full_course_puts_the_page_user_on_the_waitlist(client, student):
    course = CourseFactory(capacity=0)
    client.force_login(student)
    response = client.post(reverse("enrollments:enrol", args=[course.slug]), follow=True)
    assert "number 1 on the waitlist" in response.text
    again = client.post(reverse("enrollments:enrol", args=[course.slug]))
    assert again.status_code == 409 and "already on the waitlist" in again.text


def test_drop_page(client, course, student):
    enrollment = EnrollmentFactory(course=course, student=student)
    client.force_login(student)
    response = client.post(reverse("enrollments:drop", args=[enrollment.pk]), follow=True)
    assert "You have left" in response.text
    assert client.post(reverse("enrollments:drop", args=[enrollment.pk])).status_code == 409


def test_my_learning_shows_progress(client, course, student, assert_constant_queries):
    EnrollmentFactory(course=course, student=student)
    client.force_login(student)
    page = client.get(reverse("enrollments:mine"))
    assert "Python basics" in page.text and "0/3" in page.text
    assert_constant_queries(
        lambda: client.get(reverse("enrollments:mine")),
        lambda: [
            EnrollmentFactory(course=CourseFactory(lessons=2), student=student) for _ in range(3)
        ],
    )


def test_learn_without_lessons_goes_back_to_the_course(client, student):
    course = CourseFactory()
    EnrollmentFactory(course=course, student=student)
    client.force_login(student)
    assert (
        client.get(reverse("enrollments:learn", args=[course.slug])).url
        == course.get_absolute_url()
    )


def test_staff_preview_lessons_without_progress(client, course, assistant):
    client.force_login(assistant)
    lesson = course.modules.first().lessons.last()
    page = client.get(reverse("enrollments:lesson", args=[course.slug, lesson.pk]))
    assert (
        page.status_code == 200 and "Mark complete" not in page.text and 'rel="prev"' in page.text
    )


def test_a_lesson_of_another_course_is_404(client, course, other_course, student):
    EnrollmentFactory(course=course, student=student)
    client.force_login(student)
    stranger = other_course.modules.first().lessons.first()
    assert (
        client.get(reverse("enrollments:lesson", args=[course.slug, stranger.pk])).status_code
        == 404
    )


def test_lesson_files_reach_only_the_course(
    client, course, student, other_student, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    lesson = LessonFactory(module=course.modules.first(), kind="file", attachment_name="slides.pdf")
    lesson.attachment.save("x.pdf", ContentFile(b"%PDF-1.4 demo"))
    url = reverse("enrollments:lesson-file", args=[lesson.pk])
    EnrollmentFactory(course=course, student=student)
    client.force_login(student)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="slides.pdf"')
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    client.force_login(other_student)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(student)
    assert client.get(reverse("enrollments:lesson-file", args=[999999])).status_code == 404
    assert client.get("/media/" + lesson.attachment.name).status_code == 404  # no public URL


def test_in_production_nginx_sends_the_file(client, course, student, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LMS_FILE_DELIVERY = "nginx"
    lesson = LessonFactory(module=course.modules.first(), kind="file", attachment_name="a b.pdf")
    lesson.attachment.save("x.pdf", ContentFile(b"%PDF-1.4"))
    EnrollmentFactory(course=course, student=student)
    client.force_login(student)
    response = client.get(reverse("enrollments:lesson-file", args=[lesson.pk]))
    assert response["X-Accel-Redirect"] == "/protected-media/" + lesson.attachment.name
    assert response.content == b""


def test_a_missing_file_is_404(client, course, student, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lesson = LessonFactory(module=course.modules.first(), kind="file")
    lesson.attachment.name = "lessons/gone.pdf"
    lesson.save()
    EnrollmentFactory(course=course, student=student)
    client.force_login(student)
    assert client.get(reverse("enrollments:lesson-file", args=[lesson.pk])).status_code == 404


# --- API ---------------------------------------------------------------------------------
def test_api_enrol_list_progress_and_drop(api_client_for, course, student):
    api = api_client_for(student)
    created = api.post("/api/v1/enrollments/", {"course": course.slug})
    assert created.status_code == 201 and created.json()["status"] == "active"
    pk = created.json()["id"]
    lesson = course.modules.first().lessons.first()
    done = api.post(f"/api/v1/lessons/{lesson.pk}/complete/")
    assert done.json() == {"done": 1, "total": 3, "percent": 33}
    assert api.get(f"/api/v1/enrollments/{pk}/progress/").json()["percent"] == 33
    listing = api.get("/api/v1/enrollments/").json()["results"]
    assert [(r["course"], r["lessons_done"], r["lessons_total"]) for r in listing] == [
        (course.slug, 1, 3)
    ]
    assert api.post(f"/api/v1/enrollments/{pk}/drop/").json()["status"] == "dropped"
    again = api.post(f"/api/v1/enrollments/{pk}/drop/")
    assert again.status_code == 409 and again.json()["type"] == "client_error"


def test_api_waitlist_and_conflicts(api_client_for, student):
    course = CourseFactory(capacity=0)
    api = api_client_for(student)
    assert (
        api.post("/api/v1/enrollments/", {"course": course.slug}).json()["waitlist_position"] == 1
    )
    conflict = api.post("/api/v1/enrollments/", {"course": course.slug})
    assert conflict.status_code == 409
    assert conflict.json()["errors"][0]["code"] == "already_enrolled"
    assert api.post("/api/v1/enrollments/", {}).status_code == 400
    assert api.post("/api/v1/enrollments/", {"course": "nope"}).status_code == 404


def test_api_mark_complete_outside_the_course_is_404(api_client_for, course, student):
    lesson = course.modules.first().lessons.first()
    assert api_client_for(student).post(f"/api/v1/lessons/{lesson.pk}/complete/").status_code == 404


def test_api_staff_see_their_course_enrollments(api_client_for, course, assistant, other_course):
    EnrollmentFactory(course=course)
    EnrollmentFactory(course=other_course)
    rows = api_client_for(assistant).get("/api/v1/enrollments/").json()["results"]
    assert [r["course"] for r in rows] == [course.slug]
    assert Enrollment.objects.count() == 2
