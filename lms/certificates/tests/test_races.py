"""One certificate per completed enrollment, however many issue jobs run at once."""

import pytest

from certificates import services
from certificates.models import Certificate
from enrollments.tests.factories import EnrollmentFactory
from shared.tasks.models import SentEmail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_issue_jobs_create_one_certificate_and_send_one_email(concurrently):
    enrollment = EnrollmentFactory(status="completed")

    outcomes = concurrently(*[lambda: services.issue_certificate(enrollment=enrollment)] * 6)

    assert [o.error for o in outcomes] == [None] * 6
    assert sum(created for _, created in (o.value for o in outcomes)) == 1
    assert len({certificate.pk for certificate, _ in (o.value for o in outcomes)}) == 1
    assert Certificate.objects.count() == 1
    assert SentEmail.objects.count() == 1
