"""Clinical use cases: open and close encounters, record and correct observations,
prescribe, order lab tests, record and correct their results.

Every function checks who may do it (``clinical.access``), writes in one
transaction, and records the write in the patient's access log. Observations and
results are never changed: a correction is a new row that supersedes the old one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from clinical import access
from clinical.models import (
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
from shared.tasks.base import enqueue_on_commit
from shared.tasks.email import send_templated_email
from staff.models import Doctor

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


def _log_write(*, by, patient: Patient, obj, request: HttpRequest | None) -> None:
    log_access(user=by, patient=patient, action=AccessAction.WRITE, obj=obj, request=request)


# --- Encounters ----------------------------------------------------------------------


@transaction.atomic
def open_encounter(
    *,
    by,
    patient: Patient,
    doctor: Doctor | None = None,
    appointment: Appointment | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Encounter:
    """Open a visit. With an appointment, the patient must be checked in, and the
    appointment gets at most one encounter (a one-to-one column guarantees it)."""
    if appointment is not None:
        if appointment.patient_id != patient.pk:
            raise ValidationError({"appointment": "This appointment belongs to another patient."})
        if appointment.status != AppointmentStatus.CHECKED_IN:
            raise ValidationError(
                {"appointment": "The patient is not checked in for this appointment."}
            )
        doctor = doctor or appointment.doctor
        if doctor.pk != appointment.doctor_id:
            raise ValidationError({"doctor": "The appointment is with another doctor."})
    if doctor is None:
        raise ValidationError({"doctor": "Choose the doctor who sees the patient."})
    if not access.can_open_encounter(by, patient=patient, doctor=doctor):
        raise PermissionDenied("Only the treating doctor or a nurse at triage opens an encounter.")
    try:
        with transaction.atomic():  # a savepoint, so the outer transaction survives the error
            encounter = Encounter.objects.create(
                patient=patient, doctor=doctor, appointment=appointment, reason=reason
            )
    except IntegrityError:
        raise ValidationError(
            {"appointment": "This appointment already has an encounter."}
        ) from None
    _log_write(by=by, patient=patient, obj=encounter, request=request)
    return encounter


def encounter_for_appointment(
    *, by, appointment: Appointment, request: HttpRequest | None = None
) -> Encounter:
    """The encounter of a checked-in appointment, opened on first use (a nurse taking
    vitals at triage opens it; the doctor then finds it waiting)."""
    existing = Encounter.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    try:
        return open_encounter(
            by=by, patient=appointment.patient, appointment=appointment, request=request
        )
    except ValidationError:
        # Two people opened it at the same moment: the other one won, use theirs.
        existing = Encounter.objects.filter(appointment=appointment).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def close_encounter(
    *, by, encounter: Encounter, summary: str = "", request: HttpRequest | None = None
) -> Encounter:
    """Close a visit (the treating doctor). Closing twice is refused, not repeated."""
    if not access.can_write_orders(by, encounter=encounter):
        raise PermissionDenied("Only the treating doctor closes the encounter.")
    now = timezone.now()
    # A conditional UPDATE: of two concurrent "close" clicks, exactly one changes the row.
    closed = Encounter.objects.filter(pk=encounter.pk, closed_at__isnull=True).update(
        closed_at=now, summary=summary
    )
    if not closed:
        raise ValidationError("This encounter is already closed.")
    encounter.closed_at, encounter.summary = now, summary
    _log_write(by=by, patient=encounter.patient, obj=encounter, request=request)
    return encounter


# --- Observations ----------------------------------------------------------------------


def _clean_observation(
    kind: str, value: Decimal | None, text: str
) -> tuple[Decimal | None, str, str]:
    """Validate one observation's content and return (value, unit, text)."""
    text = (text or "").strip()
    if kind not in Observation.Kind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."})
    if kind == Observation.Kind.NOTE:
        if not text:
            raise ValidationError({"text": "A note needs some text."})
        if value is not None:
            raise ValidationError({"value": "A note has no value; write it in the text."})
        return None, "", text
    if value is None:
        raise ValidationError({"value": "A measurement needs a value."})
    low, high = PLAUSIBLE_RANGES[kind]
    if not low <= value <= high:
        unit = Observation.UNITS[kind]
        raise ValidationError(
            {"value": f"Expected between {low} and {high} {unit}; check the value."}
        )
    return value, Observation.UNITS[kind], text


@transaction.atomic
def record_observation(
    *,
    by,
    encounter: Encounter,
    kind: str,
    value: Decimal | None = None,
    text: str = "",
    request: HttpRequest | None = None,
) -> Observation:
    """Record a vital sign or a note in an open encounter.

    Nurses record only for patients checked in (``access.can_record_observation``);
    the treating doctor may record too.
    """
    if not access.can_record_observation(by, encounter=encounter):
        raise PermissionDenied(
            "You may record observations only for patients checked in to your care."
        )
    if not encounter.is_open:
        raise ValidationError("This encounter is closed; new observations go into a new encounter.")
    value, unit, text = _clean_observation(kind, value, text)
    observation = Observation.objects.create(
        encounter=encounter, kind=kind, value=value, unit=unit, text=text, recorded_by=by
    )
    _log_write(by=by, patient=encounter.patient, obj=observation, request=request)
    return observation


@transaction.atomic
def correct_observation(
    *,
    by,
    original: Observation,
    reason: str,
    value: Decimal | None = None,
    text: str = "",
    request: HttpRequest | None = None,
) -> Observation:
    """Record a correction: a new observation of the same kind that supersedes ``original``.

    The original stays in the chart's history. Only the latest entry of a chain can
    be corrected; the unique constraint on ``supersedes`` refuses a second
    correction of the same entry, even from two nurses at the same instant.
    """
    encounter = original.encounter
    if not access.can_record_observation(by, encounter=encounter, correcting=True):
        raise PermissionDenied("You may not correct this patient's observations.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the entry is corrected."})
    if original.corrections.exists():
        raise ValidationError("This entry was already corrected; correct the latest version.")
    value, unit, text = _clean_observation(original.kind, value, text)
    try:
        with transaction.atomic():
            correction = Observation.objects.create(
                encounter=encounter,
                kind=original.kind,
                value=value,
                unit=unit,
                text=text,
                recorded_by=by,
                supersedes=original,
                correction_reason=reason,
            )
    except IntegrityError:
        raise ValidationError(
            "This entry was already corrected; correct the latest version."
        ) from None
    _log_write(by=by, patient=encounter.patient, obj=correction, request=request)
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
    by,
    encounter: Encounter,
    items: list[ItemInput],
    notes: str = "",
    request: HttpRequest | None = None,
) -> Prescription:
    """The treating doctor prescribes one or more drugs during an open encounter."""
    if not access.can_write_orders(by, encounter=encounter):
        raise PermissionDenied("Only the treating doctor prescribes.")
    if not encounter.is_open:
        raise ValidationError("This encounter is closed.")
    if not items:
        raise ValidationError({"items": "A prescription needs at least one drug."})
    for index, item in enumerate(items):
        if item.duration_days < 1:
            raise ValidationError({"items": f"Item {index + 1}: the duration is at least one day."})
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
    _log_write(by=by, patient=encounter.patient, obj=prescription, request=request)
    return prescription


# --- Lab orders and results --------------------------------------------------------------


@transaction.atomic
def order_lab_test(
    *,
    by,
    encounter: Encounter,
    test_name: str,
    notes: str = "",
    request: HttpRequest | None = None,
) -> LabOrder:
    if not access.can_write_orders(by, encounter=encounter):
        raise PermissionDenied("Only the treating doctor orders lab tests.")
    if not encounter.is_open:
        raise ValidationError("This encounter is closed.")
    test_name = (test_name or "").strip()
    if not test_name:
        raise ValidationError({"test_name": "Name the test."})
    order = LabOrder.objects.create(
        encounter=encounter, test_name=test_name, notes=notes, ordered_by=by
    )
    _log_write(by=by, patient=encounter.patient, obj=order, request=request)
    return order


@dataclass(frozen=True)
class ResultInput:
    value: Decimal
    unit: str
    reference_low: Decimal | None = None
    reference_high: Decimal | None = None
    comment: str = ""


def _new_result(*, by, order: LabOrder, data: ResultInput, **extra) -> LabResult:
    low, high = data.reference_low, data.reference_high
    if low is not None and high is not None and low > high:
        raise ValidationError({"reference_high": "The upper bound is below the lower bound."})
    if not (data.unit or "").strip():
        raise ValidationError({"unit": "Give the unit of the value."})
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
    *, by, order: LabOrder, data: ResultInput, request: HttpRequest | None = None
) -> LabResult:
    """Enter the result of an order; it is final at once, and the patient and the
    ordering doctor are told (by email, once the transaction commits)."""
    if not access.can_enter_lab_results(by, order=order):
        raise PermissionDenied("You may not enter results for this order.")
    # Lock the order: two people entering the same result queue up, and the second
    # one is told to correct instead of adding a rival result. The partial unique
    # constraint (one original result per order) is the guarantee behind the lock.
    LabOrder.objects.select_for_update().get(pk=order.pk)
    already = ValidationError("This order already has a result; record a correction instead.")
    if order.results.exists():
        raise already
    try:
        with transaction.atomic():
            result = _new_result(by=by, order=order, data=data)
    except IntegrityError:
        raise already from None  # the partial unique constraint, if the lock was bypassed
    _log_write(by=by, patient=order.encounter.patient, obj=result, request=request)
    _notify_result(order=order, result=result, corrected=False)
    return result


@transaction.atomic
def correct_lab_result(
    *,
    by,
    original: LabResult,
    data: ResultInput,
    reason: str,
    request: HttpRequest | None = None,
) -> LabResult:
    """A corrected result supersedes the original, which stays in the history."""
    order = original.order
    if not access.can_enter_lab_results(by, order=order):
        raise PermissionDenied("You may not correct results for this order.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the result is corrected."})
    if original.corrections.exists():
        raise ValidationError("This result was already corrected; correct the latest version.")
    try:
        with transaction.atomic():
            result = _new_result(
                by=by, order=order, data=data, supersedes=original, correction_reason=reason
            )
    except IntegrityError:
        raise ValidationError(
            "This result was already corrected; correct the latest version."
        ) from None
    _log_write(by=by, patient=order.encounter.patient, obj=result, request=request)
    _notify_result(order=order, result=result, corrected=True)
    return result


def lab_result_recipients(order: LabOrder) -> list[str]:
    """The patient (their portal login, else the address on file) and the ordering doctor."""
    patient = order.encounter.patient
    addresses = [patient.user.email if patient.user_id else patient.email, order.ordered_by.email]
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
        send_templated_email,
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
