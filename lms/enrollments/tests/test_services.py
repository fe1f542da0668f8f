"""Enrolling, the waitlist, dropping, promotion and progress, through the services."""

import pytest
from django.http import Http404

from courses.models import Course
from courses.tests.factories import CourseFactory, LessonFactory
from enrollments import services
from enrollments.models import Enrollment, LessonProgress
from enrollments.tests.factories import EnrollmentFactory
from shared.errors import Conflict
from shared.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_enrol_takes_a_seat(course, student):
    enrollment = services.enroll(by=student, course=course)
    assert enrollment.status == Enrollment.Status.ACTIVE and enrollment.enrolled_at
    course.refresh_from_db()
    assert course.seats_taken == 1


def test_a_full_course_queues_students_in_order(student, other_student):
    course = CourseFactory(capacity=1)
    EnrollmentFactory(course=course)
    first = services.enroll(by=student, course=course)
    second = services.enroll(by=other_student, course=course)
    assert (first.status, first.waitlist_position) == ("waitlisted", 1)
    assert (second.status, second.waitlist_position) == ("waitlisted", 2)


def test_enrolling_twice_or_in_a_closed_course_is_a_conflict(course, student):
    services.enroll(by=student, course=course)
    with pytest.raises(Conflict, match="already enrolled"):
        services.enroll(by=student, course=course)
    draft = CourseFactory(status=Course.Status.DRAFT)
    with pytest.raises(Conflict) as error:
        services.enroll(by=student, course=draft)
    assert error.value.code == "course_closed"


def test_the_conflict_names_the_waitlist_or_the_completion(student):
    full = CourseFactory(capacity=0)
    services.enroll(by=student, course=full)
    with pytest.raises(Conflict, match="waitlist"):
        services.enroll(by=student, course=full)
    done = CourseFactory()
    EnrollmentFactory(course=done, student=student, status="completed")
    with pytest.raises(Conflict, match="completed"):
        services.enroll(by=student, course=done)


def test_dropping_promotes_the_first_waiting_once(
    student, other_student, mailoutbox, django_capture_on_commit_callbacks
):
    course = CourseFactory(capacity=1)
    seated = services.enroll(by=UserFactory(), course=course)
    first = services.enroll(by=student, course=course)
    second = services.enroll(by=other_student, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        services.drop(by=seated.student, enrollment=seated)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.waitlist_position) == ("active", None)
    assert (second.status, second.waitlist_position) == ("waitlisted", 2)
    course.refresh_from_db()
    assert course.seats_taken == 1
    assert [m.to for m in mailoutbox] == [[student.email]]
    assert "A seat is yours" in mailoutbox[0].subject


def test_leaving_the_waitlist_frees_no_seat(student, other_student):
    course = CourseFactory(capacity=1)
    EnrollmentFactory(course=course)
    waiting = services.enroll(by=student, course=course)
    services.enroll(by=other_student, course=course)
    services.drop(by=student, enrollment=waiting)
    assert Enrollment.objects.filter(course=course, status="active").count() == 1
    with pytest.raises(Conflict):
        services.drop(by=student, enrollment=waiting)


def test_only_the_student_drops_and_a_completion_stays(course, student, other_student):
    enrollment = services.enroll(by=student, course=course)
    with pytest.raises(Http404):
        services.drop(by=other_student, enrollment=enrollment)
    Enrollment.objects.filter(pk=enrollment.pk).update(status="completed")
    with pytest.raises(Conflict):
        services.drop(by=student, enrollment=enrollment)


def test_coming_back_after_a_drop_reuses_the_enrollment(course, student):
    enrollment = services.enroll(by=student, course=course)
    services.drop(by=student, enrollment=enrollment)
    again = services.enroll(by=student, course=course)
    assert again.pk == enrollment.pk and again.status == "active"


def test_mark_complete_is_idempotent_and_counts(course, student):
    services.enroll(by=student, course=course)
    lesson = course.modules.first().lessons.first()
    assert services.mark_complete(by=student, lesson=lesson).percent == 33
    assert services.mark_complete(by=student, lesson=lesson).percent == 33
    assert LessonProgress.objects.count() == 1


def test_mark_complete_needs_a_seat(course, student):
    with pytest.raises(Http404):
        services.mark_complete(by=student, lesson=course.modules.first().lessons.first())


def test_the_last_lesson_completes_and_issues_one_certificate(
    course, student, mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = services.enroll(by=student, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in course.modules.first().lessons.all():
            progress = services.mark_complete(by=student, lesson=lesson)
        services.mark_complete(by=student, lesson=lesson)  # a repeated click
    enrollment.refresh_from_db()
    assert progress.percent == 100
    assert enrollment.status == "completed" and enrollment.certificate.code
    assert len(mailoutbox) == 1
    assert mailoutbox[0].attachments[0][0].endswith(".pdf")


def test_progress_of_a_course_without_lessons_is_zero(student):
    enrollment = EnrollmentFactory(course=CourseFactory(), student=student)
    assert services.progress_of(enrollment).percent == 0


def test_with_progress_annotates_in_one_query(course, student, django_assert_num_queries):
    enrollment = services.enroll(by=student, course=course)
    LessonFactory(module=course.modules.first())
    services.mark_complete(by=student, lesson=course.modules.first().lessons.first())
    with django_assert_num_queries(1):
        row = Enrollment.objects.with_progress().get(pk=enrollment.pk)
    assert (row.lessons_done, row.lessons_total) == (1, 4)
