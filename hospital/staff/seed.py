"""The staff app's demo data: departments, a staff profile for each demo login, and the
doctors' weekly availability. Safe to run again: a second run changes nothing.

The demo accounts themselves (settings.DEMO_LOGINS) are created first by core's seed_demo.
"""

from datetime import time

from django.contrib.auth import get_user_model

from core.roles import DOCTOR, HOSPITAL_ADMIN, NURSE, RECEPTIONIST
from staff.models import Availability, Department, Doctor, StaffProfile

DEPARTMENTS = [("General medicine", "general"), ("Cardiology", "cardio"), ("Paediatrics", "paeds")]
# email -> (full name, role, department code, specialty, licence)
STAFF = {
    "reception@hospital.example": ("Rita Reception", RECEPTIONIST, "general", "", ""),
    "dr.house@hospital.example": ("Gregory House", DOCTOR, "general", "Diagnostics", "GMC-100001"),
    "dr.grey@hospital.example": ("Meredith Grey", DOCTOR, "cardio", "Cardiology", "GMC-100002"),
    "nurse@hospital.example": ("Nora Nurse", NURSE, "general", "", ""),
    "admin@hospital.example": ("Adam Admin", HOSPITAL_ADMIN, None, "", ""),
}
# Open every day of the week, so the demo has free slots whatever day it runs.
CLINICS = ((time(9), time(12)), (time(14), time(17)))


def seed_demo() -> None:
    departments = {
        code: Department.objects.get_or_create(code=code, defaults={"name": name})[0]
        for name, code in DEPARTMENTS
    }
    users = {user.email: user for user in get_user_model().objects.filter(email__in=STAFF)}
    for email, (_, role, department, specialty, licence) in STAFF.items():
        profile, _ = StaffProfile.objects.get_or_create(
            user=users[email], defaults={"role": role, "department": departments.get(department)}
        )
        if role == DOCTOR:
            doctor, _ = Doctor.objects.get_or_create(
                profile=profile, defaults={"specialty": specialty, "licence_number": licence}
            )
            _availability(doctor)


def _availability(doctor: Doctor) -> None:
    for weekday in range(7):
        for start, end in CLINICS:
            Availability.objects.get_or_create(
                doctor=doctor,
                weekday=weekday,
                start_time=start,
                defaults={"end_time": end, "slot_minutes": 20},
            )


def demo_user(role: str):
    """The demo account holding ``role`` (the first, for doctors), for other apps' seeds."""
    profile = StaffProfile.objects.select_related("user").filter(role=role).order_by("pk").first()
    return profile.user if profile else None
