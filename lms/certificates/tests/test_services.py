"""Issuing a certificate: only for a completed enrollment, once."""

import pytest

from certificates import services
from certificates.models import Certificate
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_only_a_completed_enrollment_gets_a_certificate():
    assert services.issue_certificate(enrollment=EnrollmentFactory()) == (None, False)


def test_issue_twice_gives_the_same_certificate(mailoutbox, django_capture_on_commit_callbacks):
    enrollment = EnrollmentFactory(status="completed", student__full_name="Ann Lee")
    with django_capture_on_commit_callbacks(execute=True):
        first, created = services.issue_certificate(enrollment=enrollment)
        again, created_again = services.issue_certificate(enrollment=enrollment)
    assert (created, created_again) == (True, False) and first == again
    assert first.student_name == "Ann Lee" and len(first.code) == 16
    assert Certificate.objects.count() == 1 and len(mailoutbox) == 1
    assert str(first).endswith(f"({first.code})")
