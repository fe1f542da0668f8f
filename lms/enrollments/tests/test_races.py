"""The enrollment rules under real concurrency, on PostgreSQL (make test-services).

Each test commits its setup (``transaction=True``), then releases several threads at once,
each with its own database connection, at the same use case.
"""

import pytest

from certificates.models import Certificate
from courses.tests.factories import CourseFactory
from enrollments import services
from enrollments.models import Enrollment, LessonProgress
from shared.tasks.models import SentEmail
from shared.testing.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_many_students_for_the_last_seat_give_one_enrollment_and_an_ordered_waitlist(concurrently):
    course = CourseFactory(capacity=3)
    for _ in range(2):
        services.enroll(by=UserFactory(), course=course)
    students = [UserFactory() for _ in range(8)]

    outcomes = concurrently(*[lambda s=s: services.enroll(by=s, course=course) for s in students])

    assert [o.error for o in outcomes] == [None] * 8
    course.refresh_from_db()
    assert course.seats_taken == 3
    assert Enrollment.objects.filter(course=course, status="active").count() == 3
    positions = sorted(
        Enrollment.objects.filter(course=course, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == list(range(1, 8))  # seven in line, no gap, no duplicate


def test_concurrent_drops_promote_each_waiting_student_exactly_once(concurrently):
    course = CourseFactory(capacity=2)
    seated = [services.enroll(by=UserFactory(), course=course) for _ in range(2)]
    waiting = [services.enroll(by=UserFactory(), course=course) for _ in range(3)]

    outcomes = concurrently(
        *[lambda e=e: services.drop(by=e.student, enrollment=e) for e in seated]
    )

    assert [o.error for o in outcomes] == [None, None]
    statuses = {e.pk: Enrollment.objects.get(pk=e.pk).status for e in waiting}
    # The first two in line got the two seats; the third still waits.
    assert [statuses[e.pk] for e in waiting] == ["active", "active", "waitlisted"]
    course.refresh_from_db()
    assert course.seats_taken == 2


def test_the_same_drop_twice_at_once_promotes_once(concurrently):
    course = CourseFactory(capacity=1)
    seated = services.enroll(by=UserFactory(), course=course)
    first, second = (services.enroll(by=UserFactory(), course=course) for _ in range(2))

    outcomes = concurrently(*[lambda: services.drop(by=seated.student, enrollment=seated)] * 3)

    assert sum(o.error is None for o in outcomes) == 1  # the others: "already left" (409)
    assert Enrollment.objects.get(pk=first.pk).status == "active"
    assert Enrollment.objects.get(pk=second.pk).status == "waitlisted"


def test_concurrent_mark_complete_gives_one_row_and_the_right_percentage(concurrently):
    course = CourseFactory(lessons=4)
    student = UserFactory()
    enrollment = services.enroll(by=student, course=course)
    lesson = course.modules.first().lessons.first()

    outcomes = concurrently(*[lambda: services.mark_complete(by=student, lesson=lesson)] * 6)

    assert [o.error for o in outcomes] == [None] * 6
    assert {o.value.percent for o in outcomes} == {25}
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1


def test_completion_events_at_once_give_one_certificate_and_one_email(concurrently):
    course = CourseFactory(lessons=3)
    student = UserFactory()
    enrollment = services.enroll(by=student, course=course)
    lessons = list(course.modules.first().lessons.all())
    for lesson in lessons[:-1]:
        services.mark_complete(by=student, lesson=lesson)

    outcomes = concurrently(*[lambda: services.mark_complete(by=student, lesson=lessons[-1])] * 6)

    assert [o.error for o in outcomes] == [None] * 6
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert SentEmail.objects.filter(key__startswith="certificate-").count() == 1
