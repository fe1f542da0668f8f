"""Races on the patients app's database rules (PostgreSQL, parallel transactions)."""

import pytest

from patients.models import Patient
from patients.services import link_portal_account
from patients.tests.factories import PatientFactory
from shared.errors import Conflict
from staff.tests.factories import staff_user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_desks_linking_one_account_to_two_patients_link_one(concurrently, make_user):
    account = make_user(email="twin@example.org")
    first, second = PatientFactory(), PatientFactory()
    desks = [staff_user("receptionist"), staff_user("receptionist")]
    outcomes = concurrently(
        *(
            lambda patient=patient, desk=desk: link_portal_account(
                patient=patient, email="twin@example.org", by=desk
            )
            for patient, desk in zip((first, second), desks, strict=True)
        )
    )
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], Conflict), errors
    assert "already linked" in errors[0].message
    assert Patient.objects.filter(user=account).count() == 1
