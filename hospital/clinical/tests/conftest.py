"""A small ward for the clinical, billing and report tests: one department, its staff,
a checked-in patient with an open encounter, and a second patient who belongs to
another doctor (the record everyone outside must get a 404 for)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from clinical.tests.factories import EncounterFactory
from patients.tests.factories import PatientFactory, PortalPatientFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory
from staff.models import StaffRole
from staff.tests.factories import DepartmentFactory, DoctorFactory, StaffProfileFactory


@dataclass
class Ward:
    department: object
    doctor: object  # staff.Doctor
    other_doctor: object
    nurse: object  # users from here on
    receptionist: object
    admin: object
    patient: object  # patients.Patient, with a portal login
    appointment: object  # checked in today, with `doctor`
    encounter: object  # open, for `appointment`
    other_patient: object  # treated by `other_doctor` only
    other_encounter: object

    @property
    def doctor_user(self):
        return self.doctor.profile.user

    @property
    def patient_user(self):
        return self.patient.user


def _now_slot():
    # Started a few minutes ago, but never before today's midnight: "checked in today".
    now = timezone.localtime().replace(second=0, microsecond=0)
    start = max(now - timedelta(minutes=5), now.replace(hour=0, minute=0))
    return {"start": start, "end": start + timedelta(minutes=20)}


@pytest.fixture
def ward(db) -> Ward:
    department = DepartmentFactory(name="Cardiology", code="cardio")
    doctor = DoctorFactory(profile__department=department, profile__user__email="doc@h.example")
    other_department = DepartmentFactory(name="Oncology", code="onco")
    other_doctor = DoctorFactory(profile__department=other_department)
    patient = PortalPatientFactory()
    appointment = AppointmentFactory(
        patient=patient, doctor=doctor, status=AppointmentStatus.CHECKED_IN, **_now_slot()
    )
    other_patient = PatientFactory()
    other_appointment = AppointmentFactory(
        patient=other_patient,
        doctor=other_doctor,
        status=AppointmentStatus.CHECKED_IN,
        **_now_slot(),
    )
    return Ward(
        department=department,
        doctor=doctor,
        other_doctor=other_doctor,
        nurse=StaffProfileFactory(role=StaffRole.NURSE, department=department).user,
        receptionist=StaffProfileFactory(role=StaffRole.RECEPTIONIST, department=department).user,
        admin=StaffProfileFactory(role=StaffRole.HOSPITAL_ADMIN, department=None).user,
        patient=patient,
        appointment=appointment,
        encounter=EncounterFactory(patient=patient, doctor=doctor, appointment=appointment),
        other_patient=other_patient,
        other_encounter=EncounterFactory(
            patient=other_patient, doctor=other_doctor, appointment=other_appointment
        ),
    )
