"""The patients app's demo data: a handful of patients (one with a portal login), and in
bulk the thousands of patients a load test searches. Safe to run again."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from patients.models import Patient, Sex

PORTAL_EMAIL = "patient@hospital.example"
PATIENTS = [
    # (first, last, born, sex, email, portal login?)
    ("Pat", "Portal", date(1985, 3, 14), Sex.FEMALE, PORTAL_EMAIL, True),
    ("John", "Smith", date(1970, 1, 2), Sex.MALE, "john.smith@example.org", False),
    ("Amira", "Khan", date(1992, 7, 30), Sex.FEMALE, "amira.khan@example.org", False),
    ("Luis", "Garcia", date(2015, 11, 5), Sex.MALE, "", False),
    ("Mei", "Chen", date(1958, 9, 21), Sex.FEMALE, "mei.chen@example.org", False),
]
# Bulk patients are recognisable by their address, so a second run counts them.
BULK_DOMAIN = "@load.example"
BATCH = 2000


def seed_demo() -> None:
    portal_user = get_user_model().objects.filter(email=PORTAL_EMAIL).first()
    for first, last, born, sex, email, portal in PATIENTS:
        Patient.objects.get_or_create(
            first_name=first,
            last_name=last,
            date_of_birth=born,
            defaults={
                "sex": sex,
                "email": email,
                "phone": "+44 20 7946 0000",
                "user": portal_user if portal else None,
            },
        )


def seed_bulk(count: int) -> None:
    """Make sure at least ``count`` load-test patients exist (bulk inserts, in batches)."""
    existing = Patient.objects.filter(email__endswith=BULK_DOMAIN).count()
    for first in range(existing, count, BATCH):
        with transaction.atomic():
            Patient.objects.bulk_create(
                Patient(
                    first_name=f"Load{n}",
                    last_name=f"Patient{n % 997}",
                    date_of_birth=date(1940 + n % 80, 1 + n % 12, 1 + n % 28),
                    email=f"patient{n}{BULK_DOMAIN}",
                    phone=f"+44 20 7{n:07d}",
                )
                for n in range(first, min(first + BATCH, count))
            )
