"""Bad input gets a 4xx (or a form error), never a 500, and changes nothing."""

import pytest

from orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/orders/abc/", "/api/v1/orders/999999/"])
def test_unknown_or_malformed_ids_are_404_in_the_api(customer, api_client_for, url):
    assert api_client_for(customer).get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/orders/SO-NOPE/",
        "/orders/SO-2026-%00/",
        "/staff/orders/SO-2026-000001%00/",
        "/payments/sandbox/sbx_%00/",
        "/staff/reports/2026-02-30.csv",
    ],
)
def test_unknown_or_malformed_ids_are_404_on_pages(staff, page_client_for, url):
    assert page_client_for(staff).get(url).status_code == 404


def test_staff_action_on_a_malformed_id_is_404(staff, api_client_for):
    assert api_client_for(staff).post("/api/v1/staff/orders/abc/fulfil/").status_code == 404


def test_checkout_api_rejects_non_json_and_oversized_fields(customer, api_client_for):
    client = api_client_for(customer)
    response = client.post(
        "/api/v1/checkout/",
        data="{not json",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert response.status_code == 400
    response = client.post(
        "/api/v1/checkout/",
        {"name": "x" * 500, "coupon_code": "y" * 500},
        HTTP_IDEMPOTENCY_KEY="k" * 65,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "Idempotency-Key"
    assert Order.objects.count() == 0


def test_checkout_api_rejects_an_unprintable_idempotency_key(customer, api_client_for):
    response = api_client_for(customer).post("/api/v1/checkout/", {}, HTTP_IDEMPOTENCY_KEY="a\x00b")
    assert response.status_code == 400


def test_checkout_page_rejects_a_tampered_idempotency_key(customer, page_client_for):
    response = page_client_for(customer).post("/checkout/", {"idempotency_key": "k" * 65})
    assert response.status_code == 400
    assert "idempotency_key" in response.context["form"].errors


def test_checkout_page_with_a_nul_in_the_coupon_is_a_form_error(
    customer, page_client_for, make_variant, fill_cart
):
    fill_cart(customer, (make_variant(), 1))
    response = page_client_for(customer).post(
        "/checkout/", {"coupon_code": "SAVE\x0010", "idempotency_key": "k"}
    )
    assert response.status_code == 400
    assert "coupon_code" in response.context["form"].errors
    assert response.context["quote"] is not None  # the review is still shown


def test_sandbox_page_needs_the_csrf_token(placed_order):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/payments/sandbox/{placed_order.payment.reference}/", {"outcome": "pay"}
    )
    assert response.status_code == 403
