"""Who sees which orders (``Order.objects.visible_to``) and who reaches the staff doors."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.roles import CUSTOMER, STAFF
from orders.models import Order

pytestmark = pytest.mark.django_db


def test_visible_to_a_customer_their_own_to_staff_all_to_a_visitor_none(
    placed_order, stranger, staff
):
    assert list(Order.objects.visible_to(placed_order.user)) == [placed_order]
    assert list(Order.objects.visible_to(stranger)) == []
    assert list(Order.objects.visible_to(staff)) == [placed_order]
    assert list(Order.objects.visible_to(AnonymousUser())) == []


@pytest.mark.parametrize(
    ("role", "page", "api"),
    [(None, 302, 401), (CUSTOMER, 403, 403), (STAFF, 200, 200)],
)
def test_the_staff_doors_by_role(
    role, page, api, placed_order, make_user, client, api_client, api_client_for
):
    """The page and the API refuse alike: a visitor is sent to log in (401 in the API), a
    customer is refused (403), staff get in."""
    if role is not None:
        user = make_user(roles=[role], email=f"{role}@example.com")
        client.force_login(user)
        api_client = api_client_for(user)
    assert client.get(f"/staff/orders/{placed_order.number}/").status_code == page
    assert api_client.get(f"/api/v1/staff/orders/{placed_order.pk}/").status_code == api


@pytest.mark.parametrize(
    "path",
    [
        "/cart/",
        "/checkout/",
        "/orders/",
        "/orders/{number}/",
        "/orders/{number}/confirmation/",
        "/orders/{number}/invoice.pdf",
        "/payments/sandbox/{reference}/",
    ],
)
def test_pages_with_a_customers_data_are_never_stored(
    path, placed_order, page_client_for, fill_cart, make_variant
):
    from orders.services import mark_paid
    from orders.tasks import send_confirmation

    mark_paid(order=placed_order)
    send_confirmation(placed_order.pk)  # the invoice exists
    fill_cart(placed_order.user, (make_variant(), 1))  # so /checkout/ renders, not redirects
    url = path.format(number=placed_order.number, reference=placed_order.payment.reference)
    response = page_client_for(placed_order.user).get(url)
    assert response.status_code == 200, url
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    ["/staff/", "/staff/orders/", "/staff/orders/{number}/", "/staff/orders/{number}/invoice.pdf"],
)
def test_staff_pages_are_never_stored(path, placed_order, staff, page_client_for):
    from orders.services import mark_paid
    from orders.tasks import send_confirmation

    mark_paid(order=placed_order)
    send_confirmation(placed_order.pk)
    url = path.format(number=placed_order.number)
    response = page_client_for(staff).get(url)
    assert response.status_code == 200, url
    assert "no-store" in response["Cache-Control"]
