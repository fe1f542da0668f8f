"""Exercise "daily_limit" (hospital/EXERCISES.md): a patient holds at most
``scheduling.services.MAX_APPOINTMENTS_PER_DAY`` active appointments on one day, and the
limit holds when eight desks book the same patient at the same instant.

These tests fail until the exercise is done. The last one is the race test: it runs on
PostgreSQL only (``make exercise P=hospital E=daily_limit SERVICES=1``). "Count, then
insert" passes every other test and fails that one: eight transactions all count 0.
"""

import pytest
from django.urls import reverse

from conftest import next_weekday_at
from scheduling import services
from scheduling.models import Appointment
from shared.errors import Conflict
from staff.tests.factories import staff_user

pytestmark = pytest.mark.exercise("daily_limit")
DESKS = 8
# Eight of the doctor fixture's 20-minute slots (09:00-12:00), none overlapping.
SLOTS = [(9, 0), (9, 20), (9, 40), (10, 0), (10, 20), (10, 40), (11, 0), (11, 20)]


def book(patient, doctor, by, hour, minute, days_ahead=2):
    start = next_weekday_at(hour, minute, days_ahead=days_ahead)
    return services.book_appointment(patient=patient, doctor=doctor, start=start, by=by)


@pytest.mark.django_db
def test_the_limit_is_two_a_day_and_the_third_is_a_conflict_on_start(doctor, patient, receptionist):
    assert services.MAX_APPOINTMENTS_PER_DAY == 2
    book(patient, doctor, receptionist, 9, 0)
    book(patient, doctor, receptionist, 10, 0)
    with pytest.raises(Conflict) as refusal:
        book(patient, doctor, receptionist, 11, 0)
    assert (refusal.value.field, refusal.value.code) == ("start", "daily_limit")
    book(patient, doctor, receptionist, 11, 0, days_ahead=3)  # another day: fine
    assert Appointment.objects.filter(patient=patient).count() == 3


@pytest.mark.django_db
def test_a_cancelled_appointment_gives_its_place_back(doctor, patient, receptionist, monkeypatch):
    monkeypatch.setattr(services, "MAX_APPOINTMENTS_PER_DAY", 1)
    first = book(patient, doctor, receptionist, 9, 0)
    services.cancel_appointment(appointment=first, by=receptionist, reason="Moved")
    book(patient, doctor, receptionist, 10, 0)
    assert Appointment.objects.active().filter(patient=patient).count() == 1


@pytest.mark.django_db
def test_the_api_answers_409_naming_the_start(
    api_client_for, doctor, patient, receptionist, monkeypatch
):
    monkeypatch.setattr(services, "MAX_APPOINTMENTS_PER_DAY", 1)
    book(patient, doctor, receptionist, 9, 0)
    start = next_weekday_at(10)
    body = {"patient": patient.pk, "doctor": doctor.pk, "start": start.isoformat(), "reason": ""}
    response = api_client_for(receptionist).post("/api/v1/appointments/", body, format="json")
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("start", "daily_limit")
    assert Appointment.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db
def test_the_desk_page_answers_409_with_the_message(
    client, doctor, patient, receptionist, monkeypatch
):
    monkeypatch.setattr(services, "MAX_APPOINTMENTS_PER_DAY", 1)
    book(patient, doctor, receptionist, 9, 0)
    client.force_login(receptionist)
    data = {"doctor": doctor.pk, "start": next_weekday_at(10).isoformat(), "reason": ""}
    response = client.post(reverse("scheduling:book", args=[patient.pk]), data)
    assert (
        response.status_code == 409 and "the most one patient may hold" in response.content.decode()
    )
    assert Appointment.objects.filter(patient=patient).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_desks_booking_one_patient_at_once_give_exactly_the_limit(
    doctor, patient, concurrently
):
    desks = [staff_user("receptionist") for _ in range(DESKS)]
    outcomes = concurrently(
        *(
            lambda desk=desk, slot=slot: book(patient, doctor, desk, *slot)
            for desk, slot in zip(desks, SLOTS, strict=True)
        )
    )
    booked = [outcome.value for outcome in outcomes if outcome.error is None]
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(booked) == services.MAX_APPOINTMENTS_PER_DAY, errors
    assert all(isinstance(error, Conflict) and error.code == "daily_limit" for error in errors)
    assert Appointment.objects.filter(patient=patient).count() == services.MAX_APPOINTMENTS_PER_DAY
