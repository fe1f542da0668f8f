"""What customers see: their own orders only (404 otherwise), on pages and in the API,
with a constant number of queries whatever the number of orders."""

import pytest

from orders.models import Order
from orders.services import issue_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(make_user):
    return make_user(roles=["customer"], email="stranger@example.com")


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
        response = page_client_for(placed_order.user).post(
            f"/orders/{placed_order.number}/cancel/", follow=True
        )
        assert b"already paid" in response.content
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
