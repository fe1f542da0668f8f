"""The demo seed: every role and login, a hospital to click through, idempotent."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from patients.models import Patient
from scheduling.models import Appointment
from staff.models import Availability, Department, Doctor, StaffProfile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def test_seed_demo_builds_a_hospital_and_is_idempotent(client, settings):
    call_command("seed_demo")
    counts = (
        Department.objects.count(),
        StaffProfile.objects.count(),
        Doctor.objects.count(),
        Availability.objects.count(),
        Patient.objects.count(),
        Appointment.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        Department.objects.count(),
        StaffProfile.objects.count(),
        Doctor.objects.count(),
        Availability.objects.count(),
        Patient.objects.count(),
        Appointment.objects.count(),
    )
    assert counts[2] == 2 and counts[5] >= 4
    User = get_user_model()
    for login in settings.DEMO_LOGINS:
        user = User.objects.get(email=login["email"])
        assert user.check_password(login["password"]) and user.has_role(login["role"]), login
    assert Patient.objects.get(user__email="patient@hospital.example")
