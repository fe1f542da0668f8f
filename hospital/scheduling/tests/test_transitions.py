"""The appointment status machine: allowed moves, who may make them, and their history."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from scheduling import services
from scheduling.models import TRANSITIONS, Appointment, AppointmentStatus, allowed_sources
from scheduling.tests.factories import AppointmentFactory
from staff.tests.factories import staff_user

S = AppointmentStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def _today(minutes_from_now: int = 0, **kwargs) -> Appointment:
    start = timezone.now() + timedelta(minutes=minutes_from_now)
    return AppointmentFactory(start=start, end=start + timedelta(minutes=20), **kwargs)


def test_the_table_has_a_row_for_every_status_and_only_known_targets():
    assert set(TRANSITIONS) == set(S.values)
    assert all(targets <= set(S.values) for targets in TRANSITIONS.values())
    assert allowed_sources(S.CANCELLED) == [S.REQUESTED, S.SCHEDULED]


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
    with pytest.raises(ValidationError):
        service(appointment=appointment, by=hospital_admin)
    appointment.refresh_from_db()
    assert appointment.status == status and not appointment.status_changes.exists()


def test_a_stale_copy_cannot_overwrite_a_newer_status(receptionist):
    appointment = _today(-5)
    stale = Appointment.objects.get(pk=appointment.pk)
    services.cancel_appointment(appointment=appointment, by=receptionist)
    with pytest.raises(ValidationError, match="just changed by someone else"):
        services.check_in(appointment=stale, by=receptionist)
    appointment.refresh_from_db()
    assert appointment.status == S.CANCELLED


def test_check_in_only_on_the_day(receptionist, nurse):
    tomorrow = AppointmentFactory()
    with pytest.raises(ValidationError, match="on the day"):
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
    with pytest.raises(ValidationError, match="up to 24 hours before"):
        services.cancel_appointment(appointment=soon, by=portal_patient.user)
    services.cancel_appointment(appointment=later, by=portal_patient.user)
    assert later.status == S.CANCELLED
    soon.refresh_from_db()
    assert soon.status == S.SCHEDULED


def test_no_show_only_after_the_start(receptionist):
    upcoming = _today(30)
    with pytest.raises(ValidationError, match="not started"):
        services.mark_no_show(appointment=upcoming, by=receptionist)
    started = _today(-5)
    services.mark_no_show(appointment=started, by=receptionist)
    assert started.status_changes.get().to_status == S.NO_SHOW
