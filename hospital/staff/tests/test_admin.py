"""The admin pages of staff, patients and scheduling open for a superuser."""

import pytest

from scheduling.models import Appointment
from scheduling.tests.factories import AppointmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def test_the_admin_lists_open(client, make_user):
    AppointmentFactory()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    for model in (
        "staff/doctor",
        "staff/staffprofile",
        "staff/department",
        "patients/patient",
        "patients/accesslog",
        "scheduling/appointment",
    ):
        assert client.get(f"/admin/{model}/").status_code == 200, model
    appointment = Appointment.objects.get()
    assert client.get(f"/admin/scheduling/appointment/{appointment.pk}/change/").status_code == 200
    assert client.get("/admin/patients/accesslog/add/").status_code == 403
    doctor, patient = appointment.doctor, appointment.patient
    assert client.get(f"/admin/staff/doctor/{doctor.pk}/change/").status_code == 200
    assert client.get(f"/admin/patients/patient/{patient.pk}/change/").status_code == 200
