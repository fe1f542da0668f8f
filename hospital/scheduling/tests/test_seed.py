"""The demo seed's volume option: `seed_demo --bulk N` for the load tests and benchmarks."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from clinical.models import Encounter
from patients.models import Patient
from patients.seed import BULK_DOMAIN
from scheduling.models import Appointment
from scheduling.seed import BULK_REASON
from shared.accounts.models import User
from shared.testing.clock import set_clock


def _assert_no_doctor_is_booked_twice_at_once():
    # What the PostgreSQL exclusion constraint guarantees, checked here so SQLite runs it too.
    previous = {}
    for doctor_id, start, end in (
        Appointment.objects.active().order_by("start").values_list("doctor_id", "start", "end")
    ):
        assert doctor_id not in previous or previous[doctor_id] <= start, (doctor_id, start)
        previous[doctor_id] = end


@pytest.mark.parametrize("hour", [0, 10, 11, 23])
def test_bulk_history_never_overlaps_the_demo_at_any_hour_or_on_a_later_day(db, monkeypatch, hour):
    clock = timezone.localtime().replace(hour=hour, minute=30, second=0, microsecond=0)
    set_clock(monkeypatch, clock, running=False)
    call_command("seed_demo", "--bulk", "30", stdout=io.StringIO())
    later = clock + timedelta(days=1, hours=5)  # and again, with more, another day
    set_clock(monkeypatch, later, running=False)
    call_command("seed_demo", "--bulk", "45", stdout=io.StringIO())
    assert Appointment.objects.filter(reason=BULK_REASON).count() == 45
    _assert_no_doctor_is_booked_twice_at_once()


def test_a_seed_a_week_later_on_the_same_database_skips_the_times_already_taken(db, monkeypatch):
    # Last week's visits (clinical.seed) fall on the day of the first run's demo visits.
    clock = timezone.localtime().replace(hour=10, minute=30, second=0, microsecond=0)
    set_clock(monkeypatch, clock, running=False)
    call_command("seed_demo", stdout=io.StringIO())
    set_clock(monkeypatch, clock + timedelta(days=7), running=False)
    call_command("seed_demo", stdout=io.StringIO())
    _assert_no_doctor_is_booked_twice_at_once()
    assert Appointment.objects.filter(start__date=clock.date(), reason="Tiredness").exists()


def test_bulk_adds_patients_and_their_past_appointments_once(db):
    call_command("seed_demo", "--bulk", "30", stdout=io.StringIO())
    demo_encounters = Encounter.objects.count()
    assert Patient.objects.filter(email__endswith=BULK_DOMAIN).count() == 30
    history = Appointment.objects.filter(reason=BULK_REASON)
    assert history.count() == 30
    assert set(history.values_list("patient__email", flat=True)) <= {
        f"patient{n}{BULK_DOMAIN}" for n in range(30)
    }
    call_command("seed_demo", "--bulk", "30", stdout=io.StringIO())
    assert Patient.objects.filter(email__endswith=BULK_DOMAIN).count() == 30
    assert history.count() == 30
    # The load-test history gets no clinical records: the demo's visits are unchanged.
    assert Encounter.objects.count() == demo_encounters


@pytest.mark.parametrize("hour, minute", [(0, 5), (7, 0), (11, 30), (16, 0), (23, 50)])
def test_the_demo_gives_every_role_something_to_do_at_any_hour(db, monkeypatch, hour, minute):
    clock = timezone.localtime().replace(hour=hour, minute=minute, second=0, microsecond=0)
    set_clock(monkeypatch, clock, running=False)  # the seed runs at that time of day
    call_command("seed_demo", stdout=io.StringIO())
    today = Appointment.objects.filter(start__date=timezone.localdate(), reason="Demo appointment")
    statuses = set(today.values_list("status", flat=True))
    # The desk checks someone in, the nurse and the doctor see a checked-in patient, and the
    # day already has a finished visit with its records and invoice.
    assert {"scheduled", "checked_in", "completed"} <= statuses, (hour, statuses)
    checked_in = today.get(status="checked_in")
    nurse = User.objects.get(email="nurse@hospital.example")
    assert Patient.objects.visible_to(nurse).filter(pk=checked_in.patient_id).exists()
    assert Encounter.objects.filter(appointment__in=today.filter(status="completed")).exists()
    portal = Patient.objects.get(user__email="patient@hospital.example")
    assert today.filter(patient=portal, status="scheduled").exists()
