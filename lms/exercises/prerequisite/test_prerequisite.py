"""Exercise "prerequisite" (lms/EXERCISES.md): a course may name another course a student
must have completed before enrolling; the page and the API refuse the same way.

These tests fail until the exercise is done. The new field is set inside each test, so this file
loads before it exists.
"""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from courses.tests.factories import CourseFactory
from enrollments import services
from enrollments.models import Enrollment
from enrollments.tests.factories import EnrollmentFactory
from shared.errors import DomainError

pytestmark = [pytest.mark.exercise("prerequisite"), pytest.mark.django_db]
ENROLLMENTS_API = "/api/v1/enrollments/"


@pytest.fixture
def basics():
    return CourseFactory(title="Python basics", slug="basics")


def course_after(basics, **fields):
    """A course that asks for ``basics`` first (made inside each test, so that a missing
    field fails the test rather than erroring its fixture)."""
    return CourseFactory(title="Advanced Python", slug="advanced", prerequisite=basics, **fields)


def enrollments_in(course) -> int:
    return Enrollment.objects.filter(course=course).count()


# --- The service --------------------------------------------------------------------------


def test_without_the_prerequisite_the_student_is_refused_and_takes_no_place(student, basics):
    advanced = course_after(basics)
    with pytest.raises(DomainError) as refusal:
        services.enroll(by=student, course=advanced)
    assert (refusal.value.field, refusal.value.code) == ("course", "prerequisite")
    assert "Complete Python basics first" in refusal.value.message
    advanced.refresh_from_db()
    assert advanced.seats_taken == 0 and enrollments_in(advanced) == 0


def test_being_enrolled_in_the_prerequisite_is_not_enough(student, basics):
    advanced = course_after(basics)
    EnrollmentFactory(course=basics, student=student)  # active, not completed
    with pytest.raises(DomainError):
        services.enroll(by=student, course=advanced)
    assert enrollments_in(advanced) == 0


def test_having_completed_the_prerequisite_enrols_as_usual(student, basics):
    advanced = course_after(basics)
    EnrollmentFactory(course=basics, student=student, status=Enrollment.Status.COMPLETED)
    enrollment = services.enroll(by=student, course=advanced)
    assert enrollment.status == Enrollment.Status.ACTIVE


def test_a_full_course_checks_the_prerequisite_before_the_waitlist(student, basics):
    advanced = course_after(basics, capacity=0)
    with pytest.raises(DomainError):
        services.enroll(by=student, course=advanced)
    assert enrollments_in(advanced) == 0


def test_a_course_is_never_its_own_prerequisite(basics):
    basics.prerequisite = basics
    with pytest.raises(IntegrityError), transaction.atomic():
        basics.save()


# --- Both doors ---------------------------------------------------------------------------


def test_the_enrol_page_answers_400_with_the_message(client, student, basics):
    advanced = course_after(basics)
    client.force_login(student)
    response = client.post(reverse("enrollments:enrol", args=[advanced.slug]))
    assert response.status_code == 400 and "Complete Python basics first" in response.text
    assert enrollments_in(advanced) == 0


def test_the_api_answers_400_on_course(api_client_for, student, basics):
    advanced = course_after(basics)
    response = api_client_for(student).post(ENROLLMENTS_API, {"course": advanced.slug})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("course", "prerequisite")
    assert enrollments_in(advanced) == 0
