"""The clinical use cases through their services: rules, append-only history, access log."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from clinical import services
from clinical.models import ImmutableRecordError, LabResult, Observation
from clinical.services import ItemInput, ResultInput
from clinical.tests.factories import LabOrderFactory, ObservationFactory
from patients.models import AccessLog
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory
from shared.errors import Conflict, DomainError


def test_nurse_records_vitals_for_a_checked_in_patient_and_it_is_logged(ward):
    observation = services.record_observation(
        by=ward.nurse, encounter=ward.encounter, kind="temperature", value=Decimal("38.4")
    )
    assert observation.unit == "°C"
    entry = AccessLog.objects.get(object_type="clinical.observation")
    assert (entry.user, entry.patient, entry.action) == (ward.nurse, ward.patient, "write")


def test_nurse_cannot_record_once_the_patient_is_no_longer_checked_in(ward):
    ward.appointment.status = AppointmentStatus.COMPLETED
    ward.appointment.save()
    with pytest.raises(PermissionDenied):
        services.record_observation(
            by=ward.nurse, encounter=ward.encounter, kind="heart_rate", value=Decimal("80")
        )
    assert not Observation.objects.exists()


@pytest.mark.parametrize("role", ["receptionist", "admin"])
def test_desk_roles_cannot_record_observations(ward, role):
    with pytest.raises(PermissionDenied):
        services.record_observation(
            by=getattr(ward, role), encounter=ward.encounter, kind="note", text="x"
        )


def test_nurse_cannot_record_for_a_patient_of_another_department(ward):
    with pytest.raises(PermissionDenied):
        services.record_observation(
            by=ward.nurse, encounter=ward.other_encounter, kind="heart_rate", value=Decimal("70")
        )


@pytest.mark.parametrize(
    ("kind", "value", "text", "field"),
    [
        ("temperature", None, "", "value"),
        ("temperature", Decimal("375"), "", "value"),
        ("note", None, "", "text"),
        ("note", Decimal("1"), "text", "value"),
        ("mood", Decimal("1"), "", "kind"),
    ],
)
def test_bad_observations_get_a_field_message(ward, kind, value, text, field):
    with pytest.raises(DomainError) as caught:
        services.record_observation(
            by=ward.doctor_user, encounter=ward.encounter, kind=kind, value=value, text=text
        )
    assert caught.value.field == field


def test_no_observation_in_a_closed_encounter(ward):
    services.close_encounter(by=ward.doctor_user, encounter=ward.encounter, summary="Fine")
    with pytest.raises(Conflict):
        services.record_observation(
            by=ward.doctor_user, encounter=ward.encounter, kind="note", text="x"
        )


def test_observations_refuse_update_and_delete_in_python(ward):
    observation = ObservationFactory(encounter=ward.encounter)
    observation.value = Decimal("36.0")
    with pytest.raises(ImmutableRecordError):
        observation.save()
    with pytest.raises(ImmutableRecordError):
        observation.delete()
    with pytest.raises(ImmutableRecordError):
        Observation.objects.filter(pk=observation.pk).update(value=Decimal("1"))
    with pytest.raises(ImmutableRecordError):
        Observation.objects.filter(pk=observation.pk).delete()
    observation.refresh_from_db()
    assert observation.value == Decimal("37.2")


def test_a_correction_supersedes_and_keeps_the_history(ward):
    first = services.record_observation(
        by=ward.nurse, encounter=ward.encounter, kind="temperature", value=Decimal("39.0")
    )
    second = services.correct_observation(
        by=ward.nurse, original=first, value=Decimal("37.9"), reason="Misread the thermometer"
    )
    third = services.correct_observation(
        by=ward.doctor_user, original=second, value=Decimal("38.0"), reason="Re-measured"
    )
    assert list(Observation.objects.current()) == [third]
    assert Observation.objects.count() == 3
    assert third.supersedes.supersedes == first
    first.refresh_from_db()
    assert first.value == Decimal("39.0")


def test_an_entry_is_corrected_once_only(ward):
    first = ObservationFactory(encounter=ward.encounter)
    services.correct_observation(by=ward.nurse, original=first, value=Decimal("37"), reason="typo")
    with pytest.raises(Conflict):
        services.correct_observation(
            by=ward.nurse, original=first, value=Decimal("36"), reason="again"
        )


def test_a_correction_needs_a_reason(ward):
    first = ObservationFactory(encounter=ward.encounter)
    with pytest.raises(DomainError) as caught:
        services.correct_observation(by=ward.nurse, original=first, value=Decimal("37"), reason=" ")
    assert caught.value.field == "reason"


def test_the_unique_constraint_refuses_a_second_correction_even_past_the_check(ward):
    from django.db import IntegrityError, transaction

    first = ObservationFactory(encounter=ward.encounter)
    ObservationFactory(encounter=ward.encounter, supersedes=first, correction_reason="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationFactory(encounter=ward.encounter, supersedes=first, correction_reason="b")


def test_doctor_opens_and_closes_an_encounter_for_a_checked_in_appointment(ward):
    appointment = AppointmentFactory(
        patient=ward.patient,
        doctor=ward.doctor,
        status=AppointmentStatus.CHECKED_IN,
        start=ward.appointment.end,
        end=ward.appointment.end + (ward.appointment.end - ward.appointment.start),
    )
    encounter = services.open_encounter(
        by=ward.doctor_user, patient=ward.patient, appointment=appointment
    )
    assert encounter.doctor == ward.doctor
    with pytest.raises(Conflict):
        services.open_encounter(by=ward.doctor_user, patient=ward.patient, appointment=appointment)
    services.close_encounter(by=ward.doctor_user, encounter=encounter, summary="Discharged")
    encounter.refresh_from_db()
    assert encounter.closed_at is not None
    with pytest.raises(Conflict):
        services.close_encounter(by=ward.doctor_user, encounter=encounter)


def test_open_encounter_rules(ward):
    scheduled = AppointmentFactory(patient=ward.patient, doctor=ward.doctor)
    with pytest.raises(Conflict):  # not checked in
        services.open_encounter(by=ward.doctor_user, patient=ward.patient, appointment=scheduled)
    with pytest.raises(DomainError):  # the appointment of someone else
        services.open_encounter(
            by=ward.doctor_user, patient=ward.other_patient, appointment=ward.appointment
        )
    with pytest.raises(DomainError):  # no doctor
        services.open_encounter(by=ward.doctor_user, patient=ward.patient)
    with pytest.raises(DomainError):  # another doctor's appointment
        services.open_encounter(
            by=ward.doctor_user,
            patient=ward.patient,
            doctor=ward.other_doctor,
            appointment=ward.appointment,
        )
    with pytest.raises(PermissionDenied):  # a doctor opens only their own encounters
        services.open_encounter(
            by=ward.doctor_user, patient=ward.other_patient, doctor=ward.other_doctor
        )
    with pytest.raises(PermissionDenied):
        services.open_encounter(by=ward.receptionist, patient=ward.patient, doctor=ward.doctor)
    walk_in = services.open_encounter(by=ward.doctor_user, patient=ward.patient, doctor=ward.doctor)
    assert walk_in.appointment is None


def test_nurse_at_triage_finds_or_opens_the_encounter(ward):
    appointment = AppointmentFactory(
        patient=ward.patient,
        doctor=ward.doctor,
        status=AppointmentStatus.CHECKED_IN,
        start=ward.appointment.end,
        end=ward.appointment.end + (ward.appointment.end - ward.appointment.start),
    )
    opened = services.encounter_for_appointment(by=ward.nurse, appointment=appointment)
    again = services.encounter_for_appointment(by=ward.nurse, appointment=appointment)
    assert opened == again
    assert (
        services.encounter_for_appointment(by=ward.nurse, appointment=ward.appointment)
        == ward.encounter
    )


def test_only_the_treating_doctor_prescribes(ward):
    items = [ItemInput(drug="Ibuprofen", dose="400 mg", frequency="3x a day", duration_days=5)]
    prescription = services.prescribe(by=ward.doctor_user, encounter=ward.encounter, items=items)
    assert prescription.items.get().drug == "Ibuprofen"
    for user in (ward.nurse, ward.other_doctor.profile.user, ward.receptionist, ward.patient_user):
        with pytest.raises(PermissionDenied):
            services.prescribe(by=user, encounter=ward.encounter, items=items)
    with pytest.raises(DomainError):
        services.prescribe(by=ward.doctor_user, encounter=ward.encounter, items=[])
    with pytest.raises(DomainError):
        services.prescribe(
            by=ward.doctor_user,
            encounter=ward.encounter,
            items=[ItemInput(drug="X", dose="1", frequency="1", duration_days=0)],
        )


def test_lab_order_and_result_with_the_abnormal_flag_and_one_email(
    ward, django_capture_on_commit_callbacks
):
    order = services.order_lab_test(
        by=ward.doctor_user, encounter=ward.encounter, test_name="Potassium"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.record_lab_result(
            by=ward.admin,
            order=order,
            data=ResultInput(
                value=Decimal("6.1"),
                unit="mmol/L",
                reference_low=Decimal("3.5"),
                reference_high=Decimal("5.1"),
            ),
        )
    assert result.abnormal is True and result.direction == "high"
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([ward.patient_user.email, ward.doctor_user.email])
    assert "6.1" not in mail.outbox[0].body  # no values by email

    with pytest.raises(Conflict):
        services.record_lab_result(
            by=ward.admin, order=order, data=ResultInput(value=Decimal("4"), unit="mmol/L")
        )
    with django_capture_on_commit_callbacks(execute=True):
        corrected = services.correct_lab_result(
            by=ward.doctor_user,
            original=result,
            reason="Haemolysed sample, re-run",
            data=ResultInput(
                value=Decimal("4.2"),
                unit="mmol/L",
                reference_low=Decimal("3.5"),
                reference_high=Decimal("5.1"),
            ),
        )
    assert corrected.abnormal is False and corrected.direction == ""
    assert list(LabResult.objects.current()) == [corrected]
    assert len(mail.outbox) == 2 and "corrected" in mail.outbox[1].subject


def test_result_notification_is_sent_once_even_if_the_task_runs_twice(ward):
    from shared.tasks.email import send_templated_email

    order = LabOrderFactory(encounter=ward.encounter)
    kwargs = {
        "to": ["a@example.org"],
        "subject": "Lab result ready",
        "template": "clinical/email/lab_result_ready",
        "context": {"test_name": order.test_name, "ordered_on": "1 May", "corrected": False},
        "idempotency_key": f"lab-result-ready-{order.pk}",
    }
    assert send_templated_email.apply(kwargs=kwargs).get() is True
    assert send_templated_email.apply(kwargs=kwargs).get() is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("value", "low", "high", "abnormal"),
    [
        ("5", "3", "7", False),
        ("3", "3", "7", False),
        ("7", "3", "7", False),
        ("2.99", "3", "7", True),
        ("7.01", "3", "7", True),
        ("100", None, "7", True),
        ("-1", "0", None, True),
        ("5", None, None, False),
    ],
)
def test_abnormal_flag(ward, value, low, high, abnormal):
    order = LabOrderFactory(encounter=ward.encounter)
    result = services.record_lab_result(
        by=ward.doctor_user,
        order=order,
        data=ResultInput(
            value=Decimal(value),
            unit="u",
            reference_low=Decimal(low) if low else None,
            reference_high=Decimal(high) if high else None,
        ),
    )
    assert result.abnormal is abnormal


def test_lab_result_input_rules(ward):
    order = LabOrderFactory(encounter=ward.encounter)
    with pytest.raises(DomainError) as caught:
        services.record_lab_result(
            by=ward.admin,
            order=order,
            data=ResultInput(
                value=Decimal("1"),
                unit="u",
                reference_low=Decimal("5"),
                reference_high=Decimal("1"),
            ),
        )
    assert caught.value.field == "reference_high"
    with pytest.raises(DomainError):
        services.record_lab_result(
            by=ward.admin, order=order, data=ResultInput(value=Decimal("1"), unit=" ")
        )
    for user in (ward.nurse, ward.receptionist, ward.other_doctor.profile.user, ward.patient_user):
        with pytest.raises(PermissionDenied):
            services.record_lab_result(
                by=user, order=order, data=ResultInput(value=Decimal("1"), unit="u")
            )
    with pytest.raises(DomainError):
        services.order_lab_test(by=ward.doctor_user, encounter=ward.encounter, test_name=" ")
    with pytest.raises(PermissionDenied):
        services.order_lab_test(by=ward.nurse, encounter=ward.encounter, test_name="CRP")


def test_lab_results_are_append_only_too(ward):
    order = LabOrderFactory(encounter=ward.encounter)
    result = services.record_lab_result(
        by=ward.admin, order=order, data=ResultInput(value=Decimal("1"), unit="u")
    )
    with pytest.raises(ImmutableRecordError):
        result.save()
    with pytest.raises(ImmutableRecordError):
        LabResult.objects.all().delete()
    with pytest.raises(DomainError):
        services.correct_lab_result(
            by=ward.admin,
            original=result,
            reason="",
            data=ResultInput(value=Decimal("2"), unit="u"),
        )
    services.correct_lab_result(
        by=ward.admin, original=result, reason="r", data=ResultInput(value=Decimal("2"), unit="u")
    )
    with pytest.raises(Conflict):
        services.correct_lab_result(
            by=ward.admin,
            original=result,
            reason="r",
            data=ResultInput(value=Decimal("3"), unit="u"),
        )


def test_the_database_allows_one_original_result_per_order(ward):
    from django.db import IntegrityError, transaction

    from clinical.tests.factories import LabResultFactory

    first = LabResultFactory(order__encounter=ward.encounter)
    with pytest.raises(IntegrityError), transaction.atomic():
        LabResultFactory(order=first.order)
    LabResultFactory(order=first.order, supersedes=first, correction_reason="re-run")


def test_a_note_is_text_only(ward):
    note = services.record_observation(
        by=ward.doctor_user, encounter=ward.encounter, kind="note", text="  Sleeps badly.  "
    )
    assert (note.value, note.unit, note.text) == (None, "", "Sleeps badly.")


def test_role_rules_on_closing_correcting_and_closed_encounters(ward):
    observation = ObservationFactory(encounter=ward.encounter)
    order = LabOrderFactory(encounter=ward.encounter)
    result = services.record_lab_result(
        by=ward.admin, order=order, data=ResultInput(value=Decimal("1"), unit="u")
    )
    with pytest.raises(PermissionDenied):
        services.close_encounter(by=ward.nurse, encounter=ward.encounter)
    with pytest.raises(PermissionDenied):
        services.correct_observation(
            by=ward.receptionist, original=observation, value=Decimal("37"), reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.correct_lab_result(
            by=ward.nurse,
            original=result,
            reason="x",
            data=ResultInput(value=Decimal("2"), unit="u"),
        )
    services.close_encounter(by=ward.doctor_user, encounter=ward.encounter)
    items = [ItemInput(drug="A", dose="1", frequency="1", duration_days=1)]
    with pytest.raises(Conflict):
        services.prescribe(by=ward.doctor_user, encounter=ward.encounter, items=items)
    with pytest.raises(Conflict):
        services.order_lab_test(by=ward.doctor_user, encounter=ward.encounter, test_name="CRP")
    # A correction of an earlier entry is still allowed after the visit closed.
    services.correct_observation(
        by=ward.doctor_user, original=observation, value=Decimal("37"), reason="x"
    )
