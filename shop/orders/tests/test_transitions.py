"""The status machine, its stock and money effects, and the staff doors (page and API)."""

import pytest

from catalog.models import Stock
from orders import services
from orders.models import TRANSITIONS, Coupon, CouponRedemption, OrderStatus
from payments.models import PaymentStatus

pytestmark = pytest.mark.django_db
S = OrderStatus


def stock_of(order):
    stock = Stock.objects.get(variant_id=order.lines.get().variant_id)
    return stock.quantity, stock.reserved


@pytest.fixture
def paid_order(placed_order, post_webhook):
    post_webhook(placed_order.payment, "pay")
    placed_order.refresh_from_db()
    return placed_order


def test_transition_table_allows_only_the_documented_edges():
    edges = {(src, t.target) for t in TRANSITIONS.values() for src in t.sources}
    assert edges == {
        (S.PENDING_PAYMENT, S.PAID),
        (S.PAID, S.FULFILLED),
        (S.FULFILLED, S.DELIVERED),
        (S.PENDING_PAYMENT, S.CANCELLED),
        (S.PAID, S.CANCELLED),
        (S.FULFILLED, S.REFUNDED),
        (S.DELIVERED, S.REFUNDED),
    }


def test_full_life_moves_stock_and_records_who(paid_order, staff):
    assert stock_of(paid_order) == (10, 2)
    services.fulfil_order(order=paid_order, by=staff)
    assert stock_of(paid_order) == (8, 0)  # the units left the warehouse
    services.deliver_order(order=paid_order, by=staff, note="signed by J.")
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


def test_cancelling_a_paid_order_refunds_it(paid_order, staff):
    services.cancel_order(order=paid_order, by=staff)
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
    with pytest.raises(services.TransitionNotAllowed):
        services.apply_staff_action(order=placed_order, action=action, by=staff)
    placed_order.refresh_from_db()
    assert placed_order.status == status
    assert placed_order.status_changes.count() == 1


def test_a_stale_read_cannot_win(paid_order, staff):
    """The caller read 'paid'; someone fulfilled it meanwhile; cancelling must now be refused."""
    stale = paid_order.__class__.objects.get(pk=paid_order.pk)
    services.fulfil_order(order=paid_order, by=staff)
    with pytest.raises(services.TransitionNotAllowed):
        services.cancel_order(order=stale, by=staff)


def test_unknown_action_is_refused(placed_order, staff):
    with pytest.raises(services.TransitionNotAllowed):
        services.apply_staff_action(order=placed_order, action="teleport", by=staff)


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

    def test_a_refused_action_shows_a_message(self, placed_order, staff, page_client_for):
        client = page_client_for(staff)
        response = client.post(
            f"/staff/orders/{placed_order.number}/action/", {"action": "refund"}, follow=True
        )
        assert b"cannot refund" in response.content
        placed_order.refresh_from_db()
        assert placed_order.status == S.PENDING_PAYMENT

    def test_garbage_action_is_refused(self, placed_order, staff, page_client_for):
        response = page_client_for(staff).post(
            f"/staff/orders/{placed_order.number}/action/", {"action": "explode"}, follow=True
        )
        assert b"Unknown action" in response.content

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
