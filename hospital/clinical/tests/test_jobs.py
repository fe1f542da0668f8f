"""The "result ready" email through a real worker: sent once even when the task is sent twice."""

from decimal import Decimal

import pytest

from clinical import services
from clinical.services import ResultInput
from shared.tasks.email import send_templated_email
from shared.tasks.models import SentEmail

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_sends_the_result_email_once(ward, live_worker, wait_for):
    order = services.order_lab_test(by=ward.doctor_user, encounter=ward.encounter, test_name="CRP")
    services.record_lab_result(
        by=ward.admin, order=order, data=ResultInput(value=Decimal("3"), unit="mg/L")
    )
    key = f"lab-result-ready-{order.pk}"
    wait_for(lambda: SentEmail.objects.filter(key=key).exists(), timeout=30)
    # A duplicate delivery of the same message (what a lost ack causes) sends nothing more.
    send_templated_email.delay(
        to=["someone@example.org"],
        subject="Lab result ready: CRP",
        template="clinical/email/lab_result_ready",
        context={"test_name": "CRP", "ordered_on": "today", "corrected": False},
        idempotency_key=key,
    )
    wait_for(lambda: live_worker.log().count("already sent") >= 1, timeout=30)
    assert SentEmail.objects.filter(key=key).count() == 1
