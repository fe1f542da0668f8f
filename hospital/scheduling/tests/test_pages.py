"""Scheduling's pages: booking from the desk, actions, the doctor's day, the portal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import next_weekday_at
from patients.tests.factories import PatientFactory
from scheduling.models import Appointment, AppointmentStatus
from scheduling.tests.factories import AppointmentFactory

S = AppointmentStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_desk_books_a_free_slot_and_sees_it_taken_after(client, receptionist, doctor, patient):
    client.force_login(receptionist)
    start = next_weekday_at(9, 20)
    detail = reverse("patients:detail", args=[patient.pk])
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
    again = client.post(
        reverse("scheduling:book", args=[someone_else.pk]),
        {**data, "next": "https://evil.example/"},
        follow=True,
    )
    assert again.redirect_chain[-1][0] == "/"  # an outside "next" is ignored
    assert "already has an appointment" in " ".join(_messages(again))
    assert Appointment.objects.count() == 1


def test_a_garbled_booking_is_a_message_not_a_500(client, receptionist, patient):
    client.force_login(receptionist)
    response = client.post(
        reverse("scheduling:book", args=[patient.pk]), {"doctor": "x", "start": "soon"}, follow=True
    )
    assert response.status_code == 200 and "Pick a slot" in " ".join(_messages(response))


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
    again = client.post(reverse("scheduling:act", args=[appointment.pk, "check-in"]), follow=True)
    assert "cannot become" in " ".join(_messages(again))
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
    response = client.post(reverse("scheduling:act", args=[soon.pk, "cancel"]), follow=True)
    assert "call the desk" in " ".join(_messages(response))
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
    assert_constant_queries(lambda: client.get(reverse("patients:desk")), add_today)


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
