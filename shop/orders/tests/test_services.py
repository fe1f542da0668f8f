"""The orders' use cases through the service functions: checkout (snapshots, stock, idempotency),
coupons, and the status machine's stock and money effects."""

from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from catalog.exceptions import OutOfStock
from catalog.models import Stock, Variant
from orders import services
from orders.exceptions import CheckoutError, CouponError, TransitionNotAllowed
from orders.models import Coupon, CouponRedemption, Invoice, Order, OrderStatus
from payments.models import Payment, PaymentStatus
from payments.sandbox import SandboxGateway
from shared.errors import DomainError

pytestmark = pytest.mark.django_db


def reserved(variant) -> int:
    return Stock.objects.get(variant=variant).reserved


S = OrderStatus


def stock_of(order):
    stock = Stock.objects.get(variant_id=order.lines.get().variant_id)
    return stock.quantity, stock.reserved


# --- Checkout and coupons --------------------------------------------------------------------


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

        with pytest.raises(OutOfStock, match="Only 1 of") as refused:
            place(customer, cart, coupon_code=coupon.code)
        assert refused.value.status_code == 409 and refused.value.field == "cart"

        assert Order.objects.count() == 0 and Payment.objects.count() == 0
        assert (reserved(plenty), reserved(scarce)) == (0, 0)
        coupon.refresh_from_db()
        assert coupon.times_used == 0
        assert cart.items.count() == 2  # the customer's cart is kept

    def test_empty_cart_is_refused(self, customer, fill_cart, place):
        with pytest.raises(CheckoutError, match="empty"):
            place(customer, fill_cart(customer))

    def test_inactive_variant_is_refused(self, customer, make_variant, fill_cart, place):
        variant = make_variant(is_active=False)
        with pytest.raises(CheckoutError, match="no longer sold"):
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
        with pytest.raises(CouponError, match=message) as error:
            place(customer, fill_cart(customer, (make_variant(), 1)), coupon_code="nope")
        assert error.value.field == "coupon_code"

    def test_unknown_code(self, customer, make_variant, fill_cart, place):
        with pytest.raises(CouponError):
            place(customer, fill_cart(customer, (make_variant(), 1)), coupon_code="GHOST")

    def test_limit_reached_between_check_and_redeem_is_refused(self, placed_order, make_coupon):
        # The Python check passed earlier; the conditional UPDATE is what actually refuses.
        coupon = make_coupon("LAST", usage_limit=1, times_used=1)
        with pytest.raises(CouponError, match="used up"):
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


def test_payment_status_is_pending_until_the_webhook(placed_order):
    assert placed_order.payment.status == PaymentStatus.PENDING


# --- Status transitions ----------------------------------------------------------------------


def test_the_confirmation_task_waits_for_the_payment_to_commit(
    placed_order, mailoutbox, django_capture_on_commit_callbacks
):
    # mark_paid queues the confirmation with transaction.on_commit. Sent at once instead, a
    # worker could run it before the payment is committed (and find the order still unpaid),
    # or send it for a payment that then rolls back. Here nothing may run until the commit.
    with django_capture_on_commit_callbacks() as callbacks:
        services.mark_paid(order=placed_order)
        assert not Invoice.objects.filter(order=placed_order).exists()
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: now the task runs (eagerly here) and issues the invoice
    assert Invoice.objects.filter(order=placed_order).exists()


def test_full_life_moves_stock_and_records_who(
    paid_order, staff, django_capture_on_commit_callbacks
):
    assert stock_of(paid_order) == (10, 2)
    services.fulfil_order(order=paid_order, by=staff)
    assert stock_of(paid_order) == (8, 0)  # the units left the warehouse
    services.deliver_order(order=paid_order, by=staff, note="signed by J.")
    with django_capture_on_commit_callbacks(execute=True):  # the refund job runs at the commit
        services.refund_order(order=paid_order, by=staff, note="damaged")
    assert stock_of(paid_order) == (8, 0)  # a refund after shipping does not restock
    paid_order.payment.refresh_from_db()
    assert paid_order.payment.status == PaymentStatus.REFUNDED
    history = [(c.from_status, c.to_status, c.changed_by) for c in paid_order.status_changes.all()]
    assert history == [
        ("", S.PENDING_PAYMENT, paid_order.user),
        (S.PENDING_PAYMENT, S.PAID, None),
        (S.PAID, S.FULFILLED, staff),
        (S.FULFILLED, S.DELIVERED, staff),
        (S.DELIVERED, S.REFUNDED, staff),
    ]


def test_cancelling_unpaid_order_releases_stock_and_coupon(
    customer, make_variant, fill_cart, place, make_coupon, staff
):
    coupon = make_coupon("ONE", usage_limit=1)
    order = place(customer, fill_cart(customer, (make_variant(quantity=3), 3)), coupon_code="one")
    services.cancel_order(order=order, by=staff)
    assert stock_of(order) == (3, 0)
    assert Coupon.objects.get(pk=coupon.pk).times_used == 0
    assert not CouponRedemption.objects.filter(order=order).exists()


def test_cancelling_a_paid_order_refunds_it(paid_order, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the refund job runs at the commit
        services.cancel_order(order=paid_order, by=staff)
        paid_order.payment.refresh_from_db()
        # Decided in the transaction, sent to the provider only after the commit.
        assert paid_order.payment.status == PaymentStatus.REFUND_PENDING
    paid_order.payment.refresh_from_db()
    assert (paid_order.status, paid_order.payment.status) == (S.CANCELLED, PaymentStatus.REFUNDED)
    assert stock_of(paid_order) == (10, 0)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("fulfil", S.PENDING_PAYMENT),
        ("deliver", S.PAID),
        ("refund", S.PAID),
        ("cancel", S.FULFILLED),
    ],
)
def test_disallowed_transitions_are_refused_and_change_nothing(placed_order, staff, action, status):
    placed_order.__class__.objects.filter(pk=placed_order.pk).update(status=status)
    with pytest.raises(TransitionNotAllowed):
        services.apply_staff_action(order=placed_order, action=action, by=staff)
    placed_order.refresh_from_db()
    assert placed_order.status == status
    assert placed_order.status_changes.count() == 1


def test_a_stale_read_cannot_win(paid_order, staff):
    """The caller read 'paid'; someone fulfilled it meanwhile; cancelling must now be refused."""
    stale = paid_order.__class__.objects.get(pk=paid_order.pk)
    services.fulfil_order(order=paid_order, by=staff)
    with pytest.raises(TransitionNotAllowed):
        services.cancel_order(order=stale, by=staff)


def test_unknown_action_is_invalid_input(placed_order, staff):
    with pytest.raises(DomainError) as refused:
        services.apply_staff_action(order=placed_order, action="teleport", by=staff)
    assert refused.value.status_code == 400 and refused.value.field == "action"


class PriceChangingGateway(SandboxGateway):
    """While the provider opens the session, staff change the price of what is in the cart."""

    def start_checkout(self, **kwargs):
        Variant.objects.update(price=F("price") + 1)
        return super().start_checkout(**kwargs)


def test_a_price_changed_while_the_payment_opened_places_nothing(
    customer, make_variant, fill_cart, place, settings
):
    settings.SHOP_PAYMENT_GATEWAY = "orders.tests.test_services.PriceChangingGateway"
    variant = make_variant(quantity=5, price=Decimal("10.00"))
    cart = fill_cart(customer, (variant, 2))
    with pytest.raises(CheckoutError) as caught:
        place(customer, cart)
    assert caught.value.field == "cart" and "changed" in caught.value.message
    assert not Order.objects.exists() and not Payment.objects.exists()
    assert reserved(variant) == 0 and cart.items.count() == 1
