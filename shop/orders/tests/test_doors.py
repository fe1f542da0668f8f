"""The orders through both doors, pages and API: checkout, what customers see (their own
orders only, 404 otherwise), the staff's order handling, refusals (409 for a transition the
status no longer allows, 400 for invalid input) and bad input (a 4xx, never a 500)."""

from decimal import Decimal

import pytest

from catalog.models import Stock
from orders.models import Order, OrderStatus
from orders.services import issue_invoice
from orders.tests.conftest import ADDRESS_FORM

pytestmark = pytest.mark.django_db


def reserved(variant) -> int:
    return Stock.objects.get(variant=variant).reserved


S = OrderStatus


# --- Checkout: the page and the API ----------------------------------------------------------


class TestCheckoutPage:
    def test_get_shows_the_review_and_a_fresh_idempotency_key(
        self, customer, page_client_for, make_variant, fill_cart
    ):
        fill_cart(customer, (make_variant(price=Decimal("19.90")), 2))
        response = page_client_for(customer).get("/checkout/")
        assert response.status_code == 200
        assert b"39.80" in response.content and b'name="idempotency_key"' in response.content

    def test_empty_cart_redirects_to_the_cart(self, customer, page_client_for):
        response = page_client_for(customer).get("/checkout/")
        assert response.status_code == 302 and response.url == "/cart/"

    def test_an_item_no_longer_sold_sends_back_to_the_cart_saying_why(
        self, customer, page_client_for, make_variant, fill_cart
    ):
        fill_cart(customer, (make_variant(is_active=False), 1))
        response = page_client_for(customer).get("/checkout/", follow=True)
        assert response.redirect_chain[-1][0] == "/cart/"
        assert b"no longer sold" in response.content

    def test_anonymous_visitor_must_log_in(self, client):
        response = client.get("/checkout/")
        assert response.status_code == 302 and "/accounts/login/" in response.url

    def test_post_places_the_order_and_redirects_to_the_payment_page(
        self, customer, page_client_for, make_variant, fill_cart
    ):
        fill_cart(customer, (make_variant(), 1))
        client = page_client_for(customer)
        response = client.post("/checkout/", {**ADDRESS_FORM, "idempotency_key": "k1"})
        order = Order.objects.get()
        assert response.status_code == 302 and response.url == f"/orders/{order.number}/pay/"
        response = client.get(response.url)
        assert (
            response.status_code == 302
            and response.url == f"/payments/sandbox/{order.payment.reference}/"
        )

    def test_double_submit_creates_one_order(
        self, customer, page_client_for, make_variant, fill_cart
    ):
        variant = make_variant(quantity=5)
        fill_cart(customer, (variant, 1))
        client = page_client_for(customer)
        first = client.post("/checkout/", {**ADDRESS_FORM, "idempotency_key": "same"})
        second = client.post("/checkout/", {**ADDRESS_FORM, "idempotency_key": "same"})
        assert first.url == second.url
        assert Order.objects.count() == 1 and reserved(variant) == 1

    def test_out_of_stock_is_a_form_error_not_a_500(
        self, customer, page_client_for, make_variant, fill_cart
    ):
        variant = make_variant(quantity=3)
        fill_cart(customer, (variant, 2))
        Stock.objects.filter(variant=variant).update(reserved=2)  # someone else bought 2 meanwhile
        response = page_client_for(customer).post(
            "/checkout/", {**ADDRESS_FORM, "idempotency_key": "k"}
        )
        assert response.status_code == 400
        assert b"Only 1 of" in response.content
        assert Order.objects.count() == 0

    def test_used_up_coupon_is_shown_next_to_the_field(
        self, customer, page_client_for, make_variant, fill_cart, make_coupon
    ):
        make_coupon("ONCE", usage_limit=1, times_used=1)
        fill_cart(customer, (make_variant(), 1))
        response = page_client_for(customer).post(
            "/checkout/", {**ADDRESS_FORM, "coupon_code": "once", "idempotency_key": "k"}
        )
        assert response.status_code == 400
        assert response.context["form"].errors["coupon_code"] == ["This coupon has been used up."]

    def test_invalid_address_keeps_the_review(
        self, customer, page_client_for, make_variant, fill_cart, make_coupon
    ):
        make_coupon("SAVE10")
        fill_cart(customer, (make_variant(price=Decimal("10.00")), 1))
        response = page_client_for(customer).post(
            "/checkout/",
            {**ADDRESS_FORM, "country": "France", "coupon_code": "save10", "idempotency_key": "k"},
        )
        assert response.status_code == 400
        assert "country" in response.context["form"].errors
        assert response.context["quote"].discount == Decimal("1.00")


class TestCheckoutApi:
    URL = "/api/v1/checkout/"
    BODY = {k: v for k, v in ADDRESS_FORM.items() if k != "line2"}

    def test_checkout_returns_the_order_with_its_payment_url(
        self, customer, api_client_for, make_variant, fill_cart
    ):
        fill_cart(customer, (make_variant(price=Decimal("19.90")), 2))
        response = api_client_for(customer).post(self.URL, self.BODY, HTTP_IDEMPOTENCY_KEY="api-1")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "pending_payment" and body["total"] == "39.80"
        assert body["payment_url"].endswith(f"/orders/{body['number']}/pay/")
        assert body["lines"][0]["quantity"] == 2

    def test_replay_with_the_same_key_returns_the_same_order(
        self, customer, api_client_for, make_variant, fill_cart
    ):
        fill_cart(customer, (make_variant(), 1))
        client = api_client_for(customer)
        first = client.post(self.URL, self.BODY, HTTP_IDEMPOTENCY_KEY="same")
        second = client.post(self.URL, self.BODY, HTTP_IDEMPOTENCY_KEY="same")
        assert first.json()["id"] == second.json()["id"] and Order.objects.count() == 1

    def test_missing_idempotency_key_is_a_400_naming_it(
        self, customer, api_client_for, make_variant, fill_cart
    ):
        fill_cart(customer, (make_variant(), 1))
        response = api_client_for(customer).post(self.URL, self.BODY)
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "Idempotency-Key"

    def test_stock_rule_holds_through_the_api(
        self, customer, api_client_for, make_variant, fill_cart
    ):
        variant = make_variant(quantity=1)
        fill_cart(customer, (variant, 2))
        response = api_client_for(customer).post(self.URL, self.BODY, HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 409  # the stock refuses it now: a conflict, not bad input
        assert response.json()["type"] == "client_error"
        assert response.json()["errors"][0]["attr"] == "cart"
        assert response.json()["errors"][0]["code"] == "out_of_stock"
        assert reserved(variant) == 0

    def test_coupon_limit_holds_through_the_api(
        self, customer, api_client_for, make_variant, fill_cart, make_coupon
    ):
        make_coupon("ONCE", usage_limit=1, times_used=1)
        fill_cart(customer, (make_variant(), 1))
        response = api_client_for(customer).post(
            self.URL, {**self.BODY, "coupon_code": "ONCE"}, HTTP_IDEMPOTENCY_KEY="k"
        )
        assert response.status_code == 400
        assert response.json()["errors"][0] == {
            "code": "invalid",
            "detail": "This coupon has been used up.",
            "attr": "coupon_code",
        }

    def test_no_cart_is_a_400(self, customer, api_client_for):
        response = api_client_for(customer).post(self.URL, self.BODY, HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 400
        assert "empty" in response.json()["errors"][0]["detail"]

    def test_bad_address_names_the_field(self, customer, api_client_for):
        response = api_client_for(customer).post(
            self.URL, {**self.BODY, "country": "F"}, HTTP_IDEMPOTENCY_KEY="k"
        )
        assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "country"

    def test_a_cart_beyond_what_an_order_holds_is_a_400_not_a_database_error(
        self, customer, api_client_for, make_variant, fill_cart
    ):
        # Built directly (the cart service refuses it): prices may also rise after adding.
        lines = [(make_variant(quantity=50, price="99999999.99"), 20) for _ in range(6)]
        cart = fill_cart(customer, *lines)
        response = api_client_for(customer).post(self.URL, self.BODY, HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["attr"] == "cart" and "more than one order can hold" in error["detail"]
        assert not Order.objects.exists() and cart.items.count() == 6

    def test_an_unreachable_provider_is_a_503_and_nothing_is_placed(
        self, customer, api_client_for, make_variant, fill_cart, settings
    ):
        settings.SHOP_PAYMENT_GATEWAY = "orders.tests.test_doors.UnreachableGateway"
        variant = make_variant(quantity=5)
        fill_cart(customer, (variant, 2))
        api = api_client_for(customer)
        # A 5xx is reported (logged, sent to error tracking) as well as answered; the test
        # client would re-raise what is reported, so look at the answer the client gets.
        api.raise_request_exception = False
        response = api.post(self.URL, self.BODY, HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 503
        assert "could not be reached" in response.json()["errors"][0]["detail"]
        assert not Order.objects.exists() and reserved(variant) == 0

    def test_anonymous_gets_401(self, api_client):
        assert api_client.post(self.URL, self.BODY, HTTP_IDEMPOTENCY_KEY="k").status_code == 401


# --- What customers see, and their cancel button ---------------------------------------------


class TestPages:
    def test_history_lists_own_orders_only(
        self, placed_order, stranger, fill_cart, make_variant, place, page_client_for
    ):
        theirs = place(stranger, fill_cart(stranger, (make_variant(), 1)))
        response = page_client_for(placed_order.user).get("/orders/")
        assert list(response.context["orders"]) == [placed_order]
        assert theirs.number.encode() not in response.content

    def test_detail_of_someone_elses_order_is_a_404(self, placed_order, stranger, page_client_for):
        client = page_client_for(stranger)
        for url in ("/", "/pay/", "/confirmation/", "/invoice.pdf"):
            assert client.get(f"/orders/{placed_order.number}{url}").status_code == 404, url

    def test_detail_shows_lines_history_and_pay_button(self, placed_order, page_client_for):
        response = page_client_for(placed_order.user).get(f"/orders/{placed_order.number}/")
        assert response.status_code == 200
        assert placed_order.lines.get().sku.encode() in response.content
        assert b"Pay now" in response.content and b"Order placed" in response.content

    def test_confirmation_refreshes_while_waiting_then_thanks(
        self, placed_order, page_client_for, post_webhook
    ):
        client = page_client_for(placed_order.user)
        waiting = client.get(f"/orders/{placed_order.number}/confirmation/")
        assert b'http-equiv="refresh"' in waiting.content
        post_webhook(placed_order.payment, "pay")
        done = client.get(f"/orders/{placed_order.number}/confirmation/")
        assert b"Thank you" in done.content and b'http-equiv="refresh"' not in done.content
        # a settled order's pay link goes back to the confirmation
        assert client.get(f"/orders/{placed_order.number}/pay/").url.endswith("/confirmation/")

    def test_confirmation_after_a_decline(self, placed_order, page_client_for, post_webhook):
        post_webhook(placed_order.payment, "decline")
        response = page_client_for(placed_order.user).get(
            f"/orders/{placed_order.number}/confirmation/"
        )
        assert b"cancelled" in response.content and b"declined" in response.content

    def test_invoice_download(self, placed_order, page_client_for):
        client = page_client_for(placed_order.user)
        assert (
            client.get(f"/orders/{placed_order.number}/invoice.pdf").status_code == 404
        )  # not yet issued
        invoice = issue_invoice(order=placed_order)
        response = client.get(f"/orders/{placed_order.number}/invoice.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert (
            response.content.startswith(b"%PDF")
            and invoice.number in response["Content-Disposition"]
        )

    def test_history_needs_login(self, client):
        assert client.get("/orders/").status_code == 302

    def test_history_queries_do_not_grow(
        self, customer, page_client_for, fill_cart, make_variant, place, assert_constant_queries
    ):
        client = page_client_for(customer)

        def add_orders():
            for _ in range(3):
                place(customer, fill_cart(customer, (make_variant(), 1), (make_variant(), 2)))

        add_orders()
        assert_constant_queries(lambda: client.get("/orders/"), add_orders)


class TestApi:
    def test_list_and_detail_are_own_only(self, placed_order, stranger, api_client_for):
        mine = api_client_for(placed_order.user)
        body = mine.get("/api/v1/orders/").json()
        assert [o["number"] for o in body["results"]] == [placed_order.number]
        assert mine.get(f"/api/v1/orders/{placed_order.pk}/").json()["lines"][0]["quantity"] == 2
        theirs = api_client_for(stranger)
        assert theirs.get("/api/v1/orders/").json()["results"] == []
        assert theirs.get(f"/api/v1/orders/{placed_order.pk}/").status_code == 404

    def test_anonymous_gets_401(self, api_client):
        assert api_client.get("/api/v1/orders/").status_code == 401

    def test_list_queries_do_not_grow(
        self, customer, api_client_for, fill_cart, make_variant, place, assert_constant_queries
    ):
        client = api_client_for(customer)

        def add_orders():
            for _ in range(3):
                place(customer, fill_cart(customer, (make_variant(), 1), (make_variant(), 2)))

        add_orders()
        assert_constant_queries(lambda: client.get("/api/v1/orders/"), add_orders)
        assert Order.objects.count() == 6

    def test_staff_list_queries_do_not_grow(
        self,
        customer,
        staff,
        api_client_for,
        fill_cart,
        make_variant,
        place,
        assert_constant_queries,
    ):
        client = api_client_for(staff)

        def add_orders():
            for _ in range(3):
                place(customer, fill_cart(customer, (make_variant(), 1)))

        add_orders()
        assert_constant_queries(lambda: client.get("/api/v1/staff/orders/"), add_orders)


class TestCustomerCancel:
    """One rule through both doors: a customer may cancel their own order while it is unpaid."""

    def test_page(self, placed_order, page_client_for):
        client = page_client_for(placed_order.user)
        assert b"Cancel this order" in client.get(f"/orders/{placed_order.number}/").content
        response = client.post(f"/orders/{placed_order.number}/cancel/", follow=True)
        assert b"is cancelled" in response.content
        placed_order.refresh_from_db()
        assert placed_order.status == "cancelled"
        assert placed_order.status_changes.last().changed_by == placed_order.user

    def test_api(self, placed_order, api_client_for):
        response = api_client_for(placed_order.user).post(
            f"/api/v1/orders/{placed_order.pk}/cancel/"
        )
        assert response.status_code == 200 and response.json()["status"] == "cancelled"

    def test_paid_orders_are_refused_by_both_doors(
        self, placed_order, page_client_for, api_client_for
    ):
        from orders.services import mark_paid

        mark_paid(order=placed_order)
        response = page_client_for(placed_order.user).post(f"/orders/{placed_order.number}/cancel/")
        assert response.status_code == 409 and b"already paid" in response.content
        response = api_client_for(placed_order.user).post(
            f"/api/v1/orders/{placed_order.pk}/cancel/"
        )
        assert response.status_code == 409
        placed_order.refresh_from_db()
        assert placed_order.status == "paid"

    def test_someone_elses_order_is_a_404_through_both_doors(
        self, placed_order, stranger, page_client_for, api_client_for
    ):
        assert (
            page_client_for(stranger).post(f"/orders/{placed_order.number}/cancel/").status_code
            == 404
        )
        assert (
            api_client_for(stranger).post(f"/api/v1/orders/{placed_order.pk}/cancel/").status_code
            == 404
        )
        placed_order.refresh_from_db()
        assert placed_order.status == "pending_payment"


class TestPaymentLinkApi:
    """GET /api/v1/orders/{id}/payment/: the provider's page, for clients without a session."""

    def test_pending_order_gets_the_hosted_page(self, placed_order, api_client_for):
        response = api_client_for(placed_order.user).get(
            f"/api/v1/orders/{placed_order.pk}/payment/"
        )
        assert response.status_code == 200
        assert response.json() == {
            "checkout_url": f"http://testserver/payments/sandbox/{placed_order.payment.reference}/"
        }

    def test_a_paid_order_is_a_409(self, placed_order, api_client_for):
        from orders.services import mark_paid

        mark_paid(order=placed_order)
        response = api_client_for(placed_order.user).get(
            f"/api/v1/orders/{placed_order.pk}/payment/"
        )
        assert response.status_code == 409
        assert response.json()["errors"][0]["detail"] == "This order is not waiting for a payment."

    def test_the_schema_documents_its_409(self, client):
        schema = client.get("/api/schema/?format=json").json()
        assert "409" in schema["paths"]["/api/v1/orders/{id}/payment/"]["get"]["responses"]

    def test_someone_elses_order_is_a_404(self, placed_order, stranger, api_client_for):
        response = api_client_for(stranger).get(f"/api/v1/orders/{placed_order.pk}/payment/")
        assert response.status_code == 404


# --- Staff: the order page and the staff API -------------------------------------------------


class TestStaffPage:
    def test_only_allowed_buttons_are_shown(self, paid_order, staff, page_client_for):
        response = page_client_for(staff).get(f"/staff/orders/{paid_order.number}/")
        assert response.status_code == 200
        buttons = [t.action for t in response.context["order"].allowed_actions()]
        assert buttons == ["fulfil", "cancel"]
        assert b'value="fulfil"' in response.content and b'value="refund"' not in response.content

    def test_fulfil_button(self, paid_order, staff, page_client_for):
        response = page_client_for(staff).post(
            f"/staff/orders/{paid_order.number}/action/", {"action": "fulfil"}
        )
        assert response.status_code == 302
        paid_order.refresh_from_db()
        assert paid_order.status == S.FULFILLED

    def test_a_refused_action_is_a_409_page_saying_why(self, placed_order, staff, page_client_for):
        client = page_client_for(staff)
        response = client.post(f"/staff/orders/{placed_order.number}/action/", {"action": "refund"})
        assert response.status_code == 409  # the same refusal as the API's
        assert response.templates[0].name == "shared/domain_error.html"
        assert b"cannot refund" in response.content
        placed_order.refresh_from_db()
        assert placed_order.status == S.PENDING_PAYMENT

    def test_garbage_action_is_a_400(self, placed_order, staff, page_client_for):
        response = page_client_for(staff).post(
            f"/staff/orders/{placed_order.number}/action/", {"action": "explode"}
        )
        assert response.status_code == 400 and b"Unknown action" in response.content

    def test_customers_cannot_act(self, placed_order, customer, page_client_for):
        response = page_client_for(customer).post(
            f"/staff/orders/{placed_order.number}/action/", {"action": "cancel"}
        )
        assert response.status_code == 403
        placed_order.refresh_from_db()
        assert placed_order.status == S.PENDING_PAYMENT

    def test_order_list_queries_do_not_grow(
        self,
        customer,
        staff,
        page_client_for,
        fill_cart,
        make_variant,
        place,
        assert_constant_queries,
    ):
        client = page_client_for(staff)

        def add_orders():
            for _ in range(3):
                place(customer, fill_cart(customer, (make_variant(), 1), (make_variant(), 1)))

        add_orders()
        assert_constant_queries(lambda: client.get("/staff/orders/"), add_orders)

    def test_order_list_filters_by_status(self, paid_order, staff, page_client_for):
        client = page_client_for(staff)
        assert list(client.get("/staff/orders/?status=paid").context["orders"]) == [paid_order]
        assert list(client.get("/staff/orders/?status=delivered").context["orders"]) == []


class TestStaffApi:
    def url(self, order, action):
        return f"/api/v1/staff/orders/{order.pk}/{action}/"

    def test_fulfil(self, paid_order, staff, api_client_for):
        response = api_client_for(staff).post(self.url(paid_order, "fulfil"), {"note": "DHL 123"})
        assert response.status_code == 200
        assert response.json()["status"] == "fulfilled"
        assert response.json()["allowed_actions"] == ["deliver", "refund"]
        assert paid_order.status_changes.last().note == "DHL 123"

    def test_a_disallowed_transition_is_a_409(self, placed_order, staff, api_client_for):
        response = api_client_for(staff).post(self.url(placed_order, "refund"))
        assert response.status_code == 409
        assert response.json()["errors"][0]["code"] == "transition_not_allowed"

    def test_customers_get_403(self, placed_order, customer, api_client_for):
        assert api_client_for(customer).post(self.url(placed_order, "cancel")).status_code == 403

    def test_cancel_and_list(self, placed_order, staff, api_client_for):
        client = api_client_for(staff)
        assert client.post(self.url(placed_order, "cancel")).status_code == 200
        listing = client.get("/api/v1/staff/orders/?status=cancelled").json()
        assert [o["number"] for o in listing["results"]] == [placed_order.number]
        assert listing["results"][0]["allowed_actions"] == []

    def test_deliver(self, paid_order, staff, api_client_for):
        client = api_client_for(staff)
        client.post(self.url(paid_order, "fulfil"))
        assert client.post(self.url(paid_order, "deliver")).json()["status"] == "delivered"
        assert client.post(self.url(paid_order, "refund")).json()["status"] == "refunded"


# --- Bad input: a 4xx (or a form error), never a 500, and nothing changes --------------------


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


class UnreachableGateway:
    """A provider whose servers do not answer (the checkout's call raises)."""

    name = "unreachable"

    def start_checkout(self, **kwargs):
        raise ConnectionRefusedError("connection refused")
