"""Course models: sanitised Markdown, the visibility rule, the database's constraints."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError

from core.roles import PLATFORM_ADMIN
from courses.models import Course, render_markdown
from courses.tests.factories import CourseFactory, CourseStaffFactory
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_markdown_is_rendered_and_sanitised():
    html = render_markdown("**bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_visible_to_anonymous_is_the_published_catalogue():
    published = CourseFactory()
    CourseFactory(status=Course.Status.DRAFT)
    CourseFactory(status=Course.Status.ARCHIVED)
    assert list(Course.objects.visible_to(AnonymousUser())) == [published]


def test_staff_see_their_drafts_and_students_their_archived_courses(make_user):
    teacher, learner = make_user(), make_user()
    draft = CourseFactory(status=Course.Status.DRAFT)
    CourseStaffFactory(course=draft, user=teacher)
    archived = CourseFactory(status=Course.Status.ARCHIVED)
    EnrollmentFactory(course=archived, student=learner)
    CourseFactory(status=Course.Status.DRAFT)  # nobody's

    assert set(Course.objects.visible_to(teacher)) == {draft}
    assert set(Course.objects.visible_to(learner)) == {archived}
    assert Course.objects.visible_to(make_user(roles=[PLATFORM_ADMIN])).count() == 3


def test_visible_to_lists_a_course_once_however_many_staff(make_user):
    course = CourseFactory()
    CourseStaffFactory(course=course)
    CourseStaffFactory(course=course)
    assert Course.objects.visible_to(make_user()).count() == 1


def test_the_database_refuses_more_seats_than_capacity():
    course = CourseFactory(capacity=1)
    course.seats_taken = 2
    with pytest.raises(IntegrityError):
        course.save()


def test_a_course_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        CourseFactory(starts_on=datetime.date(2026, 5, 2), ends_on=datetime.date(2026, 5, 1))


def test_str_and_urls():
    course = CourseFactory(title="Maths", slug="maths")
    assert str(course) == "Maths"
    assert course.get_absolute_url() == "/courses/maths/"
