"""`manage.py seed_demo`: a small hospital to click through. Safe to run again.

Departments, the demo accounts of settings.DEMO_LOGINS (one per role), doctors with
weekly availability, patients (one with a portal login), and a day of appointments
today. A second run changes nothing; a run on another day adds that day's appointments.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from billing.seed import seed_invoices
from clinical.seed import seed_clinical_records
from patients.models import Patient, Sex
from scheduling.models import Appointment, AppointmentStatus, AppointmentStatusChange
from shared.accounts.demo import seed_demo_users
from shared.accounts.roles import seed_roles
from staff.models import Availability, Department, Doctor, StaffProfile

DEPARTMENTS = [("General medicine", "general"), ("Cardiology", "cardio"), ("Paediatrics", "paeds")]
# email -> (full name, role, department code, specialty, licence)
STAFF = {
    "reception@hospital.example": ("Rita Reception", "receptionist", "general", "", ""),
    "dr.house@hospital.example": (
        "Gregory House",
        "doctor",
        "general",
        "Diagnostics",
        "GMC-100001",
    ),
    "dr.grey@hospital.example": ("Meredith Grey", "doctor", "cardio", "Cardiology", "GMC-100002"),
    "nurse@hospital.example": ("Nora Nurse", "nurse", "general", "", ""),
    "admin@hospital.example": ("Adam Admin", "hospital_admin", None, "", ""),
}
PATIENTS = [
    # (first, last, born, sex, email, portal login?)
    ("Pat", "Portal", date(1985, 3, 14), Sex.FEMALE, "patient@hospital.example", True),
    ("John", "Smith", date(1970, 1, 2), Sex.MALE, "john.smith@example.org", False),
    ("Amira", "Khan", date(1992, 7, 30), Sex.FEMALE, "amira.khan@example.org", False),
    ("Luis", "Garcia", date(2015, 11, 5), Sex.MALE, "", False),
    ("Mei", "Chen", date(1958, 9, 21), Sex.FEMALE, "mei.chen@example.org", False),
]


class Command(BaseCommand):
    help = "Create the demo hospital (departments, staff, doctors, patients, today's appointments)."

    @transaction.atomic
    def handle(self, *args, **options):
        seed_roles()
        names = {email: spec[0] for email, spec in STAFF.items()}
        names["patient@hospital.example"] = "Pat Portal"
        logins = [
            {**login, "full_name": names.get(login["email"], "")} for login in settings.DEMO_LOGINS
        ]
        users = {user.email: user for user in seed_demo_users(logins)}

        departments = {
            code: Department.objects.get_or_create(code=code, defaults={"name": name})[0]
            for name, code in DEPARTMENTS
        }
        doctors = []
        for email, (_, role, department, specialty, licence) in STAFF.items():
            profile, _ = StaffProfile.objects.get_or_create(
                user=users[email],
                defaults={"role": role, "department": departments.get(department)},
            )
            if role == "doctor":
                doctor, _ = Doctor.objects.get_or_create(
                    profile=profile, defaults={"specialty": specialty, "licence_number": licence}
                )
                doctors.append(doctor)
                self._availability(doctor)

        patients = [self._patient(spec, users) for spec in PATIENTS]
        booked = self._todays_appointments(doctors, patients, users["reception@hospital.example"])
        # Records and invoices of the visits already done (clinical/seed.py, billing/seed.py).
        visits = seed_clinical_records(nurse=users["nurse@hospital.example"])
        invoices = seed_invoices(clerk=users["reception@hospital.example"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo hospital ready: {len(doctors)} doctors, {len(patients)} patients, "
                f"{booked} appointment(s) added today, {visits} visit record(s) and "
                f"{invoices} invoice(s). Password for every demo login: "
                f"{settings.DEMO_PASSWORD}"
            )
        )

    def _availability(self, doctor: Doctor) -> None:
        # Open every day of the week, so the demo has free slots whatever day it runs.
        for weekday in range(7):
            for start, end in ((time(9), time(12)), (time(14), time(17))):
                Availability.objects.get_or_create(
                    doctor=doctor,
                    weekday=weekday,
                    start_time=start,
                    defaults={"end_time": end, "slot_minutes": 20},
                )

    def _patient(self, spec, users) -> Patient:
        first, last, born, sex, email, portal = spec
        patient, _ = Patient.objects.get_or_create(
            first_name=first,
            last_name=last,
            date_of_birth=born,
            defaults={
                "sex": sex,
                "email": email,
                "phone": "+44 20 7946 0000",
                "user": users.get(email) if portal else None,
            },
        )
        return patient

    def _todays_appointments(self, doctors, patients, receptionist) -> int:
        """Morning appointments today: earlier ones completed, later ones scheduled.

        Written directly, not through book_appointment, because some are in the past
        (which the service refuses to book). Each (doctor, start) is created once.
        """
        today = timezone.localdate()
        now = timezone.now()
        added = 0
        for offset, doctor in enumerate(doctors):
            for index, patient in enumerate(patients[offset::2] if offset else patients[:3]):
                start = timezone.make_aware(datetime.combine(today, time(9))) + timedelta(
                    minutes=40 * index + 20 * offset
                )
                end = start + timedelta(minutes=20)
                status = AppointmentStatus.COMPLETED if end < now else AppointmentStatus.SCHEDULED
                if Appointment.objects.filter(doctor=doctor, start=start).exists():
                    continue
                if (
                    Appointment.objects.active()
                    .filter(patient=patient)
                    .overlapping(start, end)
                    .exists()
                ):
                    continue
                appointment = Appointment.objects.create(
                    patient=patient,
                    doctor=doctor,
                    start=start,
                    end=end,
                    status=status,
                    reason="Demo appointment",
                    booked_by=receptionist,
                )
                AppointmentStatusChange.objects.create(
                    appointment=appointment, to_status=status, changed_by=receptionist, note="seed"
                )
                added += 1
        return added
