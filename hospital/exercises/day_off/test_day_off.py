"""Exercise "day_off" (hospital/EXERCISES.md): a doctor's day off, when no slot is offered
and every door refuses a booking.

These tests fail until the exercise is done. ``DayOff`` is looked up by name inside each
test (``apps.get_model``), so this file loads before the model exists.
"""

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import next_weekday_at
from scheduling import services
from scheduling.models import Appointment
from scheduling.slots import available_slots
from shared.errors import DomainError
from staff.tests.factories import DoctorFactory

pytestmark = [pytest.mark.exercise("day_off"), pytest.mark.django_db]
START = {"hour": 9, "minute": 20}


def day_off(doctor, day):
    return apps.get_model("staff", "DayOff").objects.create(doctor=doctor, day=day, reason="Leave")


def test_no_slot_is_offered_on_a_day_off_and_the_next_day_is_untouched(doctor):
    start = next_weekday_at(**START)
    day_off(doctor, start.date())
    assert available_slots(doctor, start.date()) == []
    assert len(available_slots(doctor, next_weekday_at(9, days_ahead=3).date())) == 9


def test_booking_on_a_day_off_is_refused_on_the_start_field(doctor, patient, receptionist):
    start = next_weekday_at(**START)
    day_off(doctor, start.date())
    with pytest.raises(DomainError) as refusal:
        services.book_appointment(patient=patient, doctor=doctor, start=start, by=receptionist)
    assert (refusal.value.field, refusal.value.code) == ("start", "day_off")
    assert not Appointment.objects.exists()


def test_a_doctor_has_one_day_off_per_day():
    doctor, day = DoctorFactory(), next_weekday_at(9).date()
    day_off(doctor, day)
    with pytest.raises(IntegrityError), transaction.atomic():
        day_off(doctor, day)


def test_the_api_offers_no_slots_and_refuses_the_booking(
    api_client_for, doctor, patient, receptionist
):
    start = next_weekday_at(**START)
    day_off(doctor, start.date())
    api = api_client_for(receptionist)
    slots = api.get(f"/api/v1/doctors/{doctor.pk}/slots/", {"day": start.date().isoformat()})
    assert slots.status_code == 200 and slots.json() == []
    body = {"patient": patient.pk, "doctor": doctor.pk, "start": start.isoformat(), "reason": ""}
    response = api.post("/api/v1/appointments/", body, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("start", "day_off")
    assert not Appointment.objects.exists()


def test_the_desk_page_refuses_the_booking_with_the_message(client, doctor, patient, receptionist):
    start = next_weekday_at(**START)
    day_off(doctor, start.date())
    client.force_login(receptionist)
    data = {"doctor": doctor.pk, "start": start.isoformat(), "reason": ""}
    response = client.post(reverse("scheduling:book", args=[patient.pk]), data)
    assert response.status_code == 400 and "day off" in response.content.decode()
    assert not Appointment.objects.exists()
