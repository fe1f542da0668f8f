"""The clinical pages: chart, triage and observation entry, prescriptions, lab desk, portal."""

from decimal import Decimal

from django.core import mail
from django.urls import reverse

from clinical import services
from clinical.models import Encounter, LabOrder, LabResult, Observation, Prescription
from clinical.services import ResultInput
from clinical.tests.factories import EncounterFactory, LabResultFactory, ObservationFactory
from scheduling.models import AppointmentStatus


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
    assert "39.90" in html and "37.90" in html and "Wrong patient&#x27;s reading" in html
    assert 'class="abnormal"' in html  # 20 above 16
    assert "Prescribe" in html  # the treating doctor's actions


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
    assert response.status_code == 200 and "Expected between" in response.content.decode()
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
    assert client.post(url, {"value": "36.6", "reason": ""}).status_code == 200  # reason required
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
    assert client.post(url, empty).status_code == 200  # at least one item
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
    assert client.post(order_url, {"test_name": "ESR"}).status_code == 200  # closed: a form error


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
    assert client.post(url, {"value": "1", "unit": "u"}).status_code == 200  # already has a result


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
