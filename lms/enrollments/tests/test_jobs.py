"""The enrollments jobs: filling new seats and emailing announcements, by id."""

import pytest

from courses.tests.factories import AnnouncementFactory, CourseFactory
from enrollments import services, tasks
from enrollments.models import Enrollment
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_fill_free_seats_promotes_in_order():
    course = CourseFactory(capacity=1)
    EnrollmentFactory(course=course, status="waitlisted", waitlist_position=2)
    first = EnrollmentFactory(course=course, status="waitlisted", waitlist_position=1)
    assert tasks.fill_free_seats(course_id=course.pk) == 1
    assert Enrollment.objects.get(pk=first.pk).status == "active"
    assert tasks.fill_free_seats(course_id=999999) == 0


def test_email_announcement_counts_the_students(mailoutbox):
    announcement = AnnouncementFactory()
    EnrollmentFactory(course=announcement.course)
    assert tasks.email_announcement(announcement_id=announcement.pk) == 1
    assert tasks.email_announcement(announcement_id=999999) == 0


def test_the_bulk_task_runs_by_ids(course, instructor, make_user):
    make_user(email="ann@example.com")
    bulk = services.start_bulk_enrollment(
        by=instructor, course=course, content=b"email\nann@example.com\n"
    )
    assert tasks.run_bulk_enrollment(bulk_id=bulk.pk, job_id=str(bulk.job_id)) == 1
