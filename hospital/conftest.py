"""Fixtures every hospital test module may use (the shared plugin adds make_user, clients...)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from patients.tests.factories import PatientFactory, PortalPatientFactory
from shared.testing.clock import set_clock
from staff.tests.factories import AvailabilityFactory, DoctorFactory, staff_user


def next_weekday_at(hour: int, minute: int = 0, *, days_ahead: int = 2) -> datetime:
    """An aware datetime ``days_ahead`` days from today at hour:minute (local time)."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def at_noon(monkeypatch):
    """Run the test as if it started at noon today (the clock still moves).

    Tests about "today" (check in on the day, today's desk list, a nurse's patients of
    the day) put appointments a few minutes before or after now; run just before
    midnight, "a few minutes after now" would be tomorrow. Django code reads the clock
    through ``timezone.now()`` and the models' ``default=timezone.now``; ``set_clock``
    (shared/testing/clock.py) moves both.
    """
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    return set_clock(monkeypatch, noon)


@pytest.fixture
def doctor(db):
    """A doctor available every day 09:00-12:00 in 20-minute slots."""
    doctor = DoctorFactory()
    for weekday in range(7):
        AvailabilityFactory(doctor=doctor, weekday=weekday)
    return doctor


@pytest.fixture
def receptionist(db):
    return staff_user("receptionist")


@pytest.fixture
def nurse(db):
    return staff_user("nurse")


@pytest.fixture
def hospital_admin(db):
    return staff_user("hospital_admin")


@pytest.fixture
def patient(db):
    return PatientFactory()


@pytest.fixture
def portal_patient(db):
    return PortalPatientFactory()
