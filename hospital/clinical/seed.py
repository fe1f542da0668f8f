"""The clinical app's demo data (``seed_demo``, called by core's `manage.py seed_demo`):
a finished visit for every completed appointment (plus a few visits last week, so the
charts are never empty whatever the hour), with vital signs, one corrected entry, a
prescription and a lab result.

Rows are written directly (like the seed's past appointments): the services refuse to
open an encounter for an appointment that is already completed. Safe to run again: an
appointment that already has its encounter is skipped.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clinical.models import (
    Encounter,
    LabOrder,
    LabResult,
    Observation,
    Prescription,
    PrescriptionItem,
    is_abnormal,
)
from core.roles import NURSE
from patients.models import Patient
from patients.seed import BULK_DOMAIN
from scheduling.models import Appointment, AppointmentStatus, AppointmentStatusChange
from scheduling.seed import is_free
from staff.models import Doctor
from staff.seed import demo_user

VITALS = [
    (Observation.Kind.TEMPERATURE, Decimal("37.1")),
    (Observation.Kind.HEART_RATE, Decimal("76")),
    (Observation.Kind.SYSTOLIC_BP, Decimal("128")),
    (Observation.Kind.DIASTOLIC_BP, Decimal("82")),
]


@transaction.atomic
def seed_demo() -> None:
    """Create the records of completed visits that have none yet."""
    nurse = demo_user(NURSE)
    _last_weeks_appointments(clerk=None)
    done = (
        Appointment.objects.filter(status=AppointmentStatus.COMPLETED, encounter__isnull=True)
        .exclude(patient__email__endswith=BULK_DOMAIN)  # load-test history has no records
        .select_related("patient", "doctor__profile__user")
        .order_by("start")
    )
    for appointment in done:
        _visit(appointment, nurse=nurse)


def _last_weeks_appointments(*, clerk) -> None:
    """One completed appointment per patient a week ago, each created once."""
    doctors = list(Doctor.objects.order_by("pk"))
    if not doctors:
        return
    day = timezone.localdate() - timedelta(days=7)
    first = timezone.make_aware(datetime.combine(day, time(10)))
    demo_patients = Patient.objects.exclude(email__endswith=BULK_DOMAIN).order_by("pk")[:6]
    for index, patient in enumerate(demo_patients):
        doctor = doctors[index % len(doctors)]
        start = first + timedelta(minutes=30 * index)
        end = start + timedelta(minutes=20)
        # Made already by an earlier run, or the time is taken (by the demo visits of a run
        # a week ago): nothing to add.
        if not is_free(doctor, patient, start, end):
            continue
        appointment = Appointment.objects.create(
            patient=patient,
            doctor=doctor,
            start=start,
            end=end,
            status=AppointmentStatus.COMPLETED,
            reason="Tiredness",
            booked_by=clerk,
        )
        AppointmentStatusChange.objects.create(
            appointment=appointment, to_status=AppointmentStatus.COMPLETED, note="seed"
        )


def _visit(appointment: Appointment, *, nurse) -> Encounter:
    doctor_user = appointment.doctor.profile.user
    start = appointment.start
    encounter = Encounter.objects.create(
        patient=appointment.patient,
        doctor=appointment.doctor,
        appointment=appointment,
        reason=appointment.reason or "Consultation",
        opened_at=start,
        closed_at=appointment.end,
        summary="Seen and examined. Follow up in two weeks.",
    )
    for minute, (kind, value) in enumerate(VITALS, start=2):
        Observation.objects.create(
            encounter=encounter,
            kind=kind,
            value=value,
            unit=Observation.UNITS[kind],
            recorded_by=nurse,
            recorded_at=start + timedelta(minutes=minute),
        )
    # One typo and its correction, so the chart shows a superseded entry.
    typo = Observation.objects.create(
        encounter=encounter,
        kind=Observation.Kind.WEIGHT,
        value=Decimal("7.8"),
        unit="kg",
        recorded_by=nurse,
        recorded_at=start + timedelta(minutes=7),
    )
    Observation.objects.create(
        encounter=encounter,
        kind=Observation.Kind.WEIGHT,
        value=Decimal("78"),
        unit="kg",
        recorded_by=nurse,
        recorded_at=start + timedelta(minutes=8),
        supersedes=typo,
        correction_reason="Decimal point in the wrong place",
    )
    Observation.objects.create(
        encounter=encounter,
        kind=Observation.Kind.NOTE,
        text="Complains of tiredness for three weeks. No fever.",
        recorded_by=doctor_user,
        recorded_at=start + timedelta(minutes=10),
    )
    prescription = Prescription.objects.create(
        encounter=encounter, prescribed_by=doctor_user, prescribed_at=start + timedelta(minutes=15)
    )
    PrescriptionItem.objects.create(
        prescription=prescription,
        drug="Ferrous sulfate",
        dose="200 mg",
        frequency="twice a day",
        duration_days=30,
    )
    order = LabOrder.objects.create(
        encounter=encounter,
        test_name="Haemoglobin",
        ordered_by=doctor_user,
        ordered_at=start + timedelta(minutes=12),
    )
    value, low, high = Decimal("10.9"), Decimal("12.0"), Decimal("16.0")
    LabResult.objects.create(
        order=order,
        value=value,
        unit="g/dL",
        reference_low=low,
        reference_high=high,
        abnormal=is_abnormal(value, low, high),
        entered_by=doctor_user,
        entered_at=appointment.end,
    )
    return encounter
