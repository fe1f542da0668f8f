"""Use cases of scheduling: book, confirm, cancel, check in, complete, no-show, reminders.

Both doors (the pages in views.py and the API in api.py) call these functions. The
views decide what a user may *see* (``visible_to``, 404 otherwise); the services
decide what a user may *do* to what they see (PermissionDenied) and keep the rules,
refusing with ``DomainError`` (bad input, 400) or ``Conflict`` (the state refuses, 409).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.roles import DESK, DOCTOR, HOSPITAL_ADMIN, PATIENT
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
from shared.accounts.models import User
from shared.accounts.roles import user_has_role
from shared.errors import Conflict, DomainError
from shared.tasks.base import enqueue_on_commit
from shared.transitions import Transition
from staff.models import Doctor

S = AppointmentStatus
# The exclusion constraints of Appointment, and the message each one's violation gives.
BUSY = {
    "appointment_no_doctor_overlap": ("doctor_busy", DOCTOR_BUSY),
    "appointment_no_patient_overlap": ("patient_busy", PATIENT_BUSY),
}


class SlotTaken(Conflict):
    """The doctor, or the patient, already has an appointment at that time."""

    field = "start"


# A booking aborted by a deadlock (or a serialization failure) is tried this many times.
INSERT_ATTEMPTS = 3
# PostgreSQL's codes for "try the transaction again": deadlock, serialization failure.
RETRYABLE_SQLSTATES = {"40P01", "40001"}


def _is_transient_conflict(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def _refuse_overlaps(*, doctor: Doctor, patient: Patient, start: datetime, end: datetime) -> None:
    """The friendly half of "no double booking": the exclusion constraints are the guarantee."""
    others = Appointment.objects.active().overlapping(start, end)
    if others.filter(doctor=doctor).exists():
        raise SlotTaken(DOCTOR_BUSY, code="doctor_busy")
    if others.filter(patient=patient).exists():
        raise SlotTaken(PATIENT_BUSY, code="patient_busy")


def _is_own_portal_booking(user: User, patient: Patient) -> bool:
    return user_has_role(user, PATIENT) and patient.user_id == user.pk


def bookable_patients(user: User) -> QuerySet[Patient]:
    """The patients ``user`` may book for: the desk, anyone it sees; a patient, themselves.

    Both doors look the patient up in it, so anyone else gets a 404, as if it did not exist.
    """
    if user_has_role(user, *DESK):
        return Patient.objects.visible_to(user)
    if user_has_role(user, PATIENT):
        return Patient.objects.filter(user=user)
    return Patient.objects.none()


@transaction.atomic
def book_appointment(
    *,
    patient: Patient,
    doctor: Doctor,
    start: datetime,
    by: User,
    reason: str = "",
    client_ip: str | None = None,
) -> Appointment:
    """Book ``patient`` with ``doctor`` in the slot starting at ``start``.

    The desk books for anyone (status *scheduled*); a portal patient books for themselves
    (status *requested*, the desk confirms). The slot must be one of the doctor's and not over.

    No double booking, twice over: the overlap queries give the friendly
    refusal (on SQLite the IMMEDIATE transaction holds the write lock from its first
    statement, so no other booking can slip in between the check and the insert); on
    PostgreSQL the exclusion constraint is the guarantee, and its violation, when two
    bookings race past the check together, becomes the same refusal (409).
    """
    own_booking = _is_own_portal_booking(by, patient)
    if not (own_booking or user_has_role(by, *DESK)):
        raise PermissionDenied("Only the desk or the patient themselves can book.")
    slot = slot_at(doctor, start)
    if slot is None:
        raise DomainError(
            "That time is not one of the doctor's slots.", field="start", code="no_slot"
        )
    if slot.end <= timezone.now():
        raise Conflict("That slot is already over.", field="start", code="past")
    appointment = Appointment(
        patient=patient,
        doctor=doctor,
        start=slot.start,
        end=slot.end,
        status=S.REQUESTED if own_booking else S.SCHEDULED,
        reason=reason,
        booked_by=by,
    )
    appointment.clean_fields()  # the field rules (the reason's length)
    for attempt in range(1, INSERT_ATTEMPTS + 1):
        _refuse_overlaps(doctor=doctor, patient=patient, start=slot.start, end=slot.end)
        try:
            with transaction.atomic():  # a savepoint: a failed insert undoes only itself
                appointment.save()
            break
        except IntegrityError as exc:
            for constraint, (code, message) in BUSY.items():
                if constraint in str(exc):
                    raise SlotTaken(message, code=code) from exc
            raise
        except OperationalError as exc:
            # Two bookings of one patient with two doctors each wait, inside the other
            # exclusion constraint, for the other's insert: PostgreSQL breaks the deadlock
            # by aborting one. Rolled back to the savepoint, it tries again and now meets
            # the other booking as an ordinary overlap.
            if not _is_transient_conflict(exc):
                raise
            if attempt == INSERT_ATTEMPTS:
                raise Conflict(
                    "Someone else is booking this slot right now; reload and try again.",
                    field="start",
                    code="busy_retry",
                ) from exc
            appointment.pk = None
    AppointmentStatusChange.objects.create(
        appointment=appointment, from_status="", to_status=appointment.status, changed_by=by
    )
    log_access(
        user=by, patient=patient, action=AccessAction.WRITE, obj=appointment, client_ip=client_ip
    )
    return appointment


def _apply(appointment: Appointment, transition: Transition, **changes: object) -> bool:
    """The conditional UPDATE: True when the row was still in one of the sources."""
    updated = Appointment.objects.filter(pk=appointment.pk, status__in=transition.sources).update(
        status=transition.target, **changes
    )
    return updated == 1


def _transition(
    *,
    appointment: Appointment,
    action: str,
    by: User,
    note: str = "",
    client_ip: str | None = None,
) -> Appointment:
    """Apply ``TRANSITIONS[action]`` if the appointment's status allows it.

    The UPDATE is conditional on the transition's source statuses (compare-and-swap):
    when two people act at once, one wins and the other gets a clear 409, never a
    silent overwrite.
    """
    transition = TRANSITIONS[action]
    current = appointment.status
    if not transition.allowed_from(current):
        raise Conflict(
            f"A {S(current).label.lower()} appointment cannot become "
            f"{S(transition.target).label.lower()}.",
            code="invalid_transition",
        )
    if not _apply(appointment, transition):
        appointment.refresh_from_db(fields=["status"])
        raise Conflict(
            f"The appointment was just changed by someone else (it is now "
            f"{appointment.get_status_display().lower()}); reload and try again.",
            code="changed",
        )
    appointment.status = transition.target
    AppointmentStatusChange.objects.create(
        appointment=appointment,
        from_status=current,
        to_status=transition.target,
        changed_by=by,
        note=note,
    )
    log_access(
        user=by,
        patient=appointment.patient,
        action=AccessAction.WRITE,
        obj=appointment,
        client_ip=client_ip,
    )
    return appointment


@transaction.atomic
def confirm_appointment(
    *, appointment: Appointment, by: User, client_ip: str | None = None
) -> Appointment:
    """The desk confirms a patient's request: requested -> scheduled."""
    if not user_has_role(by, *DESK):
        raise PermissionDenied("Only the desk confirms requests.")
    return _transition(appointment=appointment, action="confirm", by=by, client_ip=client_ip)


def portal_cancel_deadline(appointment: Appointment) -> datetime:
    return appointment.start - timedelta(hours=settings.HOSPITAL_PORTAL_CANCEL_HOURS)


def can_cancel_online(appointment: Appointment, *, now: datetime | None = None) -> bool:
    """May the patient still cancel this from the portal?"""
    now = now or timezone.now()
    open_statuses = TRANSITIONS["cancel"].sources
    return appointment.status in open_statuses and now < portal_cancel_deadline(appointment)


@transaction.atomic
def cancel_appointment(
    *, appointment: Appointment, by: User, reason: str = "", client_ip: str | None = None
) -> Appointment:
    """Cancel, freeing the slot. The desk and the appointment's doctor may cancel any
    open appointment; a portal patient only their own, and only until
    ``HOSPITAL_PORTAL_CANCEL_HOURS`` before it starts."""
    is_doctor = user_has_role(by, DOCTOR) and appointment.doctor.profile.user_id == by.pk
    if not (user_has_role(by, *DESK) or is_doctor):
        if not _is_own_portal_booking(by, appointment.patient):
            raise PermissionDenied("You cannot cancel this appointment.")
        if timezone.now() >= portal_cancel_deadline(appointment):
            hours = settings.HOSPITAL_PORTAL_CANCEL_HOURS
            raise Conflict(
                f"Appointments can be cancelled online up to {hours} hours before; "
                "please call the desk.",
                code="too_late",
            )
    return _transition(
        appointment=appointment, action="cancel", by=by, note=reason[:200], client_ip=client_ip
    )


@transaction.atomic
def check_in(*, appointment: Appointment, by: User, client_ip: str | None = None) -> Appointment:
    """The patient has arrived: scheduled -> checked in, on the day of the appointment."""
    if not user_has_role(by, *DESK):
        raise PermissionDenied("Only the desk checks patients in.")
    if not appointment.is_today:
        raise Conflict(
            "Patients can only be checked in on the day of their appointment.", code="not_today"
        )
    return _transition(appointment=appointment, action="check_in", by=by, client_ip=client_ip)


@transaction.atomic
def complete(*, appointment: Appointment, by: User, client_ip: str | None = None) -> Appointment:
    """The doctor has seen the patient: checked in -> completed."""
    own = appointment.doctor.profile.user_id == getattr(by, "pk", None)
    if not (own or user_has_role(by, HOSPITAL_ADMIN)):
        raise PermissionDenied("Only the appointment's doctor completes it.")
    return _transition(appointment=appointment, action="complete", by=by, client_ip=client_ip)


@transaction.atomic
def mark_no_show(
    *, appointment: Appointment, by: User, client_ip: str | None = None
) -> Appointment:
    """The patient did not come: scheduled -> no-show, once the appointment has started."""
    if not user_has_role(by, *DESK):
        raise PermissionDenied("Only the desk marks no-shows.")
    if not appointment.has_started:
        raise Conflict(
            "An appointment that has not started yet cannot be a no-show.", code="not_started"
        )
    return _transition(appointment=appointment, action="no_show", by=by, client_ip=client_ip)


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
    """Queue the patient's reminder email, exactly once per appointment. True if queued.

    The claim is a conditional UPDATE (``reminder_sent_at IS NULL`` and still open):
    of two runs at once, only one updates the row. The email goes through the shared
    email task once this transaction commits; that task retries a failed send itself,
    and its idempotency key makes sure a retried or duplicated message sends once.
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
    enqueue_on_commit(
        "shared.send_templated_email",
        to=[appointment.patient.email],
        subject=f"Reminder: your appointment on {when:%d %b at %H:%M}",
        template="scheduling/email/reminder",
        # JSON-safe context only: the worker renders it from these strings.
        context={
            "first_name": appointment.patient.first_name,
            "doctor": str(appointment.doctor),
            "day": f"{when:%A %d %B %Y}",
            "time": f"{when:%H:%M}",
            "site_name": settings.SITE_NAME,
        },
        idempotency_key=f"appointment-reminder-{appointment.pk}",
    )
    return True


def sweep_no_shows(*, now: datetime | None = None) -> int:
    """Mark scheduled appointments that ended more than the grace period ago as no-shows.

    The sweep is not a person reading the record, so it leaves no access-log entry.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.HOSPITAL_NO_SHOW_GRACE_MINUTES)
    transition = TRANSITIONS["no_show"]
    marked = 0
    missed = Appointment.objects.filter(status__in=transition.sources, end__lt=cutoff)
    for appointment in missed.iterator():
        with transaction.atomic():
            if _apply(appointment, transition):
                AppointmentStatusChange.objects.create(
                    appointment=appointment,
                    from_status=appointment.status,
                    to_status=transition.target,
                    note="nightly sweep",
                )
                marked += 1
    return marked
