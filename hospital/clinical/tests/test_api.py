"""The clinical API with JWT: the same services and rules as the pages."""

from decimal import Decimal

from django.core import mail

from clinical import services
from clinical.models import Encounter, LabResult, Observation
from clinical.tests.factories import LabResultFactory, ObservationFactory, PrescriptionItemFactory
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory


def test_nurse_records_and_corrects_vitals_through_the_api(ward, api_client_for):
    api = api_client_for(ward.nurse)
    created = api.post(
        "/api/v1/observations/",
        {"encounter": ward.encounter.pk, "kind": "temperature", "value": "38.5"},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["unit"] == "°C"
    correction = api.post(
        "/api/v1/observations/",
        {
            "supersedes": created.json()["id"],
            "value": "37.5",
            "correction_reason": "Wrong thermometer",
        },
    )
    assert correction.status_code == 201, correction.json()
    listed = api.get(f"/api/v1/observations/?patient={ward.patient.pk}").json()["results"]
    flags = {row["id"]: row["is_superseded"] for row in listed}
    assert flags == {created.json()["id"]: True, correction.json()["id"]: False}
    again = api.post(
        "/api/v1/observations/",
        {"supersedes": created.json()["id"], "value": "37", "correction_reason": "x"},
    )
    assert again.status_code == 400 and Observation.objects.count() == 2


def test_bad_observations_are_400_with_the_field(ward, api_client_for):
    api = api_client_for(ward.nurse)
    cases = [
        ({"encounter": ward.encounter.pk, "kind": "temperature", "value": "375"}, "value"),
        ({"encounter": ward.encounter.pk, "kind": "note"}, "text"),
        ({"encounter": ward.encounter.pk, "kind": "mood", "value": "1"}, "kind"),
        ({"kind": "note", "text": "x"}, "encounter"),
        ({"encounter": ward.encounter.pk}, "kind"),
    ]
    for body, field in cases:
        response = api.post("/api/v1/observations/", body)
        assert response.status_code == 400, body
        assert field in {error["attr"] for error in response.json()["errors"]}, response.json()
    assert not Observation.objects.exists()


def test_nurse_gets_403_once_the_patient_left(ward, api_client_for):
    ward.appointment.status = AppointmentStatus.COMPLETED
    ward.appointment.save()
    response = api_client_for(ward.nurse).post(
        "/api/v1/observations/",
        {"encounter": ward.encounter.pk, "kind": "heart_rate", "value": "80"},
    )
    assert response.status_code == 403


def test_doctor_workflow_through_the_api(ward, api_client_for, django_capture_on_commit_callbacks):
    api = api_client_for(ward.doctor_user)
    appointment = AppointmentFactory(
        patient=ward.patient,
        doctor=ward.doctor,
        status=AppointmentStatus.CHECKED_IN,
        start=ward.appointment.end,
        end=ward.appointment.end + (ward.appointment.end - ward.appointment.start),
    )
    opened = api.post(
        "/api/v1/encounters/", {"patient": ward.patient.pk, "appointment": appointment.pk}
    )
    assert opened.status_code == 201, opened.json()
    encounter_id = opened.json()["id"]
    assert (
        api.post(
            "/api/v1/encounters/", {"patient": ward.patient.pk, "appointment": appointment.pk}
        ).status_code
        == 400
    )
    walk_in = api.post("/api/v1/encounters/", {"patient": ward.patient.pk, "reason": "Walk-in"})
    assert walk_in.status_code == 201 and walk_in.json()["appointment"] is None

    prescription = api.post(
        "/api/v1/prescriptions/",
        {
            "encounter": encounter_id,
            "notes": "",
            "items": [
                {"drug": "Ibuprofen", "dose": "400 mg", "frequency": "3x", "duration_days": 5}
            ],
        },
        format="json",
    )
    assert prescription.status_code == 201, prescription.json()
    assert prescription.json()["items"][0]["drug"] == "Ibuprofen"
    assert (
        api.post(
            "/api/v1/prescriptions/", {"encounter": encounter_id, "items": []}, format="json"
        ).status_code
        == 400
    )

    order = api.post("/api/v1/lab-orders/", {"encounter": encounter_id, "test_name": "TSH"})
    assert order.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        result = api.post(
            "/api/v1/lab-results/",
            {
                "order": order.json()["id"],
                "value": "7.2",
                "unit": "mIU/L",
                "reference_low": "0.4",
                "reference_high": "4.0",
            },
        )
    assert result.status_code == 201, result.json()
    assert result.json()["abnormal"] is True and len(mail.outbox) == 1
    corrected = api.post(
        "/api/v1/lab-results/",
        {
            "supersedes": result.json()["id"],
            "value": "2.1",
            "unit": "mIU/L",
            "correction_reason": "Sample mix-up",
        },
    )
    assert corrected.status_code == 201 and corrected.json()["abnormal"] is False
    assert api.post("/api/v1/lab-results/", {"value": "1", "unit": "u"}).status_code == 400
    assert LabResult.objects.count() == 2

    closed = api.post(f"/api/v1/encounters/{encounter_id}/close/", {"summary": "Done"})
    assert closed.status_code == 200 and closed.json()["is_open"] is False
    assert api.post(f"/api/v1/encounters/{encounter_id}/close/", {}).status_code == 400
    detail = api.get(f"/api/v1/encounters/{encounter_id}/").json()
    assert detail["summary"] == "Done"
    assert Encounter.objects.filter(patient=ward.patient).count() == 3


def test_portal_patient_reads_own_results_and_prescriptions_without_a_patient_id(
    ward, api_client_for
):
    LabResultFactory(order__encounter=ward.encounter)
    LabResultFactory(order__encounter=ward.other_encounter)
    PrescriptionItemFactory(prescription__encounter=ward.encounter)
    api = api_client_for(ward.patient_user)
    assert api.get("/api/v1/lab-results/").json()["count"] == 1
    assert api.get("/api/v1/prescriptions/").json()["count"] == 1
    assert api.get("/api/v1/observations/").status_code == 404  # no notes in the portal
    # The staff's encounter is not visible in the portal, so ordering into it is a 404.
    assert (
        api.post(
            "/api/v1/lab-orders/", {"encounter": ward.encounter.pk, "test_name": "x"}
        ).status_code
        == 404
    )


def test_staff_lists_need_a_patient(ward, api_client_for):
    api = api_client_for(ward.doctor_user)
    response = api.get("/api/v1/observations/")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "patient"
    assert api.get("/api/v1/observations/?patient=abc").status_code == 400


def test_list_endpoints_have_constant_queries(ward, api_client_for, assert_constant_queries):
    api = api_client_for(ward.doctor_user)

    def add(count=3):
        for _ in range(count):
            original = ObservationFactory(encounter=ward.encounter)
            ObservationFactory(encounter=ward.encounter, supersedes=original, correction_reason="r")
            LabResultFactory(order__encounter=ward.encounter)
            PrescriptionItemFactory(prescription__encounter=ward.encounter)
            services.open_encounter(by=ward.doctor_user, patient=ward.patient, doctor=ward.doctor)

    add(1)
    for resource in ("encounters", "observations", "prescriptions", "lab-orders", "lab-results"):
        url = f"/api/v1/{resource}/?patient={ward.patient.pk}"
        assert_constant_queries(lambda url=url: api.get(url), add)
    assert Decimal(
        api.get(f"/api/v1/observations/?patient={ward.patient.pk}").json()["results"][0]["value"]
    )
