"""Scheduling's demo data: today's appointments for every doctor, and in bulk the appointment
history a load test lists. Safe to run again.

Written directly, not through book_appointment: some are in the past, which the service
refuses to book.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.roles import RECEPTIONIST
from patients.models import Patient
from patients.seed import BULK_DOMAIN
from scheduling.models import Appointment, AppointmentStatus, AppointmentStatusChange
from staff.models import Doctor
from staff.seed import demo_user

BATCH = 2000
BULK_REASON = "load-test history"
DEMO_REASON = "Demo appointment"


# Today's demo, relative to now so that every role has something to do at any hour:
# (doctor index, patient index, minutes from "now", status). "Now" is kept between 02:00 and
# 21:00 so that every appointment stays on today's date (check-in is for today only).
TODAY = [
    (0, 4, -90, AppointmentStatus.COMPLETED),  # records to read, an invoice to take
    (0, 1, -20, AppointmentStatus.CHECKED_IN),  # the nurse's triage, the doctor's next patient
    (0, 2, 30, AppointmentStatus.SCHEDULED),  # the desk checks them in
    (0, 3, 60, AppointmentStatus.SCHEDULED),
    (1, 3, -130, AppointmentStatus.COMPLETED),
    (1, 4, 90, AppointmentStatus.SCHEDULED),
    (1, 0, 120, AppointmentStatus.SCHEDULED),  # the portal patient's one visit of today
]
EARLIEST, LATEST = time(2), time(21)


def seed_demo() -> None:
    """Today's appointments around now: finished, checked in and still to come.

    Idempotent per day: a doctor who already has demo appointments today gets none more;
    a run on another day adds that day's."""
    receptionist = demo_user(RECEPTIONIST)
    doctors = list(Doctor.objects.order_by("pk"))
    patients = list(Patient.objects.exclude(email__endswith=BULK_DOMAIN).order_by("pk")[:5])
    if len(doctors) < 2 or len(patients) < 5:
        return
    today = timezone.localdate()
    day_start = timezone.make_aware(datetime.combine(today, time(0)))
    now = timezone.localtime().replace(second=0, microsecond=0)
    now = now.replace(minute=now.minute - now.minute % 10)  # round times, easier to read
    earliest = timezone.make_aware(datetime.combine(today, EARLIEST))
    latest = timezone.make_aware(datetime.combine(today, LATEST))
    base = min(max(now, earliest), latest)
    seeded_today = set(
        Appointment.objects.filter(reason=DEMO_REASON, start__gte=day_start)
        .filter(start__lt=day_start + timedelta(days=1))
        .values_list("doctor_id", flat=True)
    )
    for doctor_index, patient_index, minutes, status in TODAY:
        doctor = doctors[doctor_index]
        if doctor.pk in seeded_today:
            continue
        start = base + timedelta(minutes=minutes)
        _appointment(
            patients[patient_index],
            doctor,
            start,
            start + timedelta(minutes=20),
            status,
            booked_by=receptionist,
        )


def is_free(doctor, patient, start, end) -> bool:
    """Neither the doctor nor the patient has an active appointment in [start, end).

    What the two exclusion constraints demand, asked first: a seed run on a database that an
    earlier day's run filled skips a time that is taken instead of failing on PostgreSQL."""
    either = Q(doctor=doctor) | Q(patient=patient)
    return not Appointment.objects.active().filter(either).overlapping(start, end).exists()


def _appointment(patient, doctor, start, end, status, *, booked_by) -> Appointment | None:
    if not is_free(doctor, patient, start, end):
        return None
    appointment = Appointment.objects.create(
        patient=patient,
        doctor=doctor,
        start=start,
        end=end,
        status=status,
        reason=DEMO_REASON,
        booked_by=booked_by,
    )
    AppointmentStatusChange.objects.create(
        appointment=appointment, to_status=status, changed_by=booked_by, note="seed"
    )
    return appointment


def seed_bulk(count: int) -> None:
    """Make sure at least ``count`` past appointments of the load-test patients exist.

    Completed ones, back to back per doctor, going back from the start of the day a week ago
    (or from the oldest history already made): completed visits are covered by the
    no-overlap constraints too, so each new row lies before every row already there.
    """
    made = Appointment.objects.filter(reason=BULK_REASON).count()
    doctors = list(Doctor.objects.order_by("pk"))
    if count <= made or not doctors:
        return
    patient_ids = list(
        Patient.objects.filter(email__endswith=BULK_DOMAIN).values_list("pk", flat=True)
    ) or list(Patient.objects.values_list("pk", flat=True))
    # Before last week's demo visits (clinical.seed) and before any history made earlier, so
    # that no two rows of a doctor overlap, whatever the day or the hour the seed runs.
    earliest = Appointment.objects.filter(reason=BULK_REASON).order_by("start").first()
    week_ago = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=7), time(0))
    )
    origin = earliest.start if earliest else week_ago
    for first in range(made, count, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, count)):
            start = origin - timedelta(minutes=20 * ((n - made) // len(doctors) + 1))
            rows.append(
                Appointment(
                    patient_id=patient_ids[n % len(patient_ids)],
                    doctor=doctors[n % len(doctors)],
                    start=start,
                    end=start + timedelta(minutes=20),
                    status=AppointmentStatus.COMPLETED,
                    reason=BULK_REASON,
                )
            )
        with transaction.atomic():
            Appointment.objects.bulk_create(rows)
