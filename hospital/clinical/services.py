"""Clinical use cases: open and close encounters, record and correct observations,
prescribe, order lab tests, record and correct their results.

Every function checks who may do it (the ``clinical.write_record`` permission, then
``clinical.access``), writes in one transaction, and records the write in the patient's
access log. Observations and results are never changed: a correction is a new row that
supersedes the old one (``_record_correction``, one mechanism for both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinical import access
from clinical.models import (
    AppendOnlyModel,
    Encounter,
    LabOrder,
    LabResult,
    Observation,
    Prescription,
    PrescriptionItem,
    is_abnormal,
)
from patients.models import AccessAction, Patient
from patients.services import log_access
from scheduling.models import Appointment, AppointmentStatus
from shared.accounts.models import User
from shared.errors import Conflict, DomainError
from shared.tasks.base import enqueue_on_commit
from staff.models import Doctor

Entry = TypeVar("Entry", bound=AppendOnlyModel)


class AlreadyCorrected(Conflict):
    """Only the latest entry of a chain can be corrected."""

    default_code = "already_corrected"


class EncounterClosed(Conflict):
    default_code = "encounter_closed"


class EncounterExists(Conflict):
    """A booked visit has exactly one encounter."""

    default_code = "encounter_exists"


# Values outside these bounds are typing mistakes, not patients (37.5 typed as 375).
PLAUSIBLE_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    Observation.Kind.TEMPERATURE: (Decimal("25"), Decimal("45")),
    Observation.Kind.HEART_RATE: (Decimal("20"), Decimal("250")),
    Observation.Kind.SYSTOLIC_BP: (Decimal("50"), Decimal("260")),
    Observation.Kind.DIASTOLIC_BP: (Decimal("20"), Decimal("160")),
    Observation.Kind.RESPIRATORY_RATE: (Decimal("4"), Decimal("70")),
    Observation.Kind.OXYGEN_SATURATION: (Decimal("50"), Decimal("100")),
    Observation.Kind.WEIGHT: (Decimal("0.3"), Decimal("400")),
    Observation.Kind.HEIGHT: (Decimal("20"), Decimal("250")),
}


def _log_write(*, by: User, patient: Patient, obj: object, client_ip: str | None) -> None:
    log_access(user=by, patient=patient, action=AccessAction.WRITE, obj=obj, client_ip=client_ip)


def _require_write(by: User, patient: Patient) -> None:
    """The permission under every chart write (clinical/rules.py): staff treating the patient."""
    if not by.has_perm("clinical.write_record", patient):
        raise PermissionDenied("Only staff treating this patient write into their record.")


def _require_open(encounter: Encounter, message: str = "This encounter is closed.") -> None:
    if not encounter.is_open:
        raise EncounterClosed(message)


def _record_correction(
    *, original: AppendOnlyModel, reason: str, noun: str, create: Callable[[str], Entry]
) -> Entry:
    """The one way an append-only entry is corrected: a new row that supersedes it.

    The reason is required; only the latest entry of a chain can be corrected, and the
    unique constraint on ``supersedes`` refuses a second correction of the same entry
    even when two people correct it at the same instant. ``create(reason)`` writes the row.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(f"Say why the {noun} is corrected.", field="reason", code="required")
    already = AlreadyCorrected(f"This {noun} was already corrected; correct the latest version.")
    # ``corrections`` is the reverse of each subclass's ``supersedes`` (the base cannot
    # declare it, so the type checker is told to trust it).
    if cast(Any, original).corrections.exists():
        raise already
    try:
        with transaction.atomic():  # a savepoint, so the outer transaction survives the error
            return create(reason)
    except IntegrityError:
        raise already from None


# --- Encounters ----------------------------------------------------------------------


@transaction.atomic
def open_encounter(
    *,
    by: User,
    patient: Patient,
    doctor: Doctor | None = None,
    appointment: Appointment | None = None,
    reason: str = "",
    client_ip: str | None = None,
) -> Encounter:
    """Open a visit. With an appointment, the patient must be checked in, and the
    appointment gets at most one encounter (a one-to-one column guarantees it)."""
    if appointment is not None:
        if appointment.patient_id != patient.pk:
            raise DomainError("This appointment belongs to another patient.", field="appointment")
        if appointment.status != AppointmentStatus.CHECKED_IN:
            raise Conflict(
                "The patient is not checked in for this appointment.",
                field="appointment",
                code="not_checked_in",
            )
        doctor = doctor or appointment.doctor
        if doctor.pk != appointment.doctor_id:
            raise DomainError("The appointment is with another doctor.", field="doctor")
    if doctor is None:
        raise DomainError("Choose the doctor who sees the patient.", field="doctor")
    _require_write(by, patient)
    if not access.can_open_encounter(by, patient=patient, doctor=doctor):
        raise PermissionDenied("Only the treating doctor or a nurse at triage opens an encounter.")
    try:
        with transaction.atomic():  # a savepoint, so the outer transaction survives the error
            encounter = Encounter.objects.create(
                patient=patient, doctor=doctor, appointment=appointment, reason=reason
            )
    except IntegrityError:
        raise EncounterExists(
            "This appointment already has an encounter.", field="appointment"
        ) from None
    _log_write(by=by, patient=patient, obj=encounter, client_ip=client_ip)
    return encounter


def encounter_for_appointment(
    *, by: User, appointment: Appointment, client_ip: str | None = None
) -> Encounter:
    """The encounter of a checked-in appointment, opened on first use (a nurse taking
    vitals at triage opens it; the doctor then finds it waiting)."""
    existing: Encounter | None = Encounter.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    try:
        return open_encounter(
            by=by, patient=appointment.patient, appointment=appointment, client_ip=client_ip
        )
    except EncounterExists:
        # Two people opened it at the same moment: the other one won, use theirs.
        winner: Encounter | None = Encounter.objects.filter(appointment=appointment).first()
        if winner is None:
            raise
        return winner


@transaction.atomic
def close_encounter(
    *, by: User, encounter: Encounter, summary: str = "", client_ip: str | None = None
) -> Encounter:
    """Close a visit (the treating doctor). Closing twice is refused, not repeated."""
    _require_write(by, encounter.patient)
    if not access.can_write_orders(by, encounter=encounter):
        raise PermissionDenied("Only the treating doctor closes the encounter.")
    now = timezone.now()
    # A conditional UPDATE: of two concurrent "close" clicks, exactly one changes the row.
    closed = Encounter.objects.filter(pk=encounter.pk, closed_at__isnull=True).update(
        closed_at=now, summary=summary
    )
    if not closed:
        raise EncounterClosed("This encounter is already closed.")
    encounter.closed_at, encounter.summary = now, summary
    _log_write(by=by, patient=encounter.patient, obj=encounter, client_ip=client_ip)
    return encounter


# --- Observations ----------------------------------------------------------------------


def _clean_observation(
    kind: str, value: Decimal | None, text: str
) -> tuple[Decimal | None, str, str]:
    """Validate one observation's content and return (value, unit, text)."""
    text = (text or "").strip()
    if kind not in Observation.Kind.values:
        raise DomainError(f"Unknown kind {kind!r}.", field="kind")
    if kind == Observation.Kind.NOTE:
        if not text:
            raise DomainError("A note needs some text.", field="text")
        if value is not None:
            raise DomainError("A note has no value; write it in the text.", field="value")
        return None, "", text
    unit = Observation.UNITS[Observation.Kind(kind)]
    if value is None:
        raise DomainError("A measurement needs a value.", field="value")
    low, high = PLAUSIBLE_RANGES[kind]
    if not low <= value <= high:
        raise DomainError(
            f"Expected between {low} and {high} {unit}; check the value.", field="value"
        )
    return value, unit, text


@transaction.atomic
def record_observation(
    *,
    by: User,
    encounter: Encounter,
    kind: str,
    value: Decimal | None = None,
    text: str = "",
    client_ip: str | None = None,
) -> Observation:
    """Record a vital sign or a note in an open encounter.

    Nurses record only for patients checked in (``access.can_record_observation``);
    the treating doctor may record too.
    """
    _require_write(by, encounter.patient)
    if not access.can_record_observation(by, encounter=encounter):
        raise PermissionDenied(
            "You may record observations only for patients checked in to your care."
        )
    _require_open(encounter, "This encounter is closed; new observations go into a new encounter.")
    value, unit, text = _clean_observation(kind, value, text)
    observation = Observation.objects.create(
        encounter=encounter, kind=kind, value=value, unit=unit, text=text, recorded_by=by
    )
    _log_write(by=by, patient=encounter.patient, obj=observation, client_ip=client_ip)
    return observation


@transaction.atomic
def correct_observation(
    *,
    by: User,
    original: Observation,
    reason: str,
    value: Decimal | None = None,
    text: str = "",
    client_ip: str | None = None,
) -> Observation:
    """Record a correction: a new observation of the same kind that supersedes ``original``,
    which stays in the chart's history."""
    encounter = original.encounter
    _require_write(by, encounter.patient)
    if not access.can_record_observation(by, encounter=encounter, correcting=True):
        raise PermissionDenied("You may not correct this patient's observations.")

    def create(reason: str) -> Observation:
        clean_value, unit, clean_text = _clean_observation(original.kind, value, text)
        return Observation.objects.create(
            encounter=encounter,
            kind=original.kind,
            value=clean_value,
            unit=unit,
            text=clean_text,
            recorded_by=by,
            supersedes=original,
            correction_reason=reason,
        )

    correction = _record_correction(original=original, reason=reason, noun="entry", create=create)
    _log_write(by=by, patient=encounter.patient, obj=correction, client_ip=client_ip)
    return correction


# --- Prescriptions ---------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    drug: str
    dose: str
    frequency: str
    duration_days: int


@transaction.atomic
def prescribe(
    *,
    by: User,
    encounter: Encounter,
    items: list[ItemInput],
    notes: str = "",
    client_ip: str | None = None,
) -> Prescription:
    """The treating doctor prescribes one or more drugs during an open encounter."""
    _require_write(by, encounter.patient)
    if not access.can_write_orders(by, encounter=encounter):
        raise PermissionDenied("Only the treating doctor prescribes.")
    _require_open(encounter)
    if not items:
        raise DomainError("A prescription needs at least one drug.", field="items")
    for index, item in enumerate(items):
        if item.duration_days < 1:
            raise DomainError(f"Item {index + 1}: the duration is at least one day.", field="items")
    prescription = Prescription.objects.create(encounter=encounter, prescribed_by=by, notes=notes)
    PrescriptionItem.objects.bulk_create(
        PrescriptionItem(
            prescription=prescription,
            drug=item.drug,
            dose=item.dose,
            frequency=item.frequency,
            duration_days=item.duration_days,
        )
        for item in items
    )
    _log_write(by=by, patient=encounter.patient, obj=prescription, client_ip=client_ip)
    return prescription


# --- Lab orders and results --------------------------------------------------------------


@transaction.atomic
def order_lab_test(
    *,
    by: User,
    encounter: Encounter,
    test_name: str,
    notes: str = "",
    client_ip: str | None = None,
) -> LabOrder:
    """The treating doctor orders a lab test during an open encounter."""
    _require_write(by, encounter.patient)
    if not access.can_write_orders(by, encounter=encounter):
        raise PermissionDenied("Only the treating doctor orders lab tests.")
    _require_open(encounter)
    test_name = (test_name or "").strip()
    if not test_name:
        raise DomainError("Name the test.", field="test_name")
    order = LabOrder.objects.create(
        encounter=encounter, test_name=test_name, notes=notes, ordered_by=by
    )
    _log_write(by=by, patient=encounter.patient, obj=order, client_ip=client_ip)
    return order


@dataclass(frozen=True)
class ResultInput:
    value: Decimal
    unit: str
    reference_low: Decimal | None = None
    reference_high: Decimal | None = None
    comment: str = ""


def _new_result(*, by: User, order: LabOrder, data: ResultInput, **extra: object) -> LabResult:
    low, high = data.reference_low, data.reference_high
    if low is not None and high is not None and low > high:
        raise DomainError("The upper bound is below the lower bound.", field="reference_high")
    if not (data.unit or "").strip():
        raise DomainError("Give the unit of the value.", field="unit")
    return LabResult.objects.create(
        order=order,
        value=data.value,
        unit=data.unit.strip(),
        reference_low=data.reference_low,
        reference_high=data.reference_high,
        abnormal=is_abnormal(data.value, data.reference_low, data.reference_high),
        comment=data.comment,
        entered_by=by,
        **extra,
    )


@transaction.atomic
def record_lab_result(
    *, by: User, order: LabOrder, data: ResultInput, client_ip: str | None = None
) -> LabResult:
    """Enter the result of an order; it is final at once, and the patient and the
    ordering doctor are told (by email, once the transaction commits)."""
    if not access.can_enter_lab_results(by, order=order):
        raise PermissionDenied("You may not enter results for this order.")
    # Lock the order: two people entering the same result queue up, and the second
    # one is told to correct instead of adding a rival result. The partial unique
    # constraint (one original result per order) is the guarantee behind the lock.
    LabOrder.objects.select_for_update().get(pk=order.pk)
    already = Conflict(
        "This order already has a result; record a correction instead.", code="has_result"
    )
    if order.results.exists():
        raise already
    try:
        with transaction.atomic():
            result = _new_result(by=by, order=order, data=data)
    except IntegrityError:
        raise already from None  # the partial unique constraint, if the lock was bypassed
    _log_write(by=by, patient=order.encounter.patient, obj=result, client_ip=client_ip)
    _notify_result(order=order, result=result, corrected=False)
    return result


@transaction.atomic
def correct_lab_result(
    *,
    by: User,
    original: LabResult,
    data: ResultInput,
    reason: str,
    client_ip: str | None = None,
) -> LabResult:
    """A corrected result supersedes the original, which stays in the history."""
    order = original.order
    if not access.can_enter_lab_results(by, order=order):
        raise PermissionDenied("You may not correct results for this order.")

    def create(reason: str) -> LabResult:
        return _new_result(
            by=by, order=order, data=data, supersedes=original, correction_reason=reason
        )

    result = _record_correction(original=original, reason=reason, noun="result", create=create)
    _log_write(by=by, patient=order.encounter.patient, obj=result, client_ip=client_ip)
    _notify_result(order=order, result=result, corrected=True)
    return result


def lab_result_recipients(order: LabOrder) -> list[str]:
    """The patient (their portal login, else the address on file) and the ordering doctor."""
    patient = order.encounter.patient
    own = patient.user.email if patient.user is not None else patient.email
    addresses = [own, order.ordered_by.email]
    return sorted({address for address in addresses if address})


def _notify_result(*, order: LabOrder, result: LabResult, corrected: bool) -> None:
    """Queue the "result ready" email once the transaction commits.

    The shared email task sends at most once per idempotency key (a unique row in
    ``SentEmail``), so a retried or duplicated task never emails twice. The key is per
    order for the first result and per correction for a corrected one.
    """
    recipients = lab_result_recipients(order)
    if not recipients:
        return
    key = f"lab-result-corrected-{result.pk}" if corrected else f"lab-result-ready-{order.pk}"
    enqueue_on_commit(
        "shared.send_templated_email",
        to=recipients,
        subject=f"Lab result {'corrected' if corrected else 'ready'}: {order.test_name}",
        template="clinical/email/lab_result_ready",
        # JSON-safe context only; no values: results are read in the portal, behind a login.
        context={
            "test_name": order.test_name,
            "ordered_on": f"{order.ordered_at:%d %B %Y}",
            "corrected": corrected,
        },
        idempotency_key=key,
    )
