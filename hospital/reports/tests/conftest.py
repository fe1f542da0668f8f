"""Fixtures of the reports tests: the clinical scenario, and this month's activity in it."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from billing import services as billing
from billing.services import LineInput
from clinical.tests.conftest import ward  # noqa: F401  (the shared scenario fixture)
from clinical.tests.factories import EncounterFactory


def this_month() -> date:
    return timezone.localdate().replace(day=1)


@pytest.fixture
def activity(ward):  # noqa: F811 (the imported fixture, asked for by name)
    """This month: two visits in Cardiology (one billed 150, 100 paid), one in Oncology."""
    EncounterFactory(patient=ward.patient, doctor=ward.doctor)
    invoice = billing.create_invoice(
        by=ward.receptionist,
        encounter=ward.encounter,
        lines=[LineInput(description="Consultation", unit_price=Decimal("150.00"))],
    )
    billing.issue_invoice(by=ward.receptionist, invoice=invoice)
    billing.record_payment(
        by=ward.receptionist, invoice=invoice, amount=Decimal("100"), method="card"
    )
    # Last month's visit is not counted.
    EncounterFactory(
        patient=ward.patient, doctor=ward.doctor, opened_at=timezone.now() - timedelta(days=40)
    )
    return ward


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))
