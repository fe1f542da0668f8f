"""Exercise "allergies" (hospital/EXERCISES.md): a patient's allergies, recorded by the staff
treating them and shown at the top of the chart.

These tests fail until the exercise is done. The model is looked up by name inside each
test (``apps.get_model``), so this file loads before it exists.
"""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clinical import services
from conftest import next_weekday_at
from patients.models import AccessLog
from scheduling.tests.factories import AppointmentFactory
from shared.errors import Conflict, DomainError
from staff.tests.factories import DoctorFactory

pytestmark = [pytest.mark.exercise("allergies"), pytest.mark.django_db]
ALLERGIES_API = "/api/v1/allergies/"


@pytest.fixture
def treating_doctor(doctor, patient):
    """The ``doctor`` fixture's user, treating ``patient`` (a booked appointment)."""
    start = next_weekday_at(10)
    AppointmentFactory(patient=patient, doctor=doctor, start=start, end=next_weekday_at(10, 20))
    return doctor.profile.user


def allergies_of(patient) -> list[tuple[str, str]]:
    Allergy = apps.get_model("clinical", "Allergy")
    return sorted(Allergy.objects.filter(patient=patient).values_list("substance", "severity"))


# --- The service --------------------------------------------------------------------------


def test_the_treating_doctor_records_an_allergy_and_the_access_log_says_so(
    treating_doctor, patient
):
    allergy = services.record_allergy(
        by=treating_doctor,
        patient=patient,
        substance="Penicillin",
        severity="severe",
        reaction="Hives",
    )
    assert allergy.recorded_by == treating_doctor
    assert allergies_of(patient) == [("Penicillin", "severe")]
    assert AccessLog.objects.filter(patient=patient, user=treating_doctor, action="write").exists()


def test_the_same_substance_twice_is_a_conflict_whatever_its_case(treating_doctor, patient):
    services.record_allergy(by=treating_doctor, patient=patient, substance="Latex", severity="mild")
    with pytest.raises(Conflict) as refusal:
        services.record_allergy(
            by=treating_doctor, patient=patient, substance=" latex ", severity="mild"
        )
    assert refusal.value.field == "substance"
    assert allergies_of(patient) == [("Latex", "mild")]


def test_a_blank_substance_or_an_unknown_severity_is_refused(treating_doctor, patient):
    with pytest.raises(DomainError) as blank:
        services.record_allergy(
            by=treating_doctor, patient=patient, substance="  ", severity="mild"
        )
    assert blank.value.field == "substance"
    with pytest.raises(DomainError) as severity:
        services.record_allergy(
            by=treating_doctor, patient=patient, substance="Nuts", severity="deadly"
        )
    assert severity.value.field == "severity"
    assert allergies_of(patient) == []


def test_staff_not_treating_the_patient_may_not_write(patient, receptionist):
    stranger = DoctorFactory().profile.user
    for user in (stranger, receptionist):
        with pytest.raises(PermissionDenied):
            services.record_allergy(by=user, patient=patient, substance="Nuts", severity="mild")
    assert allergies_of(patient) == []


# --- The page door --------------------------------------------------------------------------


def test_the_chart_shows_the_allergies_and_its_form_records_one(client, treating_doctor, patient):
    client.force_login(treating_doctor)
    chart = reverse("clinical:chart", args=[patient.pk])
    assert "No known allergies" in client.get(chart).content.decode()

    url = reverse("clinical:allergy-new", args=[patient.pk])
    response = client.post(url, {"substance": "Penicillin", "severity": "severe", "reaction": ""})
    assert response.status_code == 302 and response.url == chart
    html = client.get(chart).content.decode()
    assert "Penicillin" in html and "No known allergies" not in html

    again = client.post(url, {"substance": "penicillin", "severity": "mild", "reaction": ""})
    assert again.status_code == 400 and "already recorded" in again.content.decode()
    assert allergies_of(patient) == [("Penicillin", "severe")]


def test_a_doctor_who_does_not_treat_the_patient_gets_a_404(client, patient):
    client.force_login(DoctorFactory().profile.user)
    url = reverse("clinical:allergy-new", args=[patient.pk])
    assert client.post(url, {"substance": "Nuts", "severity": "mild"}).status_code == 404
    assert allergies_of(patient) == []


# --- The API door ---------------------------------------------------------------------------


def test_the_api_records_and_lists_a_patients_allergies(api_client_for, treating_doctor, patient):
    api = api_client_for(treating_doctor)
    body = {"patient": patient.pk, "substance": "Latex", "severity": "moderate", "reaction": ""}
    created = api.post(ALLERGIES_API, body, format="json")
    assert created.status_code == 201 and created.json()["substance"] == "Latex"
    listing = api.get(ALLERGIES_API, {"patient": patient.pk})
    assert listing.status_code == 200
    assert [row["substance"] for row in listing.json()["results"]] == ["Latex"]

    again = api.post(ALLERGIES_API, {**body, "substance": "LATEX"}, format="json")
    assert again.status_code == 409
    assert again.json()["errors"][0]["attr"] == "substance"


def test_the_api_hides_a_patient_the_user_does_not_treat(api_client_for, treating_doctor, patient):
    assert (
        api_client_for(treating_doctor).get(ALLERGIES_API, {"patient": patient.pk}).status_code
        == 200
    )
    api = api_client_for(DoctorFactory().profile.user)
    body = {"patient": patient.pk, "substance": "Nuts", "severity": "mild"}
    assert api.post(ALLERGIES_API, body, format="json").status_code == 404
    assert api.get(ALLERGIES_API, {"patient": patient.pk}).status_code == 404
    assert allergies_of(patient) == []
