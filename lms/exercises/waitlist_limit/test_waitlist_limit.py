"""Exercise "waitlist_limit" (lms/EXERCISES.md): a full course keeps at most N students
waiting; past that, enrolling is refused through both doors.

These tests fail until the exercise is done. The last one is the race test: it runs on
PostgreSQL only (``make exercise P=lms E=waitlist_limit SERVICES=1``). Counting the
waitlist before taking the course's row lock passes every other test and fails that one:
eight transactions all count the same line.
"""

import pytest
from django.urls import reverse

from courses.tests.factories import CourseFactory
from enrollments import services
from enrollments.models import Enrollment
from shared.errors import Conflict
from shared.testing.factories import UserFactory

pytestmark = pytest.mark.exercise("waitlist_limit")
ENROLLMENTS_API = "/api/v1/enrollments/"
STUDENTS = 8


def full_course(waitlist_limit: int | None, waiting: int = 0):
    """A course with no free seat, a waitlist limit and ``waiting`` students already in line."""
    course = CourseFactory(capacity=0, waitlist_limit=waitlist_limit)
    for _ in range(waiting):
        services.enroll(by=UserFactory(), course=course)
    return course


def waiting_in(course) -> list[int]:
    return sorted(
        Enrollment.objects.filter(course=course, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )


@pytest.mark.django_db
def test_the_waitlist_fills_up_to_the_limit_then_refuses(student):
    course = full_course(waitlist_limit=2, waiting=2)
    with pytest.raises(Conflict) as refusal:
        services.enroll(by=student, course=course)
    assert (refusal.value.field, refusal.value.code) == ("course", "waitlist_full")
    assert "waitlist" in refusal.value.message.lower()
    assert waiting_in(course) == [1, 2]


@pytest.mark.django_db
def test_no_limit_means_an_endless_waitlist(student):
    course = full_course(waitlist_limit=None, waiting=3)
    assert services.enroll(by=student, course=course).waitlist_position == 4


@pytest.mark.django_db
def test_a_free_seat_is_taken_whatever_the_waitlist_limit(student):
    course = CourseFactory(capacity=1, waitlist_limit=0)
    assert services.enroll(by=student, course=course).status == Enrollment.Status.ACTIVE


@pytest.mark.django_db
def test_a_student_leaving_the_line_frees_a_place(student):
    course = full_course(waitlist_limit=1, waiting=1)
    first = Enrollment.objects.get(course=course, status="waitlisted")
    services.drop(by=first.student, enrollment=first)
    assert services.enroll(by=student, course=course).status == Enrollment.Status.WAITLISTED


@pytest.mark.django_db
def test_the_page_and_the_api_answer_409(client, api_client_for, student):
    course = full_course(waitlist_limit=0)
    client.force_login(student)
    page = client.post(reverse("enrollments:enrol", args=[course.slug]))
    assert page.status_code == 409 and "waitlist" in page.text.lower()
    response = api_client_for(student).post(ENROLLMENTS_API, {"course": course.slug})
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("course", "waitlist_full")
    assert waiting_in(course) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_students_at_once_fill_the_waitlist_exactly(concurrently):
    course = full_course(waitlist_limit=3)
    students = [UserFactory() for _ in range(STUDENTS)]
    outcomes = concurrently(*[lambda s=s: services.enroll(by=s, course=course) for s in students])
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(errors) == STUDENTS - 3, errors
    assert all(isinstance(error, Conflict) and error.code == "waitlist_full" for error in errors)
    assert waiting_in(course) == [1, 2, 3]
