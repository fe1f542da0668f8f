"""Billing through both doors: the desk's pages, the portal, the API, and who sees what."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing import services
from billing.models import Invoice, Payment
from billing.services import LineInput
from clinical.tests.factories import EncounterFactory
from patients.models import AccessLog


@pytest.fixture
def issued(ward):
    invoice = services.create_invoice(
        by=ward.receptionist,
        encounter=ward.encounter,
        lines=[LineInput(description="Consultation", unit_price=Decimal("60.00"))],
    )
    return services.issue_invoice(by=ward.receptionist, invoice=invoice)


@pytest.fixture
def other_invoice(ward):
    invoice = services.create_invoice(
        by=ward.receptionist,
        encounter=ward.other_encounter,
        lines=[LineInput(description="Scan", unit_price=Decimal("300.00"))],
    )
    return services.issue_invoice(by=ward.receptionist, invoice=invoice)


def test_the_desk_bills_a_visit_from_the_pages(ward, page_client_for):
    client = page_client_for(ward.receptionist)
    listing = client.get(reverse("billing:list")).content.decode()
    assert "Bill this visit" in listing
    response = client.post(reverse("billing:create", args=[ward.encounter.pk]))
    invoice = Invoice.objects.get()
    assert response["Location"] == reverse("billing:detail", args=[invoice.pk])
    add = reverse("billing:add-line", args=[invoice.pk])
    assert (
        client.post(
            add, {"description": "Consultation", "quantity": 1, "unit_price": "80.00"}
        ).status_code
        == 302
    )
    bad = client.post(add, {"description": "", "quantity": 0, "unit_price": "-1"})
    assert bad.status_code == 400 and "This field is required" in bad.content.decode()
    client.post(reverse("billing:action", args=[invoice.pk, "issue"]))
    invoice.refresh_from_db()
    assert invoice.status == "issued" and invoice.number
    pay = reverse("billing:pay", args=[invoice.pk])
    too_much = client.post(pay, {"amount": "80.01", "method": "card"})
    assert (
        too_much.status_code == 400 and "exceeds the balance of 80.00" in too_much.content.decode()
    )
    assert (
        client.post(pay, {"amount": "80.00", "method": "card", "reference": "T-1"}).status_code
        == 302
    )
    invoice.refresh_from_db()
    assert invoice.status == "paid" and Payment.objects.get().reference == "T-1"
    page = client.get(reverse("billing:detail", args=[invoice.pk])).content.decode()
    assert "Paid" in page and "Record a payment" not in page
    assert (
        client.get(reverse("billing:list") + "?status=paid").content.decode().count(invoice.number)
        == 1
    )
    followed = client.post(reverse("billing:action", args=[invoice.pk, "void"]), follow=True)
    assert "Only an issued invoice with no payment" in followed.content.decode()
    assert client.post(reverse("billing:action", args=[invoice.pk, "refund"])).status_code == 302


def test_void_from_the_page(ward, issued, page_client_for):
    page_client_for(ward.admin).post(reverse("billing:action", args=[issued.pk, "void"]))
    issued.refresh_from_db()
    assert issued.status == "void"


def test_portal_patient_sees_own_invoices_only(ward, issued, other_invoice, page_client_for):
    draft = services.create_invoice(by=ward.receptionist, encounter=ward.encounter)
    client = page_client_for(ward.patient_user)
    html = client.get(reverse("billing:my-invoices")).content.decode()
    assert issued.number in html and other_invoice.number not in html
    page = client.get(reverse("billing:detail", args=[issued.pk]))
    assert page.status_code == 200 and "Record a payment" not in page.content.decode()
    assert client.get(reverse("billing:detail", args=[other_invoice.pk])).status_code == 404
    assert client.get(reverse("billing:detail", args=[draft.pk])).status_code == 404
    assert (
        client.post(
            reverse("billing:pay", args=[issued.pk]), {"amount": "1", "method": "cash"}
        ).status_code
        == 403
    )
    assert (
        AccessLog.objects.filter(
            user=ward.patient_user, object_type="billing.invoice", action="read"
        ).count()
        == 1
    )


@pytest.mark.parametrize("role", ["doctor_user", "nurse", "patient_user"])
def test_another_patients_invoice_is_404_through_both_doors(
    ward, other_invoice, role, client, api_client_for
):
    user = getattr(ward, role)
    client.force_login(user)
    expected_page = (
        404 if role == "patient_user" else 403
    )  # clinicians have no billing pages at all
    assert (
        client.get(reverse("billing:detail", args=[other_invoice.pk])).status_code == expected_page
    )
    api = api_client_for(user)
    assert api.get(f"/api/v1/invoices/{other_invoice.pk}/").status_code == 404
    assert api.get("/api/v1/invoices/").json()["count"] == 0


def test_the_desk_bills_through_the_api(ward, api_client_for):
    api = api_client_for(ward.receptionist)
    created = api.post(
        "/api/v1/invoices/",
        {
            "encounter": ward.encounter.pk,
            "lines": [{"description": "Consultation", "unit_price": "70.00"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    invoice_id = created.json()["id"]
    assert created.json()["total"] == "70.00" and created.json()["status"] == "draft"
    line = api.post(
        f"/api/v1/invoices/{invoice_id}/lines/",
        {"description": "Dressing", "quantity": 2, "unit_price": "2.50"},
    )
    assert line.status_code == 201 and line.json()["total"] == "75.00"
    issued = api.post(f"/api/v1/invoices/{invoice_id}/issue/")
    assert issued.status_code == 200 and issued.json()["number"].startswith("INV-")
    assert (
        api.post(
            f"/api/v1/invoices/{invoice_id}/lines/", {"description": "x", "unit_price": "1"}
        ).status_code
        == 409  # an issued invoice is frozen: the state refuses, not the input
    )
    over = api.post(
        f"/api/v1/invoices/{invoice_id}/payments/", {"amount": "75.01", "method": "cash"}
    )
    assert over.status_code == 409 and over.json()["errors"][0]["attr"] == "amount"
    bad_method = api.post(
        f"/api/v1/invoices/{invoice_id}/payments/", {"amount": "5", "method": "gold"}
    )
    assert bad_method.status_code == 400
    paid = api.post(
        f"/api/v1/invoices/{invoice_id}/payments/", {"amount": "75.00", "method": "cash"}
    )
    assert (
        paid.status_code == 201
        and paid.json()["status"] == "paid"
        and paid.json()["balance"] == "0.00"
    )
    assert api.post(f"/api/v1/invoices/{invoice_id}/void/").status_code == 409
    assert api.get(f"/api/v1/invoices/{invoice_id}/").json()["payments"][0]["amount"] == "75.00"
    assert api.post("/api/v1/invoices/", {"encounter": 999999}, format="json").status_code == 404
    assert api.put(f"/api/v1/invoices/{invoice_id}/", {}).status_code == 405


def test_void_through_the_api_and_patients_cannot_write(ward, issued, api_client_for):
    assert (
        api_client_for(ward.patient_user).post(f"/api/v1/invoices/{issued.pk}/void/").status_code
        == 403
    )
    assert api_client_for(ward.patient_user).get("/api/v1/invoices/").json()["count"] == 1
    voided = api_client_for(ward.admin).post(f"/api/v1/invoices/{issued.pk}/void/")
    assert voided.status_code == 200 and voided.json()["status"] == "void"


def test_invoice_lists_have_constant_queries(
    ward, page_client_for, api_client_for, assert_constant_queries
):
    page = page_client_for(ward.receptionist)
    api = api_client_for(ward.receptionist)

    def add(count=3):
        for _ in range(count):
            encounter = EncounterFactory(patient=ward.patient, doctor=ward.doctor)
            invoice = services.create_invoice(
                by=ward.receptionist,
                encounter=encounter,
                lines=[
                    LineInput(description="A", unit_price=Decimal("10")),
                    LineInput(description="B", unit_price=Decimal("5")),
                ],
            )
            services.issue_invoice(by=ward.receptionist, invoice=invoice)
            services.record_payment(
                by=ward.receptionist, invoice=invoice, amount=Decimal("5"), method="cash"
            )
            EncounterFactory(patient=ward.patient, doctor=ward.doctor)  # one unbilled visit too

    add(1)
    assert_constant_queries(lambda: page.get(reverse("billing:list")), add)
    assert_constant_queries(lambda: api.get("/api/v1/invoices/"), add)
    patient_page = page_client_for(ward.patient_user)
    assert_constant_queries(lambda: patient_page.get(reverse("billing:my-invoices")), add)


def test_an_overflowing_line_is_a_400_through_both_doors(ward, api_client_for, page_client_for):
    invoice = services.create_invoice(by=ward.receptionist, encounter=ward.encounter)
    huge = {"description": "MRI", "quantity": 2, "unit_price": "99999999.99"}
    api = api_client_for(ward.receptionist)
    response = api.post(f"/api/v1/invoices/{invoice.pk}/lines/", huge)
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "quantity"
    page = page_client_for(ward.receptionist).post(
        reverse("billing:add-line", args=[invoice.pk]), huge
    )
    assert page.status_code == 400 and "a line is at most" in page.content.decode()
    assert not invoice.lines.exists()
