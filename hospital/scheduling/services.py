"""Use cases of scheduling: book, confirm, cancel, check in, complete, no-show, reminders.

Both doors (the pages in views.py and the API in api.py) call these functions. The
views decide what a user may *see* (``visible_to``, 404 otherwise); the services
decide what a user may *do* to what they see (PermissionDenied) and keep the rules.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from patients.access import DESK_ROLES
from patients.models import AccessAction, Patient
from patients.services import log_access
from scheduling.models import (
    DOCTOR_BUSY,
    PATIENT_BUSY,
    TRANSITIONS,
    Appointment,
    AppointmentStatus,
    AppointmentStatusChange,
)
from scheduling.slots import slot_at
from shared.accounts.roles import user_has_role
from shared.tasks.email import render_email
from staff.models import Doctor

S = AppointmentStatus


def _is_own_portal_booking(user, patient: Patient) -> bool:
    return user_has_role(user, "patient") and patient.user_id == user.pk


def _friendly_integrity_error(exc: IntegrityError) -> ValidationError:
    """Turn a violated exclusion constraint (two bookings racing for one slot on PostgreSQL)
    into the same message the overlap check gives; anything else is a real bug, re-raised."""
    text = str(exc)
    if "appointment_no_doctor_overlap" in text:
        return ValidationError(DOCTOR_BUSY, code="doctor_busy")
    if "appointment_no_patient_overlap" in text:
        return ValidationError(PATIENT_BUSY, code="patient_busy")
    raise exc


@transaction.atomic
def book_appointment(
    *,
    patient: Patient,
    doctor: Doctor,
    start: datetime,
    by,
    reason: str = "",
    request=None,
) -> Appointment:
    """Book ``patient`` with ``doctor`` in the slot starting at ``start``.

    The desk books for anyone (status *scheduled*); a portal patient books for themselves
    (status *requested*, the desk confirms). The slot must be one of the doctor's and not over.

    No double booking, twice over: ``full_clean`` runs the overlap query for the friendly
    message (on SQLite the IMMEDIATE transaction holds the write lock from its first
    statement, so no other booking can slip in between the check and the insert); on
    PostgreSQL the exclusion constraint is the guarantee, and its violation, when two
    bookings race past the check together, becomes the same message.
    """
    own_booking = _is_own_portal_booking(by, patient)
    if not (own_booking or user_has_role(by, *DESK_ROLES)):
        raise PermissionDenied("Only the desk or the patient themselves can book.")
    slot = slot_at(doctor, start)
    if slot is None:
        raise ValidationError(
            {"start": "That time is not one of the doctor's slots."}, code="no_slot"
        )
    if slot.end <= timezone.now():
        raise ValidationError({"start": "That slot is already over."}, code="past")
    appointment = Appointment(
        patient=patient,
        doctor=doctor,
        start=slot.start,
        end=slot.end,
        status=S.REQUESTED if own_booking else S.SCHEDULED,
        reason=reason,
        booked_by=by,
    )
    appointment.full_clean()
    try:
        with transaction.atomic():  # a savepoint: a violated constraint undoes only the insert
            appointment.save()
    except IntegrityError as exc:
        raise _friendly_integrity_error(exc) from exc
    AppointmentStatusChange.objects.create(
        appointment=appointment, from_status="", to_status=appointment.status, changed_by=by
    )
    log_access(
        user=by, patient=patient, action=AccessAction.WRITE, obj=appointment, request=request
    )
    return appointment


def _transition(
    *, appointment: Appointment, to: str, by, note: str = "", request=None, **changes
) -> Appointment:
    """Move ``appointment`` to status ``to`` if the table allows it from its current status.

    The UPDATE is conditional on the status we read (compare-and-swap): when two people
    act at once, one wins and the other gets a clear error, never a silent overwrite.
    """
    current = appointment.status
    if to not in TRANSITIONS[current]:
        raise ValidationError(
            f"A {S(current).label.lower()} appointment cannot become {S(to).label.lower()}.",
            code="invalid_transition",
        )
    updated = Appointment.objects.filter(pk=appointment.pk, status=current).update(
        status=to, **changes
    )
    if updated != 1:
        appointment.refresh_from_db(fields=["status"])
        raise ValidationError(
            f"The appointment was just changed by someone else (it is now "
            f"{appointment.get_status_display().lower()}); reload and try again.",
            code="conflict",
        )
    appointment.status = to
    for field, value in changes.items():
        setattr(appointment, field, value)
    AppointmentStatusChange.objects.create(
        appointment=appointment, from_status=current, to_status=to, changed_by=by, note=note
    )
    log_access(
        user=by,
        patient=appointment.patient,
        action=AccessAction.WRITE,
        obj=appointment,
        request=request,
    )
    return appointment


@transaction.atomic
def confirm_appointment(*, appointment: Appointment, by, request=None) -> Appointment:
    """The desk confirms a patient's request: requested -> scheduled."""
    if not user_has_role(by, *DESK_ROLES):
        raise PermissionDenied("Only the desk confirms requests.")
    return _transition(appointment=appointment, to=S.SCHEDULED, by=by, request=request)


def portal_cancel_deadline(appointment: Appointment) -> datetime:
    return appointment.start - timedelta(hours=settings.HOSPITAL_PORTAL_CANCEL_HOURS)


def can_cancel_online(appointment: Appointment, *, now: datetime | None = None) -> bool:
    """May the patient still cancel this from the portal?"""
    now = now or timezone.now()
    open_statuses = (S.REQUESTED, S.SCHEDULED)
    return appointment.status in open_statuses and now < portal_cancel_deadline(appointment)


@transaction.atomic
def cancel_appointment(
    *, appointment: Appointment, by, reason: str = "", request=None
) -> Appointment:
    """Cancel, freeing the slot. The desk and the appointment's doctor may cancel any
    open appointment; a portal patient only their own, and only until
    ``HOSPITAL_PORTAL_CANCEL_HOURS`` before it starts."""
    is_doctor = user_has_role(by, "doctor") and appointment.doctor.profile.user_id == by.pk
    if not (user_has_role(by, *DESK_ROLES) or is_doctor):
        if not _is_own_portal_booking(by, appointment.patient):
            raise PermissionDenied("You cannot cancel this appointment.")
        if timezone.now() >= portal_cancel_deadline(appointment):
            hours = settings.HOSPITAL_PORTAL_CANCEL_HOURS
            raise ValidationError(
                f"Appointments can be cancelled online up to {hours} hours before; "
                "please call the desk.",
                code="too_late",
            )
    return _transition(
        appointment=appointment, to=S.CANCELLED, by=by, note=reason[:200], request=request
    )


@transaction.atomic
def check_in(*, appointment: Appointment, by, request=None) -> Appointment:
    """The patient has arrived: scheduled -> checked in, on the day of the appointment."""
    if not user_has_role(by, *DESK_ROLES):
        raise PermissionDenied("Only the desk checks patients in.")
    if timezone.localdate(appointment.start) != timezone.localdate():
        raise ValidationError("Patients can only be checked in on the day of their appointment.")
    return _transition(appointment=appointment, to=S.CHECKED_IN, by=by, request=request)


@transaction.atomic
def complete(*, appointment: Appointment, by, request=None) -> Appointment:
    """The doctor has seen the patient: checked in -> completed."""
    own = appointment.doctor.profile.user_id == getattr(by, "pk", None)
    if not (own or user_has_role(by, "hospital_admin")):
        raise PermissionDenied("Only the appointment's doctor completes it.")
    return _transition(appointment=appointment, to=S.COMPLETED, by=by, request=request)


@transaction.atomic
def mark_no_show(*, appointment: Appointment, by=None, request=None) -> Appointment:
    """The patient did not come: scheduled -> no-show, once the appointment has started.
    ``by=None`` is the nightly sweep."""
    if by is not None and not user_has_role(by, *DESK_ROLES):
        raise PermissionDenied("Only the desk marks no-shows.")
    if appointment.start > timezone.now():
        raise ValidationError("An appointment that has not started yet cannot be a no-show.")
    if by is None:
        # The sweep is not a person reading the record, so it leaves no access-log entry.
        return _transition_quietly(appointment=appointment, to=S.NO_SHOW)
    return _transition(appointment=appointment, to=S.NO_SHOW, by=by, request=request)


def _transition_quietly(*, appointment: Appointment, to: str) -> Appointment:
    current = appointment.status
    if to not in TRANSITIONS[current]:
        return appointment
    updated = Appointment.objects.filter(pk=appointment.pk, status=current).update(status=to)
    if updated == 1:
        AppointmentStatusChange.objects.create(
            appointment=appointment, from_status=current, to_status=to, note="nightly sweep"
        )
        appointment.status = to
    return appointment


# --- Jobs --------------------------------------------------------------------------


def due_reminder_ids(*, now: datetime | None = None) -> list[int]:
    """Open appointments starting within the reminder window that were not reminded yet."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.HOSPITAL_REMINDER_HOURS)
    return list(
        Appointment.objects.filter(
            status__in=[S.REQUESTED, S.SCHEDULED],
            reminder_sent_at__isnull=True,
            start__gt=now,
            start__lte=horizon,
        )
        .exclude(patient__email="")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def send_reminder(*, appointment_id: int) -> bool:
    """Email the patient a reminder, exactly once per appointment. Returns True if sent.

    The claim is a conditional UPDATE (``reminder_sent_at IS NULL`` and still open):
    of two runs at once, only one updates the row. The email goes out inside the same
    transaction, so if sending fails the claim rolls back and a retry sends it.
    """
    claimed = Appointment.objects.filter(
        pk=appointment_id,
        reminder_sent_at__isnull=True,
        status__in=[S.REQUESTED, S.SCHEDULED],
    ).update(reminder_sent_at=timezone.now())
    if claimed != 1:
        return False  # already reminded, cancelled, or gone
    appointment = Appointment.objects.with_people().get(pk=appointment_id)
    if not appointment.patient.email:
        return False
    when = timezone.localtime(appointment.start)
    render_email(
        to=[appointment.patient.email],
        subject=f"Reminder: your appointment on {when:%d %b at %H:%M}",
        template="scheduling/email/reminder",
        context={"appointment": appointment, "site_name": settings.SITE_NAME},
    ).send()
    return True


def sweep_no_shows(*, now: datetime | None = None) -> int:
    """Mark scheduled appointments that ended more than the grace period ago as no-shows."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.HOSPITAL_NO_SHOW_GRACE_MINUTES)
    marked = 0
    missed = Appointment.objects.filter(status=S.SCHEDULED, end__lt=cutoff).select_related(
        "patient"
    )
    for appointment in missed.iterator():
        with transaction.atomic():
            if _transition_quietly(appointment=appointment, to=S.NO_SHOW).status == S.NO_SHOW:
                marked += 1
    return marked
