"""book_appointment: the rules, on any database (the embedded run uses SQLite)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import next_weekday_at
from patients.models import AccessLog
from patients.tests.factories import PatientFactory
from scheduling import services
from scheduling.models import DOCTOR_BUSY, PATIENT_BUSY, Appointment, AppointmentStatus
from staff.tests.factories import AvailabilityFactory, DoctorFactory

pytestmark = pytest.mark.django_db


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
    with pytest.raises(ValidationError) as caught:
        services.book_appointment(
            patient=PatientFactory(), doctor=doctor, start=start, by=receptionist
        )
    assert caught.value.messages == [DOCTOR_BUSY]
    assert Appointment.objects.count() == 1


def test_a_patient_cannot_be_in_two_places_at_once(doctor, patient, receptionist):
    other_doctor = DoctorFactory()
    AvailabilityFactory(doctor=other_doctor, weekday=next_weekday_at(9).weekday())
    services.book_appointment(
        patient=patient, doctor=doctor, start=next_weekday_at(9), by=receptionist
    )
    with pytest.raises(ValidationError) as caught:
        services.book_appointment(
            patient=patient, doctor=other_doctor, start=next_weekday_at(9), by=receptionist
        )
    assert caught.value.messages == [PATIENT_BUSY]


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
    with pytest.raises(ValidationError) as caught:
        services.book_appointment(
            patient=patient, doctor=doctor, start=next_weekday_at(hour, minute), by=receptionist
        )
    assert "start" in caught.value.message_dict


def test_a_slot_that_is_over_cannot_be_booked(doctor, patient, receptionist):
    yesterday = next_weekday_at(9, days_ahead=-1)
    with pytest.raises(ValidationError) as caught:
        services.book_appointment(patient=patient, doctor=doctor, start=yesterday, by=receptionist)
    assert caught.value.message_dict == {"start": ["That slot is already over."]}


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
