"""No double booking under real concurrency, and the constraints that guarantee it.

PostgreSQL tests run parallel transactions (one thread, one connection each) with
``concurrently``; the SQLite test proves the embedded mode's lock-and-validate path.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from conftest import next_weekday_at
from patients.tests.factories import PatientFactory
from scheduling import services
from scheduling.models import DOCTOR_BUSY, PATIENT_BUSY, Appointment, AppointmentStatus
from scheduling.tests.factories import AppointmentFactory
from shared.errors import Conflict, DomainError
from staff.tests.factories import AvailabilityFactory, DoctorFactory, staff_user

RECEPTIONISTS = 8


def _book(**kwargs):
    return lambda: services.book_appointment(**kwargs)


def _assert_one_booking_and_friendly_refusals(outcomes, message):
    booked = [outcome.value for outcome in outcomes if outcome.error is None]
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(booked) == 1, errors
    assert all(isinstance(error, Conflict) for error in errors), errors
    assert {error.message for error in errors} == {message}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_receptionists_booking_one_slot_get_exactly_one_booking(doctor, concurrently):
    receptionists = [staff_user("receptionist") for _ in range(RECEPTIONISTS)]
    patients = [PatientFactory() for _ in range(RECEPTIONISTS)]
    start = next_weekday_at(9, 40)
    outcomes = concurrently(
        *(
            _book(patient=patient, doctor=doctor, start=start, by=receptionist)
            for patient, receptionist in zip(patients, receptionists, strict=True)
        )
    )
    _assert_one_booking_and_friendly_refusals(outcomes, DOCTOR_BUSY)
    assert Appointment.objects.filter(doctor=doctor, start=start).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_patient_booked_with_eight_doctors_at_once_gets_one_appointment(concurrently):
    start = next_weekday_at(11)
    doctors = [DoctorFactory() for _ in range(RECEPTIONISTS)]
    for doctor in doctors:
        AvailabilityFactory(doctor=doctor, weekday=start.weekday())
    patient = PatientFactory()
    receptionist = staff_user("receptionist")
    outcomes = concurrently(
        *(_book(patient=patient, doctor=doctor, start=start, by=receptionist) for doctor in doctors)
    )
    _assert_one_booking_and_friendly_refusals(outcomes, PATIENT_BUSY)
    assert Appointment.objects.filter(patient=patient).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_exclusion_constraint_rejects_an_overlap_written_around_the_service():
    booked = AppointmentFactory()
    overlapping = dict(
        start=booked.start + timedelta(minutes=5), end=booked.end + timedelta(minutes=5)
    )
    with pytest.raises(IntegrityError, match="appointment_no_doctor_overlap"), transaction.atomic():
        AppointmentFactory(doctor=booked.doctor, **overlapping)
    with (
        pytest.raises(IntegrityError, match="appointment_no_patient_overlap"),
        transaction.atomic(),
    ):
        AppointmentFactory(patient=booked.patient, **overlapping)
    # Cancelled and no-show appointments hold no time: the constraint's condition skips them.
    AppointmentFactory(doctor=booked.doctor, status=AppointmentStatus.CANCELLED, **overlapping)
    AppointmentFactory(doctor=booked.doctor, status=AppointmentStatus.NO_SHOW, **overlapping)
    # Half-open ranges: the next slot, starting when this one ends, is fine.
    AppointmentFactory(
        doctor=booked.doctor, start=booked.end, end=booked.end + timedelta(minutes=20)
    )
    assert Appointment.objects.filter(doctor=booked.doctor).count() == 4


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_raw_sql_overlap_is_refused_too():
    booked = AppointmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO scheduling_appointment"
            ' (patient_id, doctor_id, start, "end", status, reason, created_at)'
            " VALUES (%s, %s, %s, %s, 'scheduled', '', now())",
            [PatientFactory().pk, booked.doctor_id, booked.start, booked.end],
        )


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_integrity_error_from_the_constraint_becomes_the_friendly_message(
    doctor, receptionist, monkeypatch
):
    """If validation is raced past (simulated here by skipping it), the constraint's
    violation still reaches the user as the overlap message, not a 500."""
    start = next_weekday_at(9)
    services.book_appointment(patient=PatientFactory(), doctor=doctor, start=start, by=receptionist)
    monkeypatch.setattr(Appointment, "clean", lambda self: None)
    with pytest.raises(DomainError) as caught:
        services.book_appointment(
            patient=PatientFactory(), doctor=doctor, start=start, by=receptionist
        )
    assert caught.value.message == DOCTOR_BUSY


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_the_write_lock_serializes_check_and_insert(doctor, concurrently, settings):
    """Embedded mode: no exclusion constraint, yet racing bookings still make one row,
    because each booking's transaction starts with BEGIN IMMEDIATE (the write lock)."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; PostgreSQL is covered by the tests above")
    receptionists = [staff_user("receptionist") for _ in range(4)]
    start = next_weekday_at(10, 20)
    outcomes = concurrently(
        *(
            _book(patient=PatientFactory(), doctor=doctor, start=start, by=receptionist)
            for receptionist in receptionists
        )
    )
    _assert_one_booking_and_friendly_refusals(outcomes, DOCTOR_BUSY)
    assert Appointment.objects.filter(doctor=doctor, start=start).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_reminder_runs_at_once_send_one_email(concurrently, mailoutbox):
    start = timezone.now() + timedelta(hours=5)
    appointment = AppointmentFactory(start=start, end=start + timedelta(minutes=20))
    outcomes = concurrently(
        *(lambda: services.send_reminder(appointment_id=appointment.pk) for _ in range(8))
    )
    assert [outcome.error for outcome in outcomes] == [None] * 8
    assert sorted(outcome.value for outcome in outcomes) == [False] * 7 + [True]
    assert len(mailoutbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_check_in_and_cancel_at_once_one_wins_and_history_agrees(concurrently, at_noon):
    start = timezone.now() + timedelta(minutes=10)
    appointment = AppointmentFactory(start=start, end=start + timedelta(minutes=20))
    desk, colleague = staff_user("receptionist"), staff_user("receptionist")

    def act(service, user):
        # Each thread reads its own copy, as two browsers would.
        return lambda: service(appointment=Appointment.objects.get(pk=appointment.pk), by=user)

    outcomes = concurrently(
        act(services.check_in, desk),
        act(services.cancel_appointment, colleague),
        act(services.check_in, colleague),
        act(services.cancel_appointment, desk),
    )
    winners = [outcome.value for outcome in outcomes if outcome.error is None]
    assert len(winners) == 1
    assert all(isinstance(o.error, Conflict) for o in outcomes if o.error is not None)
    appointment.refresh_from_db()
    assert appointment.status == winners[0].status
    history = list(appointment.status_changes.values_list("from_status", "to_status"))
    assert history == [("scheduled", appointment.status)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_desks_booking_one_patient_with_two_doctors_never_deadlock_into_a_500(concurrently):
    """Both inserts check both exclusion constraints, in opposite orders of waiting: PostgreSQL
    may detect a deadlock and abort one. That booking is retried, and refused like any other
    overlap: one appointment, one friendly 409, in every round."""
    start = next_weekday_at(10)
    desks = [staff_user("receptionist"), staff_user("receptionist")]
    for round_ in range(6):
        doctors = [DoctorFactory(), DoctorFactory()]
        for doctor in doctors:
            AvailabilityFactory(doctor=doctor, weekday=start.weekday())
        patient = PatientFactory()
        outcomes = concurrently(
            *(
                _book(patient=patient, doctor=doctor, start=start, by=desk)
                for doctor, desk in zip(doctors, desks, strict=True)
            )
        )
        errors = [outcome.error for outcome in outcomes if outcome.error is not None]
        assert all(isinstance(error, Conflict) for error in errors), (round_, errors)
        assert Appointment.objects.filter(patient=patient).count() == 1, round_
