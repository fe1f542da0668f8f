"""available_slots: weekly availability minus active appointments."""

from datetime import time, timedelta

import pytest

from conftest import next_weekday_at
from scheduling.models import AppointmentStatus
from scheduling.slots import all_slots, available_slots, slot_at
from scheduling.tests.factories import AppointmentFactory
from staff.tests.factories import AvailabilityFactory, DoctorFactory

pytestmark = pytest.mark.django_db


def _times(slots):
    return [slot.start.strftime("%H:%M") for slot in slots]


def test_windows_are_cut_into_slots_and_bookings_removed():
    doctor = DoctorFactory()
    day = next_weekday_at(9).date()
    AvailabilityFactory(
        doctor=doctor, weekday=day.weekday(), start_time=time(9), end_time=time(10), slot_minutes=20
    )
    AvailabilityFactory(  # an afternoon window whose last 15 minutes do not make a slot
        doctor=doctor,
        weekday=day.weekday(),
        start_time=time(14),
        end_time=time(14, 45),
        slot_minutes=30,
    )
    AvailabilityFactory(doctor=doctor, weekday=(day.weekday() + 1) % 7)  # another weekday
    assert _times(all_slots(doctor, day)) == ["09:00", "09:20", "09:40", "14:00"]
    AppointmentFactory(doctor=doctor, start=next_weekday_at(9, 20))
    AppointmentFactory(  # a cancelled booking frees the slot
        doctor=doctor, start=next_weekday_at(9, 40), status=AppointmentStatus.CANCELLED
    )
    AppointmentFactory(  # an odd-length booking (made in the admin) blocks what it overlaps
        doctor=doctor,
        start=next_weekday_at(14, 10),
        end=next_weekday_at(14, 15),
    )
    assert _times(available_slots(doctor, day)) == ["09:00", "09:40"]


def test_slots_that_are_over_are_not_offered():
    doctor = DoctorFactory()
    start = next_weekday_at(9)
    AvailabilityFactory(doctor=doctor, weekday=start.weekday())
    now = start + timedelta(minutes=30)  # 09:30: the 09:20 slot is still running
    assert _times(available_slots(doctor, start.date(), now=now))[:2] == ["09:20", "09:40"]


def test_slot_at_finds_only_exact_slot_starts():
    doctor = DoctorFactory()
    start = next_weekday_at(9)
    AvailabilityFactory(doctor=doctor, weekday=start.weekday())
    assert slot_at(doctor, start + timedelta(minutes=20)).end == start + timedelta(minutes=40)
    assert slot_at(doctor, start + timedelta(minutes=5)) is None


def test_slot_computation_costs_two_queries(django_assert_num_queries):
    doctor = DoctorFactory()
    day = next_weekday_at(9).date()
    for hour in (9, 13, 15):
        AvailabilityFactory(
            doctor=doctor, weekday=day.weekday(), start_time=time(hour), end_time=time(hour + 1)
        )
    with django_assert_num_queries(2):
        assert len(available_slots(doctor, day)) == 9
