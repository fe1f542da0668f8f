"""The shop's load: visitors browsing, buyers paying through the sandbox, API clients.

    make loadtest P=shop USERS=50             (headless, report in loadtests/reports/)
    make loadtest-ui P=shop                   (locust's web UI)

Weights say how many of each come along: most people browse, fewer buy, a few
programs use the API. Request names group URLs that carry an id or a slug, so the
report has one row per kind of page (``/products/[slug]/``), not one per product.
"""

import random
import re
import time

import gevent
from locust import HttpUser, events, task

from loadtests.common.auth import (
    ApiSession,
    allow_secure_cookies_over_http,
    page_login,
    post_form,
)
from loadtests.common.journey import SeedData, collect, next_login, pause, share, think

PRODUCTS_API = "/api/v1/products/"
CATEGORIES_API = "/api/v1/categories/"
SORTS = ["", "newest", "price", "-price"]
SEARCH_WORDS = ["shirt", "linen", "blue", "cotton", "mug", "lamp", "bag"]
IDEMPOTENCY_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
ORDER_NUMBER = re.compile(r"/orders/([^/]+)/")
WEBHOOK_STEP = "payment confirmed (webhook delivered)"
WEBHOOK_TIMEOUT_SECONDS = 60
ADDRESS = {
    "name": "Ada Loadtest",
    "line1": "1 Queue Street",
    "postcode": "75001",
    "city": "Paris",
    "country": "FR",
}

# Every request name a journey makes; the smoke run fails when one never ran.
STEPS = [
    "/",
    "/products/",
    "/products/?category=[slug]",
    "/products/?q=[words]",
    "/products/?page=[n]",
    "/products/[slug]/",
    "/products/[slug]/ [add to cart]",
    "/cart/",
    "/checkout/",
    "/checkout/ [place order]",
    "/orders/[number]/pay/",
    "/payments/sandbox/[reference]/",
    "/payments/sandbox/[reference]/ [pay]",
    "/orders/[number]/confirmation/",
    "payment confirmed (webhook delivered)",
    "/accounts/login/",
    "/accounts/login/ [POST]",
    "/api/v1/auth/token/",
    "/api/v1/products/",
    "/api/v1/products/?search=[words]",
    "/api/v1/products/[slug]/",
    "/api/v1/categories/",
    "/api/v1/cart/",
    "/api/v1/cart/items/",
]


def products(client) -> list[dict]:
    """Products that have a variant in stock: slugs and variant ids, read from the API once."""

    def fetch():
        rows, url = [], PRODUCTS_API
        for _ in range(5):
            response = client.get(url, name=f"{PRODUCTS_API} [seed data]")
            response.raise_for_status()
            body = response.json()
            rows += [
                {
                    "slug": p["slug"],
                    "variants": [v["id"] for v in p["variants"] if v["available"] > 0],
                }
                for p in body["results"]
            ]
            url = body["next"]
            if not url:
                break
        return [row for row in rows if row["variants"]]

    return SeedData.get("products", fetch)


def category_slugs(client) -> list[str]:
    return SeedData.get("categories", lambda: collect(client, CATEGORIES_API, field="slug"))


class ShopUser(HttpUser):
    abstract = True

    def on_start(self):
        allow_secure_cookies_over_http(self.client)

    def browse_catalog(self) -> dict:
        """A visitor's few clicks through the catalog; returns the product they end up on."""
        self.client.get("/", name="/")
        pause(1, 3)
        choice = random.random()
        if choice < 0.4:
            slug = random.choice(category_slugs(self.client))
            self.client.get(f"/products/?category={slug}", name="/products/?category=[slug]")
        elif choice < 0.6:
            word = random.choice(SEARCH_WORDS)
            self.client.get(f"/products/?q={word}", name="/products/?q=[words]")
        else:
            sort = random.choice(SORTS)
            self.client.get(f"/products/?sort={sort}" if sort else "/products/", name="/products/")
        pause(1, 3)
        if random.random() < 0.3:
            self.client.get(f"/products/?page={random.randint(2, 5)}", name="/products/?page=[n]")
            pause(1, 2)
        product = random.choice(products(self.client))
        self.client.get(f"/products/{product['slug']}/", name="/products/[slug]/")
        return product


class Visitor(ShopUser):
    """Looks around the catalog without logging in, the most common visitor."""

    weight = share(6)
    wait_time = think(2, 6)

    @task
    def look_around(self):
        self.browse_catalog()


class Buyer(ShopUser):
    """Logs in, browses, puts something in the cart, checks out and pays in the sandbox."""

    weight = share(3)
    wait_time = think(3, 8)

    def on_start(self):
        super().on_start()
        account = next_login("customer")
        page_login(self.client, account["email"], account["password"])

    def add_to_cart(self) -> bool:
        """Add a unit from the product page's form; False when it sold out meanwhile."""
        for _ in range(3):
            product = self.browse_catalog()
            pause(2, 5)
            page = self.client.get(f"/products/{product['slug']}/", name="/products/[slug]/")
            with post_form(
                self.client,
                f"/cart/add/{product['slug']}/",  # the form's action (cart/views.py)
                {"variant": random.choice(product["variants"]), "quantity": 1},
                name="/products/[slug]/ [add to cart]",
                page_html=page.text,
            ) as response:
                if response.url and response.url.rstrip("/").endswith("/cart"):
                    return True  # redirected to the cart: added
                if response.status_code == 400 and (
                    "out of stock" in response.text or " left." in response.text
                ):
                    response.success()  # someone bought the last unit first: a real outcome
                    continue
                response.failure(f"add to cart answered {response.status_code}")
                return False
        return False

    @task
    def buy(self):
        if not self.add_to_cart():
            return
        pause(2, 5)
        self.client.get("/cart/", name="/cart/")
        pause(2, 5)
        number = self.place_order()
        if number:
            self.pay_in_sandbox(number)

    def place_order(self) -> str:
        """Checkout: review, address, "Place order"; returns the order number."""
        page = self.client.get("/checkout/", name="/checkout/")
        key = IDEMPOTENCY_KEY.search(page.text)
        if key is None:
            return ""  # the cart emptied meanwhile (the page redirected to the cart)
        pause(5, 15)  # typing an address
        with post_form(
            self.client,
            "/checkout/",
            {**ADDRESS, "coupon_code": "", "idempotency_key": key.group(1)},
            name="/checkout/ [place order]",
            page_html=page.text,
            allow_redirects=False,
        ) as response:
            number = ORDER_NUMBER.search(response.headers.get("Location", ""))
            if response.status_code != 302 or number is None:
                response.failure(f"checkout answered {response.status_code}")
                return ""
        return number.group(1)

    def pay_in_sandbox(self, number: str) -> None:
        """The provider's hosted page, "Pay", then wait for the webhook to mark it paid."""
        to_provider = self.client.get(
            f"/orders/{number}/pay/", name="/orders/[number]/pay/", allow_redirects=False
        )
        sandbox = to_provider.headers.get("Location", "")
        if not sandbox.startswith("/payments/sandbox/"):
            return
        page = self.client.get(sandbox, name="/payments/sandbox/[reference]/")
        pause(3, 8)
        with post_form(
            self.client,
            sandbox,
            {"outcome": "pay"},
            name="/payments/sandbox/[reference]/ [pay]",
            page_html=page.text,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sandbox answered {response.status_code}")
                return
        self.wait_for_webhook(number)

    def wait_for_webhook(self, number: str) -> None:
        """The confirmation page refreshes until the provider's webhook marks the order paid.

        The time from "Pay" to "paid" (the Celery task delivering the signed webhook and
        the shop processing it) is reported as its own row.
        """
        started = time.perf_counter()
        error = None
        while True:
            page = self.client.get(
                f"/orders/{number}/confirmation/", name="/orders/[number]/confirmation/"
            )
            if "status-good" in page.text:
                break
            if "status-bad" in page.text:
                error = RuntimeError("the order was cancelled instead of paid")
                break
            if time.perf_counter() - started > WEBHOOK_TIMEOUT_SECONDS:
                error = TimeoutError(f"no webhook after {WEBHOOK_TIMEOUT_SECONDS}s")
                break
            gevent.sleep(1)  # the page's own <meta refresh> is 3 s; poll a little faster
        events.request.fire(
            request_type="WEBHOOK",
            name=WEBHOOK_STEP,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )


class ApiClient(HttpUser):
    """A program (a mobile app, a partner) using the API with a JWT it refreshes."""

    weight = share(1)
    wait_time = think(1, 3)

    def on_start(self):
        account = next_login("customer")
        self.api = ApiSession(self.client, account["email"], account["password"])
        self.api.login()

    @task(4)
    def list_products(self):
        page = random.randint(1, 5)
        self.api.get(f"{PRODUCTS_API}?page={page}", name=PRODUCTS_API)

    @task(2)
    def search_products(self):
        word = random.choice(SEARCH_WORDS)
        self.api.get(f"{PRODUCTS_API}?search={word}", name=f"{PRODUCTS_API}?search=[words]")

    @task(3)
    def product_detail(self):
        product = random.choice(products(self.client))
        self.api.get(f"{PRODUCTS_API}{product['slug']}/", name=f"{PRODUCTS_API}[slug]/")

    @task(1)
    def categories(self):
        self.api.get(CATEGORIES_API)

    @task(2)
    def cart(self):
        product = random.choice(products(self.client))
        with self.api.post(
            "/api/v1/cart/items/",
            json={"variant": random.choice(product["variants"]), "quantity": 1},
            catch_response=True,
        ) as response:
            if response.status_code == 400 and "stock" in response.text:
                response.success()  # sold out meanwhile: the API says so, in its error shape
        self.api.get("/api/v1/cart/")
