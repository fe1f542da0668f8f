"""The desk pages and the patients API: find, register, edit, open a patient."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import next_weekday_at
from patients.models import AccessLog, Patient
from patients.services import log_access
from patients.tests.factories import PatientFactory
from scheduling.tests.factories import AppointmentFactory
from staff.tests.factories import staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_noon")]


def test_the_desk_finds_patients_by_name_or_record_number(client, receptionist):
    ann = PatientFactory(first_name="Ann", last_name="Lee")
    PatientFactory(first_name="Bob", last_name="Stone")
    client.force_login(receptionist)
    page = client.get(reverse("scheduling:desk"), {"q": "lee"}).content.decode()
    assert ann.medical_record_number in page and "Stone" not in page
    by_number = client.get(reverse("scheduling:desk"), {"q": ann.medical_record_number.lower()})
    assert ann.medical_record_number in by_number.content.decode()
    nobody = client.get(reverse("scheduling:desk"), {"q": "zzz"}).content.decode()
    assert "Nobody matches" in nobody


def test_the_desk_lists_today_with_check_in_buttons(client, receptionist):
    start = timezone.now()
    appointment = AppointmentFactory(start=start, end=start + timedelta(minutes=20))
    client.force_login(receptionist)
    page = client.get(reverse("scheduling:desk")).content.decode()
    assert appointment.patient.full_name in page
    assert reverse("scheduling:act", args=[appointment.pk, "check-in"]) in page


def test_registering_a_patient_logs_the_write(client, receptionist):
    client.force_login(receptionist)
    response = client.post(
        reverse("patients:register"),
        {"first_name": "Zoe", "last_name": "Park", "date_of_birth": "1990-02-03", "sex": "female"},
    )
    patient = Patient.objects.get(last_name="Park")
    assert response.status_code == 302 and response["Location"].endswith(f"/{patient.pk}/")
    assert patient.medical_record_number.startswith("MRN-")
    assert AccessLog.objects.get().action == "write"


def test_a_bad_registration_is_a_form_error_and_nothing_is_saved(client, receptionist):
    client.force_login(receptionist)
    response = client.post(
        reverse("patients:register"),
        {"first_name": "Zoe", "last_name": "", "date_of_birth": "2999-01-01", "sex": "female"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "last_name" in errors and "date_of_birth" in errors
    assert not Patient.objects.exists()


def test_editing_changes_only_what_changed(client, receptionist, patient):
    client.force_login(receptionist)
    assert client.get(reverse("patients:edit", args=[patient.pk])).status_code == 200
    data = {
        "first_name": patient.first_name,
        "last_name": "Newname",
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "phone": patient.phone,
        "email": patient.email,
        "address": "",
    }
    response = client.post(reverse("patients:edit", args=[patient.pk]), data)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.last_name == "Newname"
    assert AccessLog.objects.filter(patient=patient, action="write").count() == 1


def test_the_patient_page_shows_free_slots_and_logs_the_read(client, receptionist, doctor, patient):
    client.force_login(receptionist)
    day = next_weekday_at(9).date()
    response = client.get(
        reverse("scheduling:patient", args=[patient.pk]),
        {"doctor": doctor.pk, "day": day.isoformat()},
    )
    assert response.status_code == 200
    assert [slot.start.strftime("%H:%M") for slot in response.context["slots"]][:2] == [
        "09:00",
        "09:20",
    ]
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.ip_address) == (receptionist, "read", "127.0.0.1")


def test_a_day_in_the_past_is_a_form_error(client, receptionist, doctor, patient):
    client.force_login(receptionist)
    response = client.get(
        reverse("scheduling:patient", args=[patient.pk]), {"doctor": doctor.pk, "day": "2000-01-01"}
    )
    assert response.context["slots"] is None
    assert "day" in response.context["search"].errors


# --- The API door ---------------------------------------------------------------------


def test_the_api_registers_searches_and_edits(api_client_for, receptionist):
    api = api_client_for(receptionist)
    created = api.post(
        "/api/v1/patients/",
        {"first_name": "Ivy", "last_name": "Moss", "date_of_birth": "1975-06-01", "sex": "female"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["medical_record_number"].startswith("MRN-")
    PatientFactory(last_name="Other")
    found = api.get("/api/v1/patients/", {"search": "moss"}).json()
    assert [row["id"] for row in found["results"]] == [body["id"]]
    patched = api.patch(f"/api/v1/patients/{body['id']}/", {"phone": "123"})
    assert patched.status_code == 200 and patched.json()["phone"] == "123"
    assert AccessLog.objects.filter(action="write").count() == 2


def test_the_api_gives_field_errors_for_bad_input(api_client_for, receptionist):
    api = api_client_for(receptionist)
    response = api.post(
        "/api/v1/patients/",
        {"first_name": "Ivy", "last_name": "Moss", "date_of_birth": "2999-01-01"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "date_of_birth"
    assert not Patient.objects.exists()


def test_only_the_desk_registers_through_the_api(api_client_for, nurse):
    response = api_client_for(nurse).post(
        "/api/v1/patients/", {"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01"}
    )
    assert response.status_code == 403


def test_the_patient_list_costs_the_same_for_1_or_20_rows(
    api_client_for, receptionist, assert_constant_queries
):
    api = api_client_for(receptionist)
    PatientFactory()
    assert_constant_queries(
        lambda: api.get("/api/v1/patients/"), lambda: PatientFactory.create_batch(20)
    )


def test_clinicians_get_a_link_to_the_chart_and_the_desk_does_not(client, receptionist):
    appointment = AppointmentFactory()
    chart = reverse("clinical:chart", args=[appointment.patient.pk])
    detail = reverse("scheduling:patient", args=[appointment.patient.pk])
    client.force_login(appointment.doctor.profile.user)
    assert chart in client.get(detail).content.decode()
    client.force_login(receptionist)
    assert chart not in client.get(detail).content.decode()


def test_the_desk_links_a_registered_account_for_the_portal(client, receptionist, make_user):
    patient = PatientFactory()
    account = make_user(email="ann@example.org")
    client.force_login(receptionist)
    detail = client.get(reverse("scheduling:patient", args=[patient.pk])).content.decode()
    assert reverse("patients:link-portal", args=[patient.pk]) in detail
    url = reverse("patients:link-portal", args=[patient.pk])
    response = client.post(url, {"email": "ANN@example.org"}, follow=True)
    assert "can now use the patient portal" in response.content.decode()
    patient.refresh_from_db()
    assert patient.user == account and account.has_role("patient")
    assert AccessLog.objects.filter(patient=patient, action="write").count() == 1
    other = PatientFactory()
    taken = client.post(
        reverse("patients:link-portal", args=[other.pk]), {"email": "ann@example.org"}, follow=True
    )
    assert "already linked to another patient" in taken.content.decode()
    bad = client.post(
        reverse("patients:link-portal", args=[other.pk]), {"email": "nope"}, follow=True
    )
    assert "valid email" in bad.content.decode()


def test_portal_links_through_the_api_refuse_unknown_and_staff_accounts(
    api_client_for, receptionist
):
    patient = PatientFactory()
    api = api_client_for(receptionist)
    url = f"/api/v1/patients/{patient.pk}/link-portal/"
    unknown = api.post(url, {"email": "ghost@example.org"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["attr"] == "email"
    staff = api.post(url, {"email": receptionist.email})
    assert staff.status_code == 400 and "staff account" in staff.json()["errors"][0]["detail"]
    assert api_client_for(staff_user("nurse")).post(url, {"email": "x@y.z"}).status_code == 404
    patient.refresh_from_db()
    assert patient.user is None


def test_the_api_link_works_for_the_desk(api_client_for, hospital_admin, make_user):
    patient = PatientFactory()
    account = make_user(email="bo@example.org")
    response = api_client_for(hospital_admin).post(
        f"/api/v1/patients/{patient.pk}/link-portal/", {"email": "bo@example.org"}
    )
    assert response.status_code == 200
    assert Patient.objects.get(user=account) == patient


def test_only_the_desk_may_link_in_the_service_too(nurse):
    from django.core.exceptions import PermissionDenied

    from patients.services import link_portal_account

    with pytest.raises(PermissionDenied):
        link_portal_account(patient=PatientFactory(), email="a@b.c", by=nurse)


def test_a_portal_patient_sees_who_looked_at_their_record(client, portal_patient, receptionist):
    other = PatientFactory()
    log_access(user=receptionist, patient=portal_patient, action="read")
    log_access(user=receptionist, patient=other, action="write")
    client.force_login(portal_patient.user)
    response = client.get(reverse("patients:my-access-log"))
    assert [entry.patient for entry in response.context["entries"]] == [portal_patient]
    assert receptionist.get_full_name() in response.content.decode()
    assert "Receptionist" in response.content.decode()


def test_the_access_history_costs_the_same_for_1_or_many_entries(
    client, portal_patient, receptionist, assert_constant_queries
):
    log_access(user=receptionist, patient=portal_patient, action="read")
    client.force_login(portal_patient.user)

    def add_rows():
        for _ in range(10):
            log_access(user=staff_user("doctor"), patient=portal_patient, action="read")

    assert_constant_queries(lambda: client.get(reverse("patients:my-access-log")), add_rows)


def test_a_patient_account_without_a_record_has_no_access_history(client, make_user):
    client.force_login(make_user(roles=["patient"]))
    assert client.get(reverse("patients:my-access-log")).status_code == 404


def test_the_desk_lists_portal_requests_of_any_day_to_confirm(client, receptionist):
    request = AppointmentFactory(start=next_weekday_at(9, days_ahead=6), status="requested")
    AppointmentFactory(start=next_weekday_at(10, days_ahead=6))  # already scheduled
    client.force_login(receptionist)
    response = client.get(reverse("scheduling:desk"))
    assert list(response.context["requests"]) == [request]
    assert reverse("scheduling:act", args=[request.pk, "confirm"]) in response.content.decode()
