"""Checkout through the service, the page and the API: snapshots, stock, coupons, idempotency."""

from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Stock
from orders import services
from orders.models import Coupon, CouponRedemption, Order, OrderStatus
from orders.tests.conftest import ADDRESS_FORM
from payments.models import Payment, PaymentStatus

pytestmark = pytest.mark.django_db


def reserved(variant) -> int:
    return Stock.objects.get(variant=variant).reserved


class TestPlaceOrder:
    def test_snapshots_lines_reserves_stock_starts_payment_and_empties_cart(
        self, customer, make_variant, fill_cart, place
    ):
        tee = make_variant(quantity=5, price=Decimal("19.90"), title="Blue / M")
        mug = make_variant(quantity=5, price=Decimal("7.50"))
        cart = fill_cart(customer, (tee, 2), (mug, 1))

        order = place(customer, cart)

        assert order.status == OrderStatus.PENDING_PAYMENT
        assert order.number == f"SO-{order.created.year}-{order.pk:06d}"
        assert (order.subtotal, order.discount, order.total) == (
            Decimal("47.30"),
            0,
            Decimal("47.30"),
        )
        assert order.ship_country == "FR" and order.email == customer.email
        line = order.lines.get(variant=tee)
        assert (line.sku, line.unit_price, line.quantity) == (tee.sku, Decimal("19.90"), 2)
        assert line.title == f"{tee.product.title} – Blue / M"
        assert (reserved(tee), reserved(mug)) == (2, 1)
        payment = Payment.objects.get(order=order)
        assert (payment.amount, payment.status, payment.provider) == (
            Decimal("47.30"),
            "pending",
            "sandbox",
        )
        assert cart.items.count() == 0
        assert [c.to_status for c in order.status_changes.all()] == ["pending_payment"]

    def test_line_snapshot_survives_a_price_change(self, placed_order):
        line = placed_order.lines.get()
        line.variant.price = Decimal("99.00")
        line.variant.save()
        line.refresh_from_db()
        assert line.unit_price == Decimal("19.90")

    def test_same_idempotency_key_returns_the_same_order(
        self, customer, make_variant, fill_cart, place
    ):
        variant = make_variant(quantity=5)
        cart = fill_cart(customer, (variant, 1))
        first = place(customer, cart, key="key-1")
        cart.items.create(variant=variant, quantity=3)  # even with a different cart now
        assert place(customer, cart, key="key-1") == first
        assert Order.objects.count() == 1 and reserved(variant) == 1

    def test_out_of_stock_rolls_everything_back(
        self, customer, make_variant, fill_cart, place, make_coupon
    ):
        plenty, scarce = make_variant(quantity=10), make_variant(quantity=1)
        coupon = make_coupon(usage_limit=5)
        cart = fill_cart(customer, (plenty, 2), (scarce, 2))

        with pytest.raises(services.CheckoutError, match="Only 1 of"):
            place(customer, cart, coupon_code=coupon.code)

        assert Order.objects.count() == 0 and Payment.objects.count() == 0
        assert (reserved(plenty), reserved(scarce)) == (0, 0)
        coupon.refresh_from_db()
        assert coupon.times_used == 0
        assert cart.items.count() == 2  # the customer's cart is kept

    def test_empty_cart_is_refused(self, customer, fill_cart, place):
        with pytest.raises(services.CheckoutError, match="empty"):
            place(customer, fill_cart(customer))

    def test_inactive_variant_is_refused(self, customer, make_variant, fill_cart, place):
        variant = make_variant(is_active=False)
        with pytest.raises(services.CheckoutError, match="no longer sold"):
            place(customer, fill_cart(customer, (variant, 1)))


class TestCoupons:
    def test_percentage_coupon_is_case_insensitive_and_redeemed_once(
        self, customer, make_variant, fill_cart, place, make_coupon
    ):
        coupon = make_coupon("Welcome10", value="10", usage_limit=3)
        order = place(
            customer,
            fill_cart(customer, (make_variant(price=Decimal("19.90")), 2)),
            coupon_code="  welcome10 ",
        )
        assert (order.discount, order.total) == (Decimal("3.98"), Decimal("35.82"))
        coupon.refresh_from_db()
        assert coupon.times_used == 1
        assert CouponRedemption.objects.get(order=order).amount == Decimal("3.98")

    def test_fixed_coupon_never_exceeds_the_subtotal_and_zero_total_is_paid_at_once(
        self,
        customer,
        make_variant,
        fill_cart,
        place,
        make_coupon,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        make_coupon("FREE", kind="fixed", value="500")
        with django_capture_on_commit_callbacks(execute=True):
            order = place(
                customer,
                fill_cart(customer, (make_variant(price=Decimal("5.00")), 1)),
                coupon_code="FREE",
            )
        assert (order.discount, order.total, order.status) == (Decimal("5.00"), 0, OrderStatus.PAID)
        assert not Payment.objects.filter(order=order).exists()
        assert len(mailoutbox) == 1  # the confirmation went out

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"is_active": False}, "not valid"),
            ({"valid_until": timezone.now() - timezone.timedelta(days=1)}, "not valid"),
            ({"valid_from": timezone.now() + timezone.timedelta(days=1)}, "not valid"),
            ({"usage_limit": 1, "times_used": 1}, "used up"),
        ],
    )
    def test_unusable_coupons_are_refused_with_a_field_error(
        self, customer, make_variant, fill_cart, place, make_coupon, kwargs, message
    ):
        make_coupon("NOPE", **kwargs)
        with pytest.raises(services.CouponError, match=message) as error:
            place(customer, fill_cart(customer, (make_variant(), 1)), coupon_code="nope")
        assert error.value.field == "coupon_code"

    def test_unknown_code(self, customer, make_variant, fill_cart, place):
        with pytest.raises(services.CouponError):
            place(customer, fill_cart(customer, (make_variant(), 1)), coupon_code="GHOST")

    def test_limit_reached_between_check_and_redeem_is_refused(self, placed_order, make_coupon):
        # The Python check passed earlier; the conditional UPDATE is what actually refuses.
        coupon = make_coupon("LAST", usage_limit=1, times_used=1)
        with pytest.raises(services.CouponError, match="used up"):
            services.redeem_coupon(coupon=coupon, order=placed_order)

    def test_database_refuses_invalid_coupons(self, make_coupon):
        from django.db import IntegrityError, transaction

        for bad in (
            {"kind": "percentage", "value": "150"},
            {"value": "0"},
            {"usage_limit": 0},
            {"usage_limit": 1, "times_used": 2},
        ):
            with pytest.raises(IntegrityError), transaction.atomic():
                make_coupon(f"BAD{len(bad)}", **bad)
        make_coupon("UNIQUE")
        with pytest.raises(IntegrityError), transaction.atomic():
            make_coupon("unique")
        assert Coupon.objects.count() == 1


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
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "cart"
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

    def test_anonymous_gets_401(self, api_client):
        assert api_client.post(self.URL, self.BODY, HTTP_IDEMPOTENCY_KEY="k").status_code == 401


def test_payment_status_is_pending_until_the_webhook(placed_order):
    assert placed_order.payment.status == PaymentStatus.PENDING
