"""Scheduling's use cases: booking without double bookings; the status machine's moves,
who may make them and their history."""

from datetime import timedelta

import psycopg
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.utils import timezone

from conftest import next_weekday_at
from patients.models import AccessLog
from patients.tests.factories import PatientFactory
from scheduling import services
from scheduling.models import DOCTOR_BUSY, PATIENT_BUSY, TRANSITIONS, Appointment, AppointmentStatus
from scheduling.tests.factories import AppointmentFactory
from shared.errors import Conflict, DomainError
from staff.tests.factories import AvailabilityFactory, DoctorFactory, staff_user

S = AppointmentStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def _today(minutes_from_now: int = 0, **kwargs) -> Appointment:
    start = timezone.now() + timedelta(minutes=minutes_from_now)
    return AppointmentFactory(start=start, end=start + timedelta(minutes=20), **kwargs)


def test_the_table_is_keyed_by_action_and_names_only_known_statuses():
    assert set(TRANSITIONS) == {"confirm", "check_in", "complete", "cancel", "no_show"}
    for transition in TRANSITIONS.values():
        assert set(transition.sources) | {transition.target} <= set(S.values)
    assert TRANSITIONS["cancel"].sources == (S.REQUESTED, S.SCHEDULED)
    # Every status but the first is reached by exactly one action.
    assert sorted(t.target for t in TRANSITIONS.values()) == sorted(set(S.values) - {S.REQUESTED})


def test_the_full_happy_path_is_recorded(receptionist):
    appointment = _today(-5, status=S.REQUESTED)
    doctor_user = appointment.doctor.profile.user
    services.confirm_appointment(appointment=appointment, by=receptionist)
    services.check_in(appointment=appointment, by=receptionist)
    services.complete(appointment=appointment, by=doctor_user)
    appointment.refresh_from_db()
    assert appointment.status == S.COMPLETED
    history = list(appointment.status_changes.values_list("from_status", "to_status", "changed_by"))
    assert history == [
        ("requested", "scheduled", receptionist.pk),
        ("scheduled", "checked_in", receptionist.pk),
        ("checked_in", "completed", doctor_user.pk),
    ]


@pytest.mark.parametrize(
    "status, service",
    [
        (S.COMPLETED, services.cancel_appointment),
        (S.CANCELLED, services.check_in),
        (S.REQUESTED, services.check_in),
        (S.SCHEDULED, services.complete),
        (S.NO_SHOW, services.confirm_appointment),
    ],
)
def test_moves_outside_the_table_are_refused(status, service, hospital_admin):
    appointment = _today(-5, status=status)
    with pytest.raises(Conflict):
        service(appointment=appointment, by=hospital_admin)
    appointment.refresh_from_db()
    assert appointment.status == status and not appointment.status_changes.exists()


def test_a_stale_copy_cannot_overwrite_a_newer_status(receptionist):
    appointment = _today(-5)
    stale = Appointment.objects.get(pk=appointment.pk)
    services.cancel_appointment(appointment=appointment, by=receptionist)
    with pytest.raises(Conflict, match="just changed by someone else"):
        services.check_in(appointment=stale, by=receptionist)
    appointment.refresh_from_db()
    assert appointment.status == S.CANCELLED


def test_check_in_only_on_the_day(receptionist, nurse):
    tomorrow = AppointmentFactory()
    with pytest.raises(Conflict, match="on the day"):
        services.check_in(appointment=tomorrow, by=receptionist)
    today = _today(30)
    with pytest.raises(PermissionDenied):
        services.check_in(appointment=today, by=nurse)  # the nurse sees patients once checked in
    services.check_in(appointment=today, by=receptionist)
    assert today.status == S.CHECKED_IN


def test_who_may_do_what(receptionist, portal_patient):
    appointment = _today(-5, patient=portal_patient)
    other_doctor = staff_user("doctor")
    with pytest.raises(PermissionDenied):
        services.check_in(appointment=appointment, by=portal_patient.user)
    with pytest.raises(PermissionDenied):
        services.confirm_appointment(appointment=appointment, by=other_doctor)
    with pytest.raises(PermissionDenied):
        services.mark_no_show(appointment=appointment, by=other_doctor)
    services.check_in(appointment=appointment, by=receptionist)
    with pytest.raises(PermissionDenied):
        services.complete(appointment=appointment, by=other_doctor)  # not their patient
    with pytest.raises(PermissionDenied):
        services.cancel_appointment(appointment=AppointmentFactory(), by=other_doctor)
    with pytest.raises(PermissionDenied):
        services.cancel_appointment(appointment=AppointmentFactory(), by=portal_patient.user)


def test_the_doctor_cancels_their_own_appointment():
    appointment = AppointmentFactory()
    services.cancel_appointment(
        appointment=appointment, by=appointment.doctor.profile.user, reason="On leave"
    )
    assert appointment.status_changes.get().note == "On leave"


def test_a_portal_patient_cancels_only_before_the_cutoff(portal_patient, settings):
    settings.HOSPITAL_PORTAL_CANCEL_HOURS = 24
    soon = _today(60 * 23, patient=portal_patient)
    later_start = timezone.now() + timedelta(hours=25)
    later = AppointmentFactory(
        patient=portal_patient, start=later_start, end=later_start + timedelta(minutes=20)
    )
    assert not services.can_cancel_online(soon) and services.can_cancel_online(later)
    with pytest.raises(Conflict, match="up to 24 hours before"):
        services.cancel_appointment(appointment=soon, by=portal_patient.user)
    services.cancel_appointment(appointment=later, by=portal_patient.user)
    assert later.status == S.CANCELLED
    soon.refresh_from_db()
    assert soon.status == S.SCHEDULED


def test_no_show_only_after_the_start(receptionist):
    upcoming = _today(30)
    with pytest.raises(Conflict, match="not started"):
        services.mark_no_show(appointment=upcoming, by=receptionist)
    started = _today(-5)
    services.mark_no_show(appointment=started, by=receptionist)
    assert started.status_changes.get().to_status == S.NO_SHOW


def test_the_desk_books_a_slot_as_scheduled_and_logs_it(doctor, patient, receptionist):
    start = next_weekday_at(9, 20)
    appointment = services.book_appointment(
        patient=patient, doctor=doctor, start=start, by=receptionist, reason="Cough"
    )
    assert (appointment.start, appointment.end) == (start, start + timedelta(minutes=20))
    assert appointment.status == AppointmentStatus.SCHEDULED
    change = appointment.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "",
        "scheduled",
        receptionist,
    )
    entry = AccessLog.objects.get()
    assert (entry.user, entry.patient, entry.action, entry.object_type) == (
        receptionist,
        patient,
        "write",
        "scheduling.appointment",
    )


def test_a_portal_patient_requests_for_themselves(doctor, portal_patient):
    appointment = services.book_appointment(
        patient=portal_patient, doctor=doctor, start=next_weekday_at(10), by=portal_patient.user
    )
    assert appointment.status == AppointmentStatus.REQUESTED


def test_a_patient_cannot_book_for_someone_else(doctor, portal_patient, patient):
    with pytest.raises(PermissionDenied):
        services.book_appointment(
            patient=patient, doctor=doctor, start=next_weekday_at(10), by=portal_patient.user
        )
    assert not Appointment.objects.exists()


def test_a_doctor_double_booking_gets_the_friendly_message(doctor, receptionist):
    start = next_weekday_at(9)
    services.book_appointment(patient=PatientFactory(), doctor=doctor, start=start, by=receptionist)
    with pytest.raises(DomainError) as caught:
        services.book_appointment(
            patient=PatientFactory(), doctor=doctor, start=start, by=receptionist
        )
    assert caught.value.message == DOCTOR_BUSY
    assert isinstance(caught.value, Conflict) and caught.value.code == "doctor_busy"
    assert Appointment.objects.count() == 1


def test_a_patient_cannot_be_in_two_places_at_once(doctor, patient, receptionist):
    other_doctor = DoctorFactory()
    AvailabilityFactory(doctor=other_doctor, weekday=next_weekday_at(9).weekday())
    services.book_appointment(
        patient=patient, doctor=doctor, start=next_weekday_at(9), by=receptionist
    )
    with pytest.raises(DomainError) as caught:
        services.book_appointment(
            patient=patient, doctor=other_doctor, start=next_weekday_at(9), by=receptionist
        )
    assert caught.value.message == PATIENT_BUSY
    assert isinstance(caught.value, Conflict) and caught.value.code == "patient_busy"


def test_a_cancelled_appointment_frees_its_slot(doctor, patient, receptionist):
    start = next_weekday_at(9)
    first = services.book_appointment(patient=patient, doctor=doctor, start=start, by=receptionist)
    services.cancel_appointment(appointment=first, by=receptionist)
    again = services.book_appointment(patient=patient, doctor=doctor, start=start, by=receptionist)
    assert again.pk != first.pk and again.status == AppointmentStatus.SCHEDULED


def test_back_to_back_slots_do_not_overlap(doctor, patient, receptionist):
    services.book_appointment(
        patient=patient, doctor=doctor, start=next_weekday_at(9), by=receptionist
    )
    services.book_appointment(
        patient=patient, doctor=doctor, start=next_weekday_at(9, 20), by=receptionist
    )
    assert Appointment.objects.count() == 2


@pytest.mark.parametrize(
    "hour, minute",
    [(8, 40), (9, 10), (12, 0), (13, 0)],
    ids=["before-opening", "between-slots", "at-closing", "afternoon"],
)
def test_only_the_doctors_slots_can_be_booked(doctor, patient, receptionist, hour, minute):
    with pytest.raises(DomainError) as caught:
        services.book_appointment(
            patient=patient, doctor=doctor, start=next_weekday_at(hour, minute), by=receptionist
        )
    assert caught.value.field == "start" and not isinstance(caught.value, Conflict)


def test_a_slot_that_is_over_cannot_be_booked(doctor, patient, receptionist):
    yesterday = next_weekday_at(9, days_ahead=-1)
    with pytest.raises(DomainError) as caught:
        services.book_appointment(patient=patient, doctor=doctor, start=yesterday, by=receptionist)
    assert (caught.value.field, caught.value.message) == ("start", "That slot is already over.")
    assert caught.value.status_code == 409


def test_nurses_and_doctors_do_not_book(doctor, patient, nurse):
    for user in (nurse, doctor.profile.user):
        with pytest.raises(PermissionDenied):
            services.book_appointment(
                patient=patient, doctor=doctor, start=next_weekday_at(9), by=user
            )


def test_the_model_clean_gives_the_same_message_as_the_service(doctor, patient, receptionist):
    booked = services.book_appointment(
        patient=patient, doctor=doctor, start=next_weekday_at(9), by=receptionist
    )
    clash = Appointment(
        patient=PatientFactory(),
        doctor=doctor,
        start=booked.start + timedelta(minutes=10),
        end=booked.end + timedelta(minutes=10),
    )
    with pytest.raises(ValidationError) as caught:
        clash.full_clean()
    assert DOCTOR_BUSY in caught.value.messages
    reversed_times = Appointment(patient=patient, doctor=doctor, start=booked.end, end=booked.start)
    with pytest.raises(ValidationError) as caught:
        reversed_times.full_clean()
    assert "end" in caught.value.message_dict


def _deadlock() -> OperationalError:
    """What Django raises when PostgreSQL aborts a transaction to break a deadlock."""
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return error


def test_a_booking_aborted_by_a_deadlock_is_retried(doctor, patient, receptionist, monkeypatch):
    real_save, calls = Appointment.save, []

    def save_once_deadlocked(self, *args, **kwargs):
        calls.append(self.pk)
        if len(calls) == 1:
            raise _deadlock()
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Appointment, "save", save_once_deadlocked)
    booked = services.book_appointment(
        patient=patient, doctor=doctor, start=next_weekday_at(9), by=receptionist
    )
    assert len(calls) == 2 and Appointment.objects.get() == booked


def test_a_booking_deadlocked_every_time_is_a_409_never_a_500(
    doctor, patient, receptionist, monkeypatch, api_client_for
):
    def always_deadlocked(self, *args, **kwargs):
        raise _deadlock()

    monkeypatch.setattr(Appointment, "save", always_deadlocked)
    response = api_client_for(receptionist).post(
        "/api/v1/appointments/",
        {"patient": patient.pk, "doctor": doctor.pk, "start": next_weekday_at(9).isoformat()},
    )
    assert response.status_code == 409, response.content
    assert response.json()["errors"][0]["code"] == "busy_retry"
    assert not Appointment.objects.exists()
