"""The access matrix: every role against another patient's clinical records, through both doors.

The answer outside a user's reach is always 404 (never 403, never the record), so a
URL guessed with someone else's id does not even confirm the record exists. The one
designed exception: the hospital admin runs the lab desk and reads every lab order
and result (never the notes).
"""

import pytest
from django.urls import reverse

from clinical.tests.factories import (
    LabResultFactory,
    ObservationFactory,
    PrescriptionItemFactory,
)
from patients.models import AccessLog

ROLES = ["receptionist", "doctor_user", "nurse", "admin", "patient_user"]


@pytest.fixture
def others(ward):
    """Records of the other patient (another doctor, another department)."""
    encounter = ward.other_encounter
    result = LabResultFactory(order__encounter=encounter)
    return {
        "patient": ward.other_patient,
        "encounter": encounter,
        "observation": ObservationFactory(encounter=encounter),
        "prescription": PrescriptionItemFactory(prescription__encounter=encounter).prescription,
        "order": result.order,
        "result": result,
    }


def page_urls(o):
    return [
        reverse("clinical:chart", args=[o["patient"].pk]),
        reverse("clinical:observation-new", args=[o["encounter"].pk]),
        reverse("clinical:observation-correct", args=[o["observation"].pk]),
        reverse("clinical:prescription-new", args=[o["encounter"].pk]),
        reverse("clinical:lab-order-new", args=[o["encounter"].pk]),
    ]


def lab_page_urls(o):
    return [
        reverse("clinical:lab-result-new", args=[o["order"].pk]),
        reverse("clinical:lab-result-correct", args=[o["result"].pk]),
    ]


def api_urls(o):
    return [
        f"/api/v1/encounters/{o['encounter'].pk}/",
        f"/api/v1/encounters/?patient={o['patient'].pk}",
        f"/api/v1/observations/{o['observation'].pk}/",
        f"/api/v1/observations/?patient={o['patient'].pk}",
        f"/api/v1/prescriptions/{o['prescription'].pk}/",
        f"/api/v1/prescriptions/?patient={o['patient'].pk}",
    ]


def lab_api_urls(o):
    return [
        f"/api/v1/lab-orders/{o['order'].pk}/",
        f"/api/v1/lab-orders/?patient={o['patient'].pk}",
        f"/api/v1/lab-results/{o['result'].pk}/",
        f"/api/v1/lab-results/?patient={o['patient'].pk}",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_404_for_another_patients_records(ward, others, role, client):
    user = getattr(ward, role)
    client.force_login(user)
    for url in page_urls(others):
        assert client.get(url).status_code == 404, (role, url)
    for url in lab_page_urls(others):
        expected = 200 if role == "admin" else (404 if role == "doctor_user" else 403)
        assert client.get(url).status_code == expected, (role, url)
    assert not AccessLog.objects.filter(patient=others["patient"]).exclude(user=ward.admin).exists()


@pytest.mark.parametrize("role", ROLES)
def test_api_answers_404_for_another_patients_records(ward, others, role, api_client_for):
    api = api_client_for(getattr(ward, role))
    for url in api_urls(others):
        assert api.get(url).status_code == 404, (role, url)
    for url in lab_api_urls(others):
        assert api.get(url).status_code == (200 if role == "admin" else 404), (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_writes_into_another_patients_record_answer_404(ward, others, role, api_client_for, client):
    api = api_client_for(getattr(ward, role))
    encounter = others["encounter"].pk
    attempts = [
        ("/api/v1/observations/", {"encounter": encounter, "kind": "heart_rate", "value": "70"}),
        (
            "/api/v1/observations/",
            {"supersedes": others["observation"].pk, "value": "1", "correction_reason": "x"},
        ),
        (
            "/api/v1/prescriptions/",
            {
                "encounter": encounter,
                "items": [{"drug": "X", "dose": "1", "frequency": "1", "duration_days": 1}],
            },
        ),
        ("/api/v1/lab-orders/", {"encounter": encounter, "test_name": "CRP"}),
        ("/api/v1/encounters/", {"patient": others["patient"].pk}),
        (f"/api/v1/encounters/{encounter}/close/", {}),
    ]
    for url, body in attempts:
        assert api.post(url, body, format="json").status_code == 404, (role, url)
    client.force_login(getattr(ward, role))
    assert client.post(reverse("clinical:encounter-close", args=[encounter])).status_code == 404
    assert (
        client.post(reverse("clinical:encounter-open", args=[others["patient"].pk])).status_code
        == 404
    )
    others["encounter"].refresh_from_db()
    assert others["encounter"].is_open


def test_unknown_ids_answer_exactly_like_hidden_ones(ward, api_client_for):
    api = api_client_for(ward.doctor_user)
    assert api.get("/api/v1/observations/999999/").status_code == 404
    assert api.get("/api/v1/observations/?patient=999999").status_code == 404
    assert (
        api.post(
            "/api/v1/observations/", {"encounter": 999999, "kind": "note", "text": "x"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("role", ["doctor_user", "nurse"])
def test_the_care_team_reads_the_chart_and_it_is_logged(ward, role, client, api_client_for):
    user = getattr(ward, role)
    ObservationFactory(encounter=ward.encounter)
    client.force_login(user)
    assert client.get(reverse("clinical:chart", args=[ward.patient.pk])).status_code == 200
    api = api_client_for(user)
    assert api.get(f"/api/v1/observations/?patient={ward.patient.pk}").json()["count"] == 1
    logged = AccessLog.objects.filter(user=user, patient=ward.patient, action="read")
    assert set(logged.values_list("object_type", flat=True)) == {
        "clinical.chart",
        "clinical.observation list",
    }


@pytest.mark.parametrize("role", ["receptionist", "admin", "patient_user"])
def test_receptionists_admins_and_patients_never_read_the_notes(ward, role, client, api_client_for):
    ObservationFactory(
        encounter=ward.encounter, kind="note", value=None, unit="", text="Confidential"
    )
    client.force_login(getattr(ward, role))
    assert client.get(reverse("clinical:chart", args=[ward.patient.pk])).status_code == 404
    api = api_client_for(getattr(ward, role))
    assert api.get(f"/api/v1/observations/?patient={ward.patient.pk}").status_code == 404
    assert api.get(f"/api/v1/encounters/{ward.encounter.pk}/").status_code == 404


def test_no_put_patch_or_delete_on_append_only_records(ward, api_client_for):
    observation = ObservationFactory(encounter=ward.encounter)
    result = LabResultFactory(order__encounter=ward.encounter)
    api = api_client_for(ward.doctor_user)
    for url in (f"/api/v1/observations/{observation.pk}/", f"/api/v1/lab-results/{result.pk}/"):
        assert api.put(url, {"value": "1"}).status_code == 405
        assert api.patch(url, {"value": "1"}).status_code == 405
        assert api.delete(url).status_code == 405
    observation.refresh_from_db()
    assert observation.value == 37.2 or str(observation.value) == "37.20"
