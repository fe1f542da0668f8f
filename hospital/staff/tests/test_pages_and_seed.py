"""The home page, the department dashboard, the admin and the demo seed."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient
from patients.tests.factories import PortalPatientFactory
from scheduling.models import Appointment, AppointmentStatus
from scheduling.tests.factories import AppointmentFactory
from staff.models import Availability, Department, Doctor, StaffProfile
from staff.tests.factories import DepartmentFactory, DoctorFactory, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def test_home_shows_the_doors_of_each_role(client, settings):
    settings.DEBUG = True  # the demo logins show only on a laptop
    settings.DEMO_LOGINS = [{"role": "doctor", "email": "d@x.io", "password": "pw"}]
    assert "d@x.io" in client.get("/").content.decode()
    client.force_login(staff_user("receptionist"))
    page = client.get("/").content.decode()
    assert reverse("patients:desk") in page and reverse("scheduling:portal") not in page


def test_the_dashboard_counts_todays_appointments_per_department(
    client, django_assert_max_num_queries
):
    cardio = DepartmentFactory(name="Cardiology")
    doctor = DoctorFactory(profile__department=cardio)
    now = timezone.now()
    for minutes, status in ((0, AppointmentStatus.SCHEDULED), (20, AppointmentStatus.CHECKED_IN)):
        start = now + timedelta(minutes=minutes)
        AppointmentFactory(
            doctor=doctor, start=start, end=start + timedelta(minutes=20), status=status
        )
    AppointmentFactory(doctor=doctor)  # tomorrow: not counted
    client.force_login(staff_user("nurse"))
    response = client.get(reverse("staff:dashboard"))
    row = next(row for row in response.context["rows"] if row["department"] == cardio)
    assert row["total"] == 2 and row["department"].doctors == 1
    assert row["counts"][list(AppointmentStatus.values).index("checked_in")] == 1


def test_patients_cannot_open_the_dashboard(client, portal_patient):
    client.force_login(portal_patient.user)
    assert client.get(reverse("staff:dashboard")).status_code == 403


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


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        ("receptionist", ["/desk/", "/billing/", "/dashboard/"], ["/schedule/", "/portal/"]),
        ("doctor", ["/schedule/", "/triage/", "/lab/", "/dashboard/"], ["/desk/", "/portal/"]),
        ("nurse", ["/triage/", "/dashboard/"], ["/desk/", "/schedule/", "/lab/"]),
        (
            "patient",
            ["/portal/", "/portal/results/", "/portal/invoices/", "/portal/access/"],
            ["/desk/", "/dashboard/"],
        ),
    ],
)
def test_the_navigation_shows_each_role_its_pages(client, role, shown, hidden):
    user = staff_user(role) if role != "patient" else PortalPatientFactory().user
    client.force_login(user)
    nav = client.get("/").content.decode().split("</nav>")[0]
    for url in shown:
        assert f'href="{url}"' in nav, (role, url)
        assert client.get(url).status_code == 200, (role, url)  # the link opens
    for url in hidden:
        assert f'href="{url}"' not in nav, (role, url)
