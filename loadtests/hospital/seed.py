"""Bulk data for the hospital's load tests and bench, on top of ``manage.py seed_demo``.

The demo seed is a small hospital to click through (a handful of patients); a load
test wants the desk's search and the appointment lists to work on a realistic volume.
Run inside the project (the runner does it)::

    python manage.py shell -c "from loadtests.hospital.seed import bulk; bulk(patients=2000)"

Past appointments are created as completed: the no-overlap exclusion constraints only
cover active appointments, and history is what piles up in a real hospital anyway.
"""

import time
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

BATCH = 2000


def bulk(*, patients: int = 0, appointments: int = 0) -> None:
    """Make sure at least ``patients`` load-test patients and ``appointments`` past
    appointments exist; returns quickly when they already do."""
    from patients.models import Patient
    from scheduling.models import Appointment, AppointmentStatus
    from staff.models import Doctor

    started = time.perf_counter()
    existing = Patient.objects.filter(email__endswith="@load.example").count()
    for first in range(existing, patients, BATCH):
        with transaction.atomic():
            Patient.objects.bulk_create(
                Patient(
                    first_name=f"Load{n}",
                    last_name=f"Patient{n % 997}",
                    date_of_birth=date(1940 + n % 80, 1 + n % 12, 1 + n % 28),
                    email=f"patient{n}@load.example",
                    phone=f"+44 20 7{n:07d}",
                )
                for n in range(first, min(first + BATCH, patients))
            )
    made = Appointment.objects.filter(reason="load-test history").count()
    if appointments > made:
        doctors = list(Doctor.objects.order_by("pk"))
        patient_ids = list(
            Patient.objects.filter(email__endswith="@load.example").values_list("pk", flat=True)
        ) or list(Patient.objects.values_list("pk", flat=True))
        # Back-to-back 20-minute slots, going back in time from a week ago, per doctor.
        origin = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=7)
        for first in range(made, appointments, BATCH):
            rows = []
            for n in range(first, min(first + BATCH, appointments)):
                doctor = doctors[n % len(doctors)]
                start = origin - timedelta(minutes=20 * (n // len(doctors) + 1))
                rows.append(
                    Appointment(
                        patient_id=patient_ids[n % len(patient_ids)],
                        doctor=doctor,
                        start=start,
                        end=start + timedelta(minutes=20),
                        status=AppointmentStatus.COMPLETED,
                        reason="load-test history",
                    )
                )
            with transaction.atomic():
                Appointment.objects.bulk_create(rows)
    print(
        f"bulk: {Patient.objects.count()} patients, {Appointment.objects.count()} appointments "
        f"({time.perf_counter() - started:.1f}s)"
    )
