"""The admin shows orders with their snapshots read-only, and acts through the services."""

import pytest

from orders.models import OrderStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, make_user):
    admin = make_user(email="root@example.com")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    return client


def test_order_change_page_shows_lines_and_history(admin_client_, placed_order):
    response = admin_client_.get(f"/admin/orders/order/{placed_order.pk}/change/")
    assert response.status_code == 200
    assert placed_order.lines.get().sku.encode() in response.content
    assert b"Order placed" in response.content
    assert admin_client_.get("/admin/orders/order/add/").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/orders/order/",
        "/admin/orders/coupon/",
        "/admin/orders/invoice/",
        "/admin/orders/salesreport/",
        "/admin/catalog/lowstockalert/",
        "/admin/orders/couponredemption/",
        "/admin/payments/payment/",
        "/admin/payments/webhookevent/",
    ],
)
def test_list_pages_render(admin_client_, placed_order, url):
    assert admin_client_.get(url).status_code == 200


def test_bulk_cancel_goes_through_the_service(admin_client_, placed_order):
    response = admin_client_.post(
        "/admin/orders/order/",
        {"action": "action_cancel", "_selected_action": [placed_order.pk]},
        follow=True,
    )
    assert b"Cancel: 1 order(s)." in response.content
    placed_order.refresh_from_db()
    assert placed_order.status == OrderStatus.CANCELLED
    response = admin_client_.post(
        "/admin/orders/order/",
        {"action": "action_fulfil", "_selected_action": [placed_order.pk]},
        follow=True,
    )
    assert b"cannot fulfil" in response.content


def test_payments_are_read_only(admin_client_, placed_order):
    url = f"/admin/payments/payment/{placed_order.payment.pk}/change/"
    response = admin_client_.get(url)
    assert response.status_code == 200 and b'name="_save"' not in response.content
