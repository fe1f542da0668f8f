"""Object-level access, the same through both doors: every role against a patient
they may not see gets a 404 (never the record, never a 403 that confirms it exists)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.access import can_manage_registration, can_read_clinical
from patients.models import AccessLog, Patient
from patients.tests.factories import PatientFactory, PortalPatientFactory
from scheduling.models import Appointment, AppointmentStatus
from scheduling.tests.factories import AppointmentFactory
from staff.tests.factories import DepartmentFactory, DoctorFactory, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def _checked_in_today(**kwargs):
    start = timezone.now() - timedelta(minutes=5)
    return AppointmentFactory(
        start=start,
        end=start + timedelta(minutes=20),
        status=AppointmentStatus.CHECKED_IN,
        **kwargs,
    )


def _doctor_with_patient():
    appointment = AppointmentFactory()
    return appointment.doctor.profile.user, appointment.patient


def _nurse_with_patient():
    nurse = staff_user("nurse")
    doctor = DoctorFactory(profile__department=nurse.staff_profile.department)
    return nurse, _checked_in_today(doctor=doctor).patient


def _portal_patient_with_self():
    patient = PortalPatientFactory()
    return patient.user, patient


# Each builder returns (user, a patient that user may see).
RESTRICTED_ROLES = {
    "doctor": _doctor_with_patient,
    "nurse": _nurse_with_patient,
    "patient": _portal_patient_with_self,
}


def _other_patient_with_appointment():
    """Someone else's patient: booked with another doctor, checked in today elsewhere."""
    other_department_doctor = DoctorFactory(profile__department=DepartmentFactory())
    return _checked_in_today(doctor=other_department_doctor, patient=PatientFactory())


def _doors(patient_pk: int, appointment_pk: int):
    """Every URL, page and API, that names a patient's record or appointment."""
    return {
        "page: patient": ("get", reverse("scheduling:patient", args=[patient_pk])),
        "page: edit": ("get", reverse("patients:edit", args=[patient_pk])),
        "page: book": ("post", reverse("scheduling:book", args=[patient_pk])),
        "page: cancel": ("post", reverse("scheduling:act", args=[appointment_pk, "cancel"])),
        "page: check-in": ("post", reverse("scheduling:act", args=[appointment_pk, "check-in"])),
        "api: patient": ("get", f"/api/v1/patients/{patient_pk}/"),
        "api: patch patient": ("patch", f"/api/v1/patients/{patient_pk}/"),
        "api: appointment": ("get", f"/api/v1/appointments/{appointment_pk}/"),
        "api: cancel": ("post", f"/api/v1/appointments/{appointment_pk}/cancel/"),
        "api: check-in": ("post", f"/api/v1/appointments/{appointment_pk}/check-in/"),
        "api: complete": ("post", f"/api/v1/appointments/{appointment_pk}/complete/"),
    }


@pytest.mark.parametrize("role", RESTRICTED_ROLES)
def test_another_patients_record_is_a_404_through_both_doors(role, client, api_client_for):
    user, own_patient = RESTRICTED_ROLES[role]()
    other = _other_patient_with_appointment()
    client.force_login(user)
    api = api_client_for(user)
    api_door = {"patient": other.patient.pk, "doctor": other.doctor.pk, "start": other.start}
    for name, (method, url) in _doors(other.patient.pk, other.pk).items():
        door = api if name.startswith("api") else client
        response = getattr(door, method)(url, api_door if method == "post" else {})
        assert response.status_code == 404, (role, name, response.status_code)
        assert other.patient.last_name not in response.content.decode(), (role, name)
    booking = api.post(
        "/api/v1/appointments/",
        {"patient": other.patient.pk, "doctor": other.doctor.pk, "start": other.start.isoformat()},
    )
    assert booking.status_code == 404
    assert api.get("/api/v1/patients/").json()["count"] == 1  # only their own patient
    assert not AccessLog.objects.filter(patient=other.patient).exists()
    other.refresh_from_db()
    assert other.status == AppointmentStatus.CHECKED_IN  # nothing happened to it

    # ...while the patient they may see is there, through both doors.
    assert client.get(reverse("scheduling:patient", args=[own_patient.pk])).status_code == 200
    assert api.get(f"/api/v1/patients/{own_patient.pk}/").status_code == 200
    assert AccessLog.objects.filter(patient=own_patient, user=user, action="read").count() == 2


@pytest.mark.parametrize("role", ["receptionist", "hospital_admin"])
def test_the_desk_sees_every_registration_but_no_clinical_record(role, client, api_client_for):
    user = staff_user(role)
    other = _other_patient_with_appointment()
    client.force_login(user)
    assert client.get(reverse("scheduling:patient", args=[other.patient.pk])).status_code == 200
    assert api_client_for(user).get(f"/api/v1/patients/{other.patient.pk}/").status_code == 200
    assert can_manage_registration(user)
    assert not can_read_clinical(user, other.patient)
    assert not user.has_perm("clinical.write_record", other.patient)


def test_clinical_access_follows_treatment():
    doctor_user, patient = _doctor_with_patient()
    portal = PortalPatientFactory()
    assert can_read_clinical(doctor_user, patient)
    assert doctor_user.has_perm("clinical.write_record", patient)
    assert not can_read_clinical(doctor_user, portal)
    assert not doctor_user.has_perm("clinical.write_record", portal)
    assert can_read_clinical(portal.user, portal)
    assert not portal.user.has_perm("clinical.write_record", portal)
    assert not can_read_clinical(portal.user, patient)


def test_a_cancelled_appointment_does_not_make_a_doctor_treat_the_patient():
    appointment = AppointmentFactory(status=AppointmentStatus.CANCELLED)
    assert not Patient.objects.visible_to(appointment.doctor.profile.user).exists()


def test_a_nurse_sees_only_todays_checked_in_patients_of_their_department():
    nurse = staff_user("nurse")
    department = nurse.staff_profile.department
    here = _checked_in_today(doctor=DoctorFactory(profile__department=department))
    _checked_in_today(doctor=DoctorFactory(profile__department=DepartmentFactory()))
    AppointmentFactory(doctor=DoctorFactory(profile__department=department))  # tomorrow
    assert list(Patient.objects.visible_to(nurse)) == [here.patient]
    floating_nurse = staff_user("nurse", department=None)
    assert Patient.objects.visible_to(floating_nurse).count() == 2


def test_strangers_and_anonymous_users_see_nobody(client, api_client, make_user):
    PatientFactory()
    assert not Patient.objects.visible_to(make_user()).exists()
    inactive = make_user(roles=["receptionist"], is_active=False)
    assert not Patient.objects.visible_to(inactive).exists()
    assert api_client.get("/api/v1/patients/").status_code == 401
    response = client.get(reverse("scheduling:desk"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_appointments_follow_the_patient_rule_and_the_desk_lists_need_no_patient_join():
    doctor_user, patient = _doctor_with_patient()
    _other_patient_with_appointment()
    everyone = {a.pk for a in Appointment.objects.all()}
    for desk in (staff_user("receptionist"), staff_user("hospital_admin")):
        appointments = Appointment.objects.visible_to(desk)
        assert {a.pk for a in appointments} == everyone
        # Nothing to filter: the query reads appointments alone, no patients subquery.
        assert "patients_patient" not in str(appointments.query)
    assert {a.patient for a in Appointment.objects.visible_to(doctor_user)} == {patient}
    inactive_desk = staff_user("receptionist")
    inactive_desk.is_active = False
    assert not Appointment.objects.visible_to(inactive_desk).exists()
