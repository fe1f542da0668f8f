"""Scheduling through both doors: the desk and portal pages, the doctor's day, the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import next_weekday_at
from patients.tests.factories import PatientFactory
from scheduling.models import DOCTOR_BUSY, Appointment, AppointmentStatus
from scheduling.tests.factories import AppointmentFactory
from staff.tests.factories import DepartmentFactory, DoctorFactory, staff_user

S = AppointmentStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_desk_books_a_free_slot_and_sees_it_taken_after(client, receptionist, doctor, patient):
    client.force_login(receptionist)
    start = next_weekday_at(9, 20)
    detail = reverse("scheduling:patient", args=[patient.pk])
    data = {"doctor": doctor.pk, "start": start.isoformat(), "reason": "Check-up", "next": detail}
    response = client.post(reverse("scheduling:book", args=[patient.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert any(message.startswith("Booked") for message in _messages(response))
    appointment = Appointment.objects.get()
    assert (appointment.start, appointment.status, appointment.reason) == (
        start,
        S.SCHEDULED,
        "Check-up",
    )

    someone_else = PatientFactory()
    taken = client.post(reverse("scheduling:book", args=[someone_else.pk]), data)
    # The refusal page of DomainErrorMiddleware: the message, the 409, no second booking.
    assert taken.status_code == 409 and "already has an appointment" in taken.content.decode()
    assert Appointment.objects.count() == 1
    later = {**data, "start": next_weekday_at(9, 40).isoformat(), "next": "https://evil.example/"}
    elsewhere = client.post(reverse("scheduling:book", args=[someone_else.pk]), later, follow=True)
    assert elsewhere.redirect_chain[-1][0] == "/"  # an outside "next" is ignored


def test_a_garbled_booking_is_a_400_with_a_message_not_a_500(client, receptionist, patient):
    client.force_login(receptionist)
    response = client.post(
        reverse("scheduling:book", args=[patient.pk]), {"doctor": "x", "start": "soon"}
    )
    assert response.status_code == 400 and "Pick a slot" in response.content.decode()
    assert not Appointment.objects.exists()


def test_desk_actions_check_in_and_an_unknown_action_is_404(client, receptionist):
    start = timezone.now()
    appointment = AppointmentFactory(start=start, end=start + timedelta(minutes=20))
    client.force_login(receptionist)
    response = client.post(
        reverse("scheduling:act", args=[appointment.pk, "check-in"]), follow=True
    )
    appointment.refresh_from_db()
    assert appointment.status == S.CHECKED_IN
    assert "Checked in" in " ".join(_messages(response))
    again = client.post(reverse("scheduling:act", args=[appointment.pk, "check-in"]))
    assert again.status_code == 409 and "cannot become" in again.content.decode()
    assert (
        client.post(reverse("scheduling:act", args=[appointment.pk, "explode"])).status_code == 404
    )


def test_the_doctors_day_lists_their_appointments_and_completes(client):
    start = timezone.now()
    mine = AppointmentFactory(start=start, end=start + timedelta(minutes=20), status=S.CHECKED_IN)
    AppointmentFactory(start=start, end=start + timedelta(minutes=20))  # a colleague's
    doctor_user = mine.doctor.profile.user
    client.force_login(doctor_user)
    page = client.get(reverse("scheduling:doctor-day"))
    assert list(page.context["appointments"]) == [mine]
    assert reverse("scheduling:act", args=[mine.pk, "complete"]) in page.content.decode()
    client.post(reverse("scheduling:act", args=[mine.pk, "complete"]))
    mine.refresh_from_db()
    assert mine.status == S.COMPLETED
    tomorrow = client.get(reverse("scheduling:doctor-day"), {"day": "not-a-day"})
    assert tomorrow.context["day"] == timezone.localdate()


def test_a_doctor_role_without_a_doctor_profile_gets_404(client, make_user):
    client.force_login(make_user(roles=["doctor"]))
    assert client.get(reverse("scheduling:doctor-day")).status_code == 404


def test_the_portal_books_a_request_and_cancels_it(client, portal_patient, doctor):
    client.force_login(portal_patient.user)
    day = next_weekday_at(9, days_ahead=3).date()
    book_page = client.get(reverse("scheduling:portal-book"), {"doctor": doctor.pk, "day": day})
    first_slot = book_page.context["slots"][0]
    assert first_slot.start.isoformat() in book_page.content.decode()
    client.post(
        reverse("scheduling:book", args=[portal_patient.pk]),
        {"doctor": doctor.pk, "start": first_slot.start.isoformat(), "next": "/portal/"},
    )
    appointment = Appointment.objects.get()
    assert appointment.status == S.REQUESTED
    portal = client.get(reverse("scheduling:portal"))
    assert portal.context["rows"] == [(appointment, True)]
    client.post(reverse("scheduling:act", args=[appointment.pk, "cancel"]), {"reason": "Better"})
    appointment.refresh_from_db()
    assert appointment.status == S.CANCELLED


def test_the_portal_refuses_a_late_cancel_with_a_message(client, portal_patient):
    start = timezone.now() + timedelta(hours=2)
    soon = AppointmentFactory(
        patient=portal_patient, start=start, end=start + timedelta(minutes=20)
    )
    client.force_login(portal_patient.user)
    assert client.get(reverse("scheduling:portal")).context["rows"] == [(soon, False)]
    response = client.post(reverse("scheduling:act", args=[soon.pk, "cancel"]))
    assert response.status_code == 409 and "call the desk" in response.content.decode()
    soon.refresh_from_db()
    assert soon.status == S.SCHEDULED


def test_a_patient_role_without_a_record_gets_404(client, make_user):
    client.force_login(make_user(roles=["patient"]))
    assert client.get(reverse("scheduling:portal")).status_code == 404


def test_lists_cost_the_same_for_1_or_many_rows(client, receptionist, assert_constant_queries):
    start = timezone.now()

    def add_today():
        for minutes in range(0, 200, 20):
            at = start + timedelta(minutes=minutes)
            AppointmentFactory(start=at, end=at + timedelta(minutes=20))

    add_today()
    client.force_login(receptionist)
    assert_constant_queries(lambda: client.get(reverse("scheduling:desk")), add_today)


def test_the_doctors_day_costs_the_same_for_1_or_many_rows(client, assert_constant_queries):
    now = timezone.now()
    first = AppointmentFactory(start=now, end=now + timedelta(minutes=20))
    doctor = first.doctor
    client.force_login(doctor.profile.user)

    def add_rows():
        for minutes in range(20, 200, 20):
            at = first.start + timedelta(minutes=minutes)
            AppointmentFactory(doctor=doctor, start=at, end=at + timedelta(minutes=20))

    assert_constant_queries(lambda: client.get(reverse("scheduling:doctor-day")), add_rows)


def test_the_portal_costs_the_same_for_1_or_many_appointments(
    client, portal_patient, assert_constant_queries
):
    AppointmentFactory(patient=portal_patient)
    client.force_login(portal_patient.user)

    def add_rows():
        for days in range(3, 13):
            AppointmentFactory(patient=portal_patient, start=next_weekday_at(9, days_ahead=days))

    assert_constant_queries(lambda: client.get(reverse("scheduling:portal")), add_rows)


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
    assert clash.status_code == 409  # the slot is taken: a conflict, not bad input
    assert clash.json()["errors"] == [
        {"code": "doctor_busy", "detail": DOCTOR_BUSY, "attr": "start"}
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
    assert refused.status_code == 409
    doctor = api_client_for(appointment.doctor.profile.user)
    assert (
        doctor.post(f"/api/v1/appointments/{appointment.pk}/complete/").json()["status"]
        == "completed"
    )
    patient = api_client_for(portal_patient.user)
    late = patient.post(f"/api/v1/appointments/{appointment.pk}/cancel/", {"reason": "x"})
    assert late.status_code == 409
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


def test_the_dashboard_counts_todays_appointments_per_department(
    client, django_assert_max_num_queries
):
    cardio = DepartmentFactory(name="Cardiology")
    doctor = DoctorFactory(profile__department=cardio)
    now = timezone.now()
    for minutes, status in ((0, AppointmentStatus.SCHEDULED), (20, AppointmentStatus.CHECKED_IN)):
        start = now + timedelta(minutes=minutes)
        AppointmentFactory(
            doctor=doctor, start=start, end=start + timedelta(minutes=20), status=status
        )
    AppointmentFactory(doctor=doctor)  # tomorrow: not counted
    client.force_login(staff_user("nurse"))
    response = client.get(reverse("scheduling:dashboard"))
    row = next(row for row in response.context["rows"] if row["department"] == cardio)
    assert row["total"] == 2 and row["department"].doctors == 1
    assert row["counts"][list(AppointmentStatus.values).index("checked_in")] == 1


def test_patients_cannot_open_the_dashboard(client, portal_patient):
    client.force_login(portal_patient.user)
    assert client.get(reverse("scheduling:dashboard")).status_code == 403


def test_the_patient_page_offers_check_in_only_for_todays_visit(client, receptionist):
    now = timezone.now()
    today = AppointmentFactory(start=now + timedelta(minutes=30), end=now + timedelta(minutes=50))
    tomorrow = AppointmentFactory(
        patient=today.patient,
        start=now + timedelta(days=1),
        end=now + timedelta(days=1, minutes=20),
    )
    client.force_login(receptionist)
    page = client.get(reverse("scheduling:patient", args=[today.patient.pk])).content.decode()
    assert reverse("scheduling:act", args=[today.pk, "check-in"]) in page
    assert reverse("scheduling:act", args=[tomorrow.pk, "check-in"]) not in page
    # Neither has started: no "No-show" button yet either.
    assert reverse("scheduling:act", args=[today.pk, "no-show"]) not in page
