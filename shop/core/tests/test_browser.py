"""The shop in a real browser: a visitor browses, buys and pays; staff fulfils the order.

These tests click through the pages a person uses, in headless Chromium, against a live
server (see shared/testing/browser.py and docs/browser-tests.md). The other tests call views
with Django's test client, which never runs the HTML: only a browser proves that the forms
post where they should, the redirects land, the CSS loads and the CSP blocks nothing.

The data is the demo seed (``manage.py seed_demo``), the same as ``make run`` serves.
"""

import re
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from catalog.models import Variant
from orders.models import Order, OrderStatus
from payments.models import WebhookEvent
from shared.testing.browser import (
    BOTH_SCREENS,
    ConsoleLog,
    assert_columns_in_view,
    assert_in_view,
    log_in,
    log_out,
    new_context,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUSTOMER = "customer@shop.example"
STAFF = "staff@shop.example"


@pytest.fixture
def seeded(settings, live_server):
    """The demo data, and the sandbox's webhook pointed at the live server.

    The sandbox delivers its webhook with a real HTTP POST to ``SHOP_PUBLIC_URL``; in the
    tests Celery is eager, so the POST happens while the "Pay" request is being answered,
    and lands on another thread of the live server."""
    settings.SHOP_PUBLIC_URL = live_server.url
    call_command("seed_demo", verbosity=0)


def in_stock_variant(product_slug: str, *, at_least: int) -> Variant:
    """A variant of the product with enough units (the seed's stock levels are random)."""
    for variant in Variant.objects.filter(product__slug=product_slug).select_related("stock"):
        if variant.stock.quantity - variant.stock.reserved >= at_least:
            return variant
    raise AssertionError(f"the seed has no {product_slug} variant with {at_least} units")


def test_a_visitor_browses_buys_and_pays_and_staff_fulfils(
    seeded, browser, browser_page, browser_console, screenshot, live_server
):
    page = browser_page

    # Home, then the catalog from the navigation.
    page.goto("/")
    expect(page.locator("header .site-name")).to_be_visible()
    screenshot(page, "home")
    page.get_by_role("link", name="Catalog", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All products")

    # The demo catalog fills two pages of 24: the second holds the rest, none of the first.
    total = int(page.locator(".result-count").inner_text().split()[0])
    assert 24 < total <= 48
    first_page = set(page.locator(".product-card h3").all_text_contents())
    page.locator("nav.pagination").get_by_role("link", name="Next").click()
    expect(page.locator("nav.pagination")).to_contain_text("Page 2 of 2")
    second_page = set(page.locator(".product-card h3").all_text_contents())
    assert (len(first_page), len(second_page)) == (24, total - 24)
    assert not first_page & second_page

    # Filter by a category (its sub-categories included), then search inside it.
    page.locator("aside.category-menu").get_by_role("link", name="Footwear").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Footwear")
    grid = page.locator(".product-grid")
    expect(grid).to_contain_text("Chelsea boot")  # Boots, a sub-category of Footwear
    expect(grid).not_to_contain_text("Linen shirt")
    page.get_by_role("link", name="All", exact=True).click()
    page.get_by_role("searchbox", name="Search").fill("linen")
    page.get_by_role("combobox", name="Sort").select_option("price")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"q=linen"))
    expect(page.locator(".result-count")).to_have_text("2 products")
    titles = page.locator(".product-card h3").all_text_contents()
    assert sorted(titles) == ["Linen shirt", "Linen throw"]
    screenshot(page, "catalog-search")

    # The product page: pick a variant with stock, two units, add to the cart.
    variant = in_stock_variant("linen-shirt", at_least=2)
    page.get_by_role("link", name="Linen shirt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Linen shirt")
    expect(page.locator("table.variants")).to_contain_text(variant.sku)
    page.locator(f"input[name=variant][value='{variant.pk}']").check()
    page.get_by_label("Quantity").fill("2")
    screenshot(page, "product")
    page.get_by_role("button", name="Add to cart").click()

    # The anonymous cart.
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.locator("table.cart")).to_contain_text(variant.sku)
    expect(page.locator(".cart-count")).to_have_text("2")

    # Checkout asks for a login; the session cart merges into the customer's cart.
    page.get_by_role("button", name="Checkout").click()  # a link styled as a button
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/checkout/"))
    page.fill("input[name=username]", CUSTOMER)
    page.fill("input[name=password]", django_settings.DEMO_PASSWORD)
    page.locator("main form").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect(page.locator("header .user-email")).to_have_text(CUSTOMER)
    review = page.locator("table.order-lines")
    expect(review).to_contain_text(f"Linen shirt – {variant.title}")
    subtotal = variant.price * 2
    expect(review.locator("tfoot")).to_contain_text(str(subtotal))

    # The address and a coupon from the seed (10 % off), then place the order.
    form = page.locator("form.checkout-form")
    for name, value in {
        "name": "Ada Lovelace",
        "line1": "12 Analytical Row",
        "postcode": "75001",
        "city": "Paris",
        "country": "FR",
        "coupon_code": "WELCOME10",
    }.items():
        form.locator(f"input[name={name}]").fill(value)
    screenshot(page, "checkout")
    page.get_by_role("button", name="Place order and pay").click()

    # The sandbox's hosted payment page, with the discounted amount.
    expect(page).to_have_url(re.compile(r"/payments/sandbox/sbx_\w+/$"))
    order = Order.objects.get(user__email=CUSTOMER, status=OrderStatus.PENDING_PAYMENT)
    assert order.total == (subtotal * Decimal("0.9")).quantize(Decimal("0.01"))
    expect(page.locator(".sandbox")).to_contain_text(order.number)
    expect(page.locator(".sandbox .amount")).to_contain_text(str(order.total))
    screenshot(page, "sandbox")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()

    # The webhook has arrived: the confirmation says paid, the email has the invoice.
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/confirmation/$"))
    expect(page.locator(".status-good")).to_contain_text("Your payment was received")
    screenshot(page, "confirmation")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert WebhookEvent.objects.filter(event_id=f"evt_{order.payment.reference}_pay").exists()
    confirmation = [m for m in mail.outbox if order.number in m.subject]
    assert len(confirmation) == 1 and confirmation[0].to == [CUSTOMER]
    assert confirmation[0].attachments[0][2] == "application/pdf"
    page.get_by_role("link", name="Order details").click()
    expect(page.locator("h1 .status")).to_have_text("Paid")

    # Meanwhile, in another browser: staff sees the order on the dashboard and fulfils it.
    staff_context = browser.new_context(base_url=live_server.url)
    staff_page = staff_context.new_page()
    staff_console = ConsoleLog()
    staff_page.on("console", lambda msg: staff_console.messages.append((msg.type, msg.text)))
    log_in(staff_page, STAFF, django_settings.DEMO_PASSWORD)
    staff_page.get_by_role("link", name="Staff").click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Staff dashboard")
    chart = staff_page.locator("svg.sales-chart")
    expect(chart).to_be_visible()
    # Money in cents, whatever the database (SQLite once showed "2214.1600000000000"), in
    # the shared money style (shared/web/formatting.py): "€2,214.16".
    expect(staff_page.get_by_role("heading", name=re.compile("Sales, last 30 days"))).to_have_text(
        re.compile(r"Sales, last 30 days: €\d{1,3}(,\d{3})*\.\d\d$")
    )
    assert chart.locator("rect.bar").count() == 30
    assert chart.bounding_box()["height"] > 50  # the stylesheet gives the chart its size
    screenshot(staff_page, "staff-dashboard")
    staff_page.get_by_role("link", name=order.number).click()
    staff_page.get_by_role("button", name="Fulfil").click()
    expect(staff_page.locator("h1 .status")).to_have_text("Fulfilled")
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED
    staff_context.close()

    # The customer's history shows the new status.
    page.goto("/orders/")
    expect(page.locator("main")).to_contain_text(order.number)
    expect(page.locator("main")).to_contain_text("Fulfilled")

    # No page ran an inline script or style that the Content-Security-Policy blocked.
    assert browser_console.csp_violations() == []
    assert staff_console.csp_violations() == []


def test_a_new_visitor_registers_at_checkout_and_declines_the_payment(
    seeded, browser_page, browser_console, screenshot
):
    page = browser_page
    variant = in_stock_variant("chelsea-boot", at_least=1)
    reserved_before = variant.stock.reserved

    # An anonymous cart with one pair of boots.
    page.goto("/products/chelsea-boot/")
    page.locator(f"input[name=variant][value='{variant.pk}']").check()
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("table.cart")).to_contain_text(variant.sku)

    # Checkout needs an account: register from the login page the checkout sends to.
    page.get_by_role("button", name="Checkout").click()
    page.locator("main").get_by_role("link", name="Create an account").click()
    form = page.locator("main form")
    form.locator("input[name=email]").fill("new.buyer@example.com")
    form.locator("input[name=full_name]").fill("New Buyer")
    form.locator("input[name=password]").fill("a-long-enough-secret-2024")
    form.locator("input[name=password_confirm]").fill("a-long-enough-secret-2024")
    form.get_by_role("button", name="Create my account").click()
    expect(page.locator("main")).to_contain_text("new.buyer@example.com")

    # The verification email links back to the live server; following it verifies.
    (verification,) = [m for m in mail.outbox if m.to == ["new.buyer@example.com"]]
    link = re.search(r"https?://\S+/accounts/\S+", verification.body).group(0)
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    log_in(page, "new.buyer@example.com", "a-long-enough-secret-2024")

    # The session cart became the new customer's cart.
    page.goto("/checkout/")
    expect(page.locator("table.order-lines")).to_contain_text(f"Chelsea boot – {variant.title}")
    form = page.locator("form.checkout-form")
    for name, value in {
        "name": "New Buyer",
        "line1": "1 Rue de la Paix",
        "postcode": "75002",
        "city": "Paris",
        "country": "fr",
    }.items():
        form.locator(f"input[name={name}]").fill(value)
    form.get_by_role("button", name="Place order and pay").click()
    variant.stock.refresh_from_db()
    assert variant.stock.reserved == reserved_before + 1  # held while the customer pays

    # Decline on the sandbox page: the failed-payment webhook cancels the order.
    page.get_by_role("button", name="Decline").click()
    expect(page.locator(".status-bad")).to_contain_text("This order was cancelled")
    screenshot(page, "declined")
    order = Order.objects.get(user__email="new.buyer@example.com")
    assert order.status == OrderStatus.CANCELLED
    variant.stock.refresh_from_db()
    assert variant.stock.reserved == reserved_before  # the units are back on sale
    assert browser_console.csp_violations() == []


@BOTH_SCREENS
def test_each_roles_pages_fit_the_screen_with_their_key_columns_in_view(
    seeded, browser, live_server, screen, screenshot
):
    """On a phone (390 px) and a laptop (1280 px): nothing sticks out or hides sideways
    (``screenshot`` runs ``assert_page_rendered``), the lists' key columns (totals,
    statuses, the cart's Remove button) are in view without a sideways scroll."""
    context = new_context(browser, live_server.url, screen)
    page = context.new_page()

    def visit(path: str) -> None:
        page.goto(path)
        screenshot(page, screen + (path.rstrip("/").replace("/", "-") or "-home"))

    for path in ("/", "/products/", "/accounts/login/", "/accounts/register/"):
        visit(path)
    # The shared accounts pages keep the shop's navigation (SITE_BASE_TEMPLATE).
    assert_in_view(page.locator("header nav").get_by_role("link", name="Catalog", exact=True))
    assert_in_view(page.locator("header nav").get_by_role("link", name="Cart"))

    variant = in_stock_variant("linen-shirt", at_least=1)
    visit("/products/linen-shirt/")
    assert_columns_in_view(page, "Variant", "Price", "Available")
    page.locator(f"input[name=variant][value='{variant.pk}']").check()
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    screenshot(page, screen + "-cart")
    assert_columns_in_view(page, "Item", "Quantity", "Total")
    assert_in_view(page.locator("main table").get_by_role("button", name="Remove"))
    assert_in_view(page.locator("main table tfoot th").nth(1))  # the cart's total

    log_in(page, CUSTOMER, django_settings.DEMO_PASSWORD)
    visit("/orders/")
    assert_columns_in_view(page, "Order", "Total", "Status")
    page.locator("main table tbody tr").first.get_by_role("link").click()
    screenshot(page, screen + "-order")
    assert_columns_in_view(page, "Item", "Amount", table="main table.order-lines")
    log_out(page)

    log_in(page, STAFF, django_settings.DEMO_PASSWORD)
    visit("/staff/")
    visit("/staff/orders/")
    assert_columns_in_view(page, "Order", "Total", "Status")
    context.close()


def test_the_api_docs_list_the_shops_operations(browser_page, browser_console):
    from shared.testing.browser import assert_api_docs_list_the_operations

    operations = assert_api_docs_list_the_operations(browser_page, browser_console)
    assert operations > 20  # products, cart, orders, checkout, the accounts API
    assert browser_console.csp_violations() == []
