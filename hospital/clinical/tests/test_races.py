"""What PostgreSQL adds: the append-only trigger, and the one-correction rule under a race."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from clinical import services
from clinical.models import Observation
from clinical.tests.factories import LabResultFactory, ObservationFactory

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE clinical_observation SET value = 1 WHERE id = %s",
        "DELETE FROM clinical_observation WHERE id = %s",
    ],
)
def test_the_trigger_refuses_a_raw_update_or_delete_of_an_observation(ward, sql):
    observation = ObservationFactory(encounter=ward.encounter)
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [observation.pk])
    observation.refresh_from_db()
    assert observation.value == Decimal("37.2")


def test_the_trigger_guards_lab_results_too(ward):
    result = LabResultFactory(order__encounter=ward.encounter)
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE clinical_labresult SET value = 0 WHERE id = %s", [result.pk])


@pytest.mark.django_db(transaction=True)
def test_two_nurses_correcting_the_same_entry_at_once_make_one_correction(ward, concurrently):
    original = ObservationFactory(encounter=ward.encounter)

    def correct(value):
        return lambda: services.correct_observation(
            by=ward.nurse,
            original=Observation.objects.get(pk=original.pk),
            value=Decimal(value),
            reason="typo",
        )

    outcomes = concurrently(correct("37.0"), correct("37.1"), correct("37.3"))
    assert sum(outcome.error is None for outcome in outcomes) == 1
    assert all(
        outcome.error is None or "already corrected" in str(outcome.error) for outcome in outcomes
    )
    assert Observation.objects.filter(supersedes=original).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_results_entered_for_one_order_at_once_make_one_original(ward, concurrently):
    from clinical.models import LabOrder, LabResult
    from clinical.services import ResultInput

    order = services.order_lab_test(by=ward.doctor_user, encounter=ward.encounter, test_name="CRP")

    def enter(value):
        return lambda: services.record_lab_result(
            by=ward.admin,
            order=LabOrder.objects.get(pk=order.pk),
            data=ResultInput(value=Decimal(value), unit="mg/L"),
        )

    outcomes = concurrently(enter("3"), enter("4"), enter("5"))
    assert sum(outcome.error is None for outcome in outcomes) == 1
    assert all(o.error is None or "already has a result" in str(o.error) for o in outcomes)
    assert LabResult.objects.filter(order=order).count() == 1
