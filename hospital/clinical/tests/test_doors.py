"""Clinical records through both doors: the chart, triage, forms and the lab desk as
pages, and the clinical API."""

from decimal import Decimal

from django.core import mail
from django.urls import reverse

from clinical import services
from clinical.models import Encounter, LabOrder, LabResult, Observation, Prescription
from clinical.services import ResultInput
from clinical.tests.factories import (
    EncounterFactory,
    LabResultFactory,
    ObservationFactory,
    PrescriptionItemFactory,
)
from scheduling.models import AppointmentStatus
from scheduling.tests.factories import AppointmentFactory


def test_chart_shows_the_timeline_with_superseded_history(ward, page_client_for):
    first = services.record_observation(
        by=ward.nurse, encounter=ward.encounter, kind="temperature", value=Decimal("39.9")
    )
    services.correct_observation(
        by=ward.nurse, original=first, value=Decimal("37.9"), reason="Wrong patient's reading"
    )
    order = services.order_lab_test(by=ward.doctor_user, encounter=ward.encounter, test_name="Hb")
    services.record_lab_result(
        by=ward.admin,
        order=order,
        data=ResultInput(value=Decimal("20"), unit="g/dL", reference_high=Decimal("16")),
    )
    page = page_client_for(ward.doctor_user).get(reverse("clinical:chart", args=[ward.patient.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'class="superseded" id="observation-{first.pk}"' in html
    assert "39.9\xa0°C" in html and "37.9\xa0°C" in html  # the shared measure filter
    assert "Wrong patient&#x27;s reading" in html
    assert 'class="abnormal"' in html  # 20 above 16
    assert "Prescribe" in html  # the treating doctor's actions


def test_a_note_with_html_in_it_is_shown_as_text_on_the_chart(ward, page_client_for):
    # A note is typed by staff; whatever it holds must reach the page escaped, or one
    # <script> in a note runs in the browser of every doctor who opens the chart.
    services.record_observation(
        by=ward.nurse, encounter=ward.encounter, kind="note", text="<script>alert(1)</script>"
    )
    page = page_client_for(ward.doctor_user).get(reverse("clinical:chart", args=[ward.patient.pk]))
    html = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_values_print_as_entered_with_their_unit_on_chart_results_and_lab_desk(
    ward, page_client_for
):
    """ "10.9 g/dL", "76 bpm": no column's zero padding (shared/web/formatting.py)."""
    nbsp = "\N{NO-BREAK SPACE}"
    services.record_observation(
        by=ward.nurse, encounter=ward.encounter, kind="heart_rate", value=Decimal("76")
    )
    LabResultFactory(
        order__encounter=ward.encounter, value=Decimal("10.9"), reference_low=Decimal("12")
    )
    pages = {
        reverse("clinical:chart", args=[ward.patient.pk]): ward.doctor_user,
        reverse("clinical:my-results"): ward.patient_user,
        reverse("clinical:lab-queue"): ward.admin,
    }
    for url, user in pages.items():
        html = page_client_for(user).get(url).content.decode()
        assert f"10.9{nbsp}g/dL" in html, url
        assert "10.9000" not in html and ".0000" not in html, url
    chart = page_client_for(ward.doctor_user).get(next(iter(pages))).content.decode()
    assert f"76{nbsp}bpm" in chart and "76.00" not in chart
    assert "12–16" in chart  # the reference range, as entered


def test_chart_queries_do_not_grow_with_the_record(ward, page_client_for, assert_constant_queries):
    client = page_client_for(ward.doctor_user)
    url = reverse("clinical:chart", args=[ward.patient.pk])

    def add_rows(count=3):
        for _ in range(count):
            encounter = EncounterFactory(patient=ward.patient, doctor=ward.doctor)
            original = ObservationFactory(encounter=encounter)
            ObservationFactory(encounter=encounter, supersedes=original, correction_reason="r")
            LabResultFactory(order__encounter=encounter)
            services.prescribe(
                by=ward.doctor_user,
                encounter=encounter,
                items=[services.ItemInput(drug="A", dose="1", frequency="1", duration_days=1)] * 2,
            )

    add_rows(1)  # every kind of record present once: each prefetch runs in the baseline too
    assert_constant_queries(lambda: client.get(url), add_rows)


def test_nurse_triage_to_vitals(ward, page_client_for):
    client = page_client_for(ward.nurse)
    page = client.get(reverse("clinical:triage"))
    assert ward.patient.full_name in page.content.decode()
    response = client.post(reverse("clinical:triage-start", args=[ward.appointment.pk]))
    assert response["Location"] == reverse("clinical:observation-new", args=[ward.encounter.pk])
    response = client.post(response["Location"], {"kind": "heart_rate", "value": "88", "text": ""})
    assert response.status_code == 302
    assert Observation.objects.get().recorded_by == ward.nurse
    # A typo is a form error with the field's message, nothing saved.
    response = client.post(
        reverse("clinical:observation-new", args=[ward.encounter.pk]),
        {"kind": "heart_rate", "value": "880"},
    )
    assert response.status_code == 400 and "Expected between" in response.content.decode()
    assert Observation.objects.count() == 1


def test_nurse_cannot_take_vitals_once_checked_out(ward, page_client_for):
    ward.appointment.status = AppointmentStatus.COMPLETED
    ward.appointment.save()
    client = page_client_for(ward.nurse)
    response = client.post(
        reverse("clinical:observation-new", args=[ward.encounter.pk]),
        {"kind": "heart_rate", "value": "80"},
    )
    assert response.status_code == 403
    assert not Observation.objects.exists()


def test_correct_an_observation_from_the_page(ward, page_client_for):
    original = ObservationFactory(encounter=ward.encounter)
    client = page_client_for(ward.nurse)
    url = reverse("clinical:observation-correct", args=[original.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"value": "36.6", "reason": ""}).status_code == 400  # reason required
    response = client.post(url, {"value": "36.6", "reason": "Typo"})
    assert response.status_code == 302
    assert Observation.objects.current().get().value == Decimal("36.60")
    response = client.post(url, {"value": "36.7", "reason": "Again"})
    assert "already corrected" in response.content.decode()


def test_doctor_prescribes_orders_and_closes_from_the_chart(ward, page_client_for):
    client = page_client_for(ward.doctor_user)
    url = reverse("clinical:prescription-new", args=[ward.encounter.pk])
    assert client.get(url).status_code == 200
    form = {
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "10",
        "items-0-drug": "Paracetamol",
        "items-0-dose": "1 g",
        "items-0-frequency": "4x a day",
        "items-0-duration_days": "3",
        "notes": "With food",
    }
    assert client.post(url, form).status_code == 302
    assert Prescription.objects.get().items.get().drug == "Paracetamol"
    empty = {
        **form,
        "items-0-drug": "",
        "items-0-dose": "",
        "items-0-frequency": "",
        "items-0-duration_days": "",
    }
    assert client.post(url, empty).status_code == 400  # at least one item
    order_url = reverse("clinical:lab-order-new", args=[ward.encounter.pk])
    assert client.get(order_url).status_code == 200
    assert client.post(order_url, {"test_name": "CRP"}).status_code == 302
    assert LabOrder.objects.get().test_name == "CRP"
    client.post(
        reverse("clinical:encounter-close", args=[ward.encounter.pk]), {"summary": "Better"}
    )
    ward.encounter.refresh_from_db()
    assert not ward.encounter.is_open and ward.encounter.summary == "Better"
    response = client.post(
        reverse("clinical:encounter-close", args=[ward.encounter.pk]), follow=True
    )
    assert "already closed" in response.content.decode()
    assert (
        client.post(order_url, {"test_name": "ESR"}).status_code == 400
    )  # closed: a form error, 400


def test_nurse_cannot_prescribe(ward, page_client_for):
    response = page_client_for(ward.nurse).post(
        reverse("clinical:lab-order-new", args=[ward.encounter.pk]), {"test_name": "CRP"}
    )
    assert response.status_code == 403 and not LabOrder.objects.exists()


def test_doctor_opens_a_walk_in_encounter(ward, page_client_for):
    client = page_client_for(ward.doctor_user)
    client.post(reverse("clinical:encounter-open", args=[ward.patient.pk]), {"reason": "Walk-in"})
    assert Encounter.objects.filter(
        patient=ward.patient, reason="Walk-in", appointment=None
    ).exists()
    nurse = page_client_for(ward.nurse)
    assert nurse.post(reverse("clinical:encounter-open", args=[ward.patient.pk])).status_code == 403


def test_a_reason_too_long_is_refused_with_a_message_not_dropped(ward, page_client_for):
    client = page_client_for(ward.doctor_user)
    url = reverse("clinical:encounter-open", args=[ward.patient.pk])
    response = client.post(url, {"reason": "x" * 201}, follow=True)
    assert "Reason: Ensure this value has at most 200 characters" in response.content.decode()
    assert not Encounter.objects.filter(patient=ward.patient, appointment=None).exists()


def test_lab_desk_enters_and_corrects_a_result(
    ward, page_client_for, django_capture_on_commit_callbacks
):
    order = services.order_lab_test(
        by=ward.doctor_user, encounter=ward.encounter, test_name="Glucose"
    )
    client = page_client_for(ward.admin)
    assert "Glucose" in client.get(reverse("clinical:lab-queue")).content.decode()
    url = reverse("clinical:lab-result-new", args=[order.pk])
    assert client.get(url).status_code == 200
    bad = {"value": "5", "unit": "mmol/L", "reference_low": "7", "reference_high": "3"}
    assert "upper bound" in client.post(url, bad).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"value": "9.1", "unit": "mmol/L", "reference_low": "3.9", "reference_high": "7.8"}
        )
    assert response.status_code == 302
    result = LabResult.objects.get()
    assert result.abnormal and len(mail.outbox) == 1
    assert (
        "Glucose"
        not in client.get(reverse("clinical:lab-queue")).content.decode().split("Latest results")[0]
    )
    correct_url = reverse("clinical:lab-result-correct", args=[result.pk])
    assert client.get(correct_url).status_code == 200
    response = client.post(
        correct_url,
        {
            "value": "5.1",
            "unit": "mmol/L",
            "reference_low": "3.9",
            "reference_high": "7.8",
            "reason": "Wrong tube",
        },
    )
    assert response.status_code == 302
    assert LabResult.objects.current().get().abnormal is False
    assert client.post(url, {"value": "1", "unit": "u"}).status_code == 400  # already has a result


def test_portal_shows_my_current_results_only(ward, page_client_for):
    result = services.record_lab_result(
        by=ward.admin,
        order=services.order_lab_test(
            by=ward.doctor_user, encounter=ward.encounter, test_name="Ferritin"
        ),
        data=ResultInput(
            value=Decimal("8"),
            unit="ng/mL",
            reference_low=Decimal("15"),
            reference_high=Decimal("200"),
        ),
    )
    services.correct_lab_result(
        by=ward.admin,
        original=result,
        reason="Units",
        data=ResultInput(value=Decimal("80"), unit="ng/mL"),
    )
    LabResultFactory(order__encounter=ward.other_encounter, order__test_name="Secret test")
    html = page_client_for(ward.patient_user).get(reverse("clinical:my-results")).content.decode()
    assert "Ferritin" in html and "80" in html and "(corrected)" in html
    assert ">8 ng/mL" not in html and "Secret test" not in html


def test_portal_without_a_linked_record(make_user, page_client_for):
    user = make_user(roles=["patient"])
    assert (
        "not linked" in page_client_for(user).get(reverse("clinical:my-results")).content.decode()
    )


def test_work_lists_have_constant_queries(ward, page_client_for, assert_constant_queries):
    """Triage, the lab desk and the portal's results do not grow in queries with their rows."""
    from patients.tests.factories import PatientFactory
    from scheduling.tests.factories import AppointmentFactory
    from staff.tests.factories import DoctorFactory

    def add(count=3):
        for _ in range(count):
            patient = PatientFactory()
            # Another doctor of the ward each time: one doctor cannot see two at once.
            doctor = DoctorFactory(profile__department=ward.department)
            appointment = AppointmentFactory(
                patient=patient,
                doctor=doctor,
                status=AppointmentStatus.CHECKED_IN,
                start=ward.appointment.start,
                end=ward.appointment.end,
            )
            EncounterFactory(patient=patient, doctor=doctor, appointment=appointment)
            LabResultFactory(order__encounter=ward.encounter)
            services.order_lab_test(by=ward.doctor_user, encounter=ward.encounter, test_name="CRP")

    add(1)
    nurse = page_client_for(ward.nurse)
    assert_constant_queries(lambda: nurse.get(reverse("clinical:triage")), add)
    lab = page_client_for(ward.admin)
    assert_constant_queries(lambda: lab.get(reverse("clinical:lab-queue")), add)
    portal = page_client_for(ward.patient_user)
    assert_constant_queries(lambda: portal.get(reverse("clinical:my-results")), add)


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
    assert again.status_code == 409 and Observation.objects.count() == 2  # already corrected


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
        == 409  # the appointment already has its encounter
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
    assert (
        api.post(f"/api/v1/encounters/{encounter_id}/close/", {}).status_code == 409
    )  # already closed
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
