"""The certificate jobs: issue by id (idempotent), and the PDF attachment builder."""

import pytest

from certificates import tasks
from certificates.models import Certificate
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_issue_task_is_idempotent_and_tolerates_missing_rows():
    enrollment = EnrollmentFactory(status="completed")
    code = tasks.issue_certificate(enrollment_id=enrollment.pk)
    assert tasks.issue_certificate(enrollment_id=enrollment.pk) == code
    assert Certificate.objects.count() == 1
    assert tasks.issue_certificate(enrollment_id=999999) is None
    assert tasks.issue_certificate(enrollment_id=EnrollmentFactory().pk) is None


def test_the_pdf_builder_draws_the_certificate():
    enrollment = EnrollmentFactory(status="completed")
    tasks.issue_certificate(enrollment_id=enrollment.pk)
    content = tasks.certificate_pdf(certificate_id=Certificate.objects.get().pk)
    assert content.startswith(b"%PDF") and len(content) > 1000
