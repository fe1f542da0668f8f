"""The factories build valid rows (other tests, and the clinical apps, rely on them)."""

import pytest

from patients.models import Patient
from patients.services import log_access, verify_access_log
from patients.tests.factories import PortalPatientFactory
from scheduling.tests.factories import AppointmentFactory
from staff.tests.factories import AvailabilityFactory, staff_user


@pytest.mark.django_db
def test_factories_build_a_doctor_who_sees_their_patient():
    appointment = AppointmentFactory(patient=PortalPatientFactory())
    AvailabilityFactory(doctor=appointment.doctor)
    doctor_user = appointment.doctor.profile.user
    assert doctor_user.has_role("doctor")
    assert list(Patient.objects.visible_to(doctor_user)) == [appointment.patient]
    assert list(Patient.objects.visible_to(staff_user("nurse"))) == []
    assert list(Patient.objects.visible_to(appointment.patient.user)) == [appointment.patient]
    log_access(user=doctor_user, patient=appointment.patient, action="read", obj=appointment)
    assert verify_access_log()[0]
