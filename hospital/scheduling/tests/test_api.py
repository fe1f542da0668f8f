"""The API door of scheduling: doctors and slots, appointments and their actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import next_weekday_at
from patients.tests.factories import PatientFactory
from scheduling.models import DOCTOR_BUSY, Appointment, AppointmentStatus
from scheduling.tests.factories import AppointmentFactory
from staff.tests.factories import DoctorFactory

S = AppointmentStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def test_free_slots_for_a_doctor_and_day(api_client_for, portal_patient, doctor):
    api = api_client_for(portal_patient.user)
    day = next_weekday_at(9).date()
    AppointmentFactory(doctor=doctor, start=next_weekday_at(9))
    slots = api.get(f"/api/v1/doctors/{doctor.pk}/slots/", {"day": day.isoformat()}).json()
    assert [slot["start"][11:16] for slot in slots][:2] == ["09:20", "09:40"]
    assert len(slots) == 8
    bad = api.get(f"/api/v1/doctors/{doctor.pk}/slots/", {"day": "someday"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "day"
    listing = api.get("/api/v1/doctors/").json()
    assert listing["results"][0]["name"] == doctor.profile.user.full_name
    assert api.get("/api/v1/departments/").status_code == 200
    other = DoctorFactory()
    in_department = api.get("/api/v1/doctors/", {"department": other.profile.department_id}).json()
    assert [row["id"] for row in in_department["results"]] == [other.pk]


def test_booking_through_the_api_and_the_friendly_conflict(api_client_for, receptionist, doctor):
    api = api_client_for(receptionist)
    start = next_weekday_at(10)
    first = api.post(
        "/api/v1/appointments/",
        {"patient": PatientFactory().pk, "doctor": doctor.pk, "start": start.isoformat()},
    )
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "scheduled"
    clash = api.post(
        "/api/v1/appointments/",
        {"patient": PatientFactory().pk, "doctor": doctor.pk, "start": start.isoformat()},
    )
    assert clash.status_code == 400
    assert clash.json()["errors"] == [
        {"code": "doctor_busy", "detail": DOCTOR_BUSY, "attr": "non_field_errors"}
    ]
    off_slot = api.post(
        "/api/v1/appointments/",
        {
            "patient": PatientFactory().pk,
            "doctor": doctor.pk,
            "start": next_weekday_at(7).isoformat(),
        },
    )
    assert off_slot.status_code == 400 and off_slot.json()["errors"][0]["attr"] == "start"
    missing = api.post("/api/v1/appointments/", {"doctor": doctor.pk})
    assert missing.status_code == 400
    assert {error["attr"] for error in missing.json()["errors"]} == {"patient", "start"}
    assert Appointment.objects.count() == 1


def test_a_nurse_cannot_book_through_the_api(api_client_for, nurse, doctor):
    patient = AppointmentFactory(
        start=timezone.now(),
        end=timezone.now() + timedelta(minutes=20),
        status=S.CHECKED_IN,
        doctor=DoctorFactory(profile__department=nurse.staff_profile.department),
    ).patient
    response = api_client_for(nurse).post(
        "/api/v1/appointments/",
        {"patient": patient.pk, "doctor": doctor.pk, "start": next_weekday_at(9).isoformat()},
    )
    assert response.status_code == 404  # the service refuses: shown as "no such patient to book"


def test_actions_through_the_api(api_client_for, receptionist, portal_patient):
    start = timezone.now() + timedelta(minutes=5)
    appointment = AppointmentFactory(
        patient=portal_patient, start=start, end=start + timedelta(minutes=20), status=S.REQUESTED
    )
    desk = api_client_for(receptionist)
    assert (
        desk.post(f"/api/v1/appointments/{appointment.pk}/confirm/").json()["status"] == "scheduled"
    )
    assert (
        desk.post(f"/api/v1/appointments/{appointment.pk}/check-in/").json()["status"]
        == "checked_in"
    )
    refused = desk.post(f"/api/v1/appointments/{appointment.pk}/no-show/")
    assert refused.status_code == 400
    doctor = api_client_for(appointment.doctor.profile.user)
    assert (
        doctor.post(f"/api/v1/appointments/{appointment.pk}/complete/").json()["status"]
        == "completed"
    )
    patient = api_client_for(portal_patient.user)
    late = patient.post(f"/api/v1/appointments/{appointment.pk}/cancel/", {"reason": "x"})
    assert late.status_code == 400
    mine = patient.get("/api/v1/appointments/").json()
    assert [row["id"] for row in mine["results"]] == [appointment.pk]
    assert patient.get(f"/api/v1/appointments/{appointment.pk}/").json()["doctor_name"]


def test_the_portal_patient_cancels_early_enough(api_client_for, portal_patient):
    appointment = AppointmentFactory(patient=portal_patient, start=next_weekday_at(9, days_ahead=5))
    response = api_client_for(portal_patient.user).post(
        f"/api/v1/appointments/{appointment.pk}/cancel/", {"reason": "Feeling better"}
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_filters_by_day_doctor_and_status(api_client_for, receptionist):
    tomorrow = AppointmentFactory()
    later = AppointmentFactory(start=next_weekday_at(9, days_ahead=4), status=S.CANCELLED)
    api = api_client_for(receptionist)
    by_day = api.get("/api/v1/appointments/", {"day": tomorrow.start.date().isoformat()}).json()
    assert [row["id"] for row in by_day["results"]] == [tomorrow.pk]
    by_status = api.get("/api/v1/appointments/", {"status": "cancelled"}).json()
    assert [row["id"] for row in by_status["results"]] == [later.pk]
    by_doctor = api.get("/api/v1/appointments/", {"doctor": later.doctor_id}).json()
    assert [row["id"] for row in by_doctor["results"]] == [later.pk]


def test_a_doctor_lists_only_their_own_appointments(api_client_for):
    mine = AppointmentFactory()
    AppointmentFactory(
        patient=mine.patient, start=next_weekday_at(15)
    )  # a colleague's, same patient
    rows = api_client_for(mine.doctor.profile.user).get("/api/v1/appointments/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]


def test_the_appointment_list_costs_the_same_for_1_or_20_rows(
    api_client_for, receptionist, assert_constant_queries
):
    AppointmentFactory()
    api = api_client_for(receptionist)

    def add_rows():
        for days in range(3, 23):
            AppointmentFactory(start=next_weekday_at(9, days_ahead=days))

    assert_constant_queries(lambda: api.get("/api/v1/appointments/"), add_rows)


def test_the_doctor_list_costs_the_same_for_1_or_20_rows(
    api_client_for, receptionist, assert_constant_queries
):
    DoctorFactory()
    api = api_client_for(receptionist)
    assert_constant_queries(
        lambda: api.get("/api/v1/doctors/"), lambda: DoctorFactory.create_batch(20)
    )


def test_the_schema_documents_the_hospital_endpoints(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/patients/",
        "/api/v1/doctors/{id}/slots/",
        "/api/v1/appointments/",
        "/api/v1/appointments/{id}/check-in/",
        "/api/v1/appointments/{id}/cancel/",
    ):
        assert path in paths
