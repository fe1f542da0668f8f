"""Shop settings: the shared base (shared/web/settings.py) plus the shop's own."""

from pathlib import Path

from celery.schedules import crontab

from core import roles
from shared.web.settings import *

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_NAME = "Capstone Shop"
# The shared pages (login, register, errors) extend the shop's layout: they keep its nav.
SITE_BASE_TEMPLATE = "shop/base.html"

INSTALLED_APPS += [
    "catalog",
    "cart",
    "core",
]
ROOT_URLCONF = "config.urls"
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates"]
DATABASES = {"default": database_config(BASE_DIR / "db.sqlite3")}
STATIC_ROOT = BASE_DIR / "staticfiles"
# The SPA's bundle (shop/frontend, `make spa-build`) joins the static files as app/, so
# collectstatic hands it to nginx, which serves it at /app/ (deploy/nginx). Only once built:
# `make run` and `make test` need no Node.
SPA_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [("app", SPA_DIST)] if SPA_DIST.is_dir() else []
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

TEMPLATES[0]["OPTIONS"]["context_processors"] += ["cart.context_processors.cart_count"]

# Every role name and named set is declared once, in core/roles.py.
ROLES = roles.ROLES
ROLE_SETS = roles.ROLE_SETS
DEFAULT_ROLE = roles.DEFAULT_ROLE
ERD_APPS = ["catalog", "cart", "orders", "payments"]

# The accounts `make run` seeds (manage.py seed_demo) and the login page lists.
DEMO_PASSWORD = "demo-pass-2024"
DEMO_LOGINS = [
    {"role": roles.CUSTOMER, "email": "customer@shop.example", "password": DEMO_PASSWORD},
    {"role": roles.STAFF, "email": "staff@shop.example", "password": DEMO_PASSWORD},
    {"role": "admin", "email": "admin@shop.example", "password": DEMO_PASSWORD},
]

# Catalog pages are cached (catalog/cache.py) and invalidated on every change.
CATALOG_CACHE_SECONDS = env.int("CATALOG_CACHE_SECONDS", default=600)
# Count the catalog cache's hits and misses (manage.py catalog_cache_stats). Off by default:
# each count is one more cache round trip; the load test turns it on to measure the ratio.
CATALOG_CACHE_STATS = env.bool("CATALOG_CACHE_STATS", default=False)

# --- Orders, payments and the shop's background jobs ----------------------------------
INSTALLED_APPS += ["orders", "payments"]
SHOP_CURRENCY = "EUR"
# The payment provider (payments/gateway.py explains how a real one plugs in).
SHOP_PAYMENT_GATEWAY = env.str("SHOP_PAYMENT_GATEWAY", default="payments.sandbox.SandboxGateway")
# The secret the sandbox signs its webhooks with (a real provider shows you its own).
SHOP_SANDBOX_WEBHOOK_SECRET = env.str(
    "SHOP_SANDBOX_WEBHOOK_SECRET", default="whsec_sandbox_dev_only"
)
SHOP_WEBHOOK_TOLERANCE_SECONDS = 5 * 60
# Where the shop is reachable from the provider (a real one is configured with it). The sandbox
# posts its webhook to the server that served its page, and here only when it has no page.
SHOP_PUBLIC_URL = env.str("SHOP_PUBLIC_URL", default="http://127.0.0.1:8003")
# Unpaid orders are cancelled (and their stock released) after this long.
SHOP_UNPAID_ORDER_MINUTES = env.int("SHOP_UNPAID_ORDER_MINUTES", default=30)

# Periodic jobs live in code, reviewed like code (not clicked together in an admin).
CELERY_BEAT_SCHEDULE = {
    "expire-unpaid-orders": {"task": "orders.expire_unpaid_orders", "schedule": 5 * 60},
    "low-stock-alerts": {"task": "catalog.send_low_stock_alerts", "schedule": 15 * 60},
    "retry-stale-refunds": {"task": "payments.retry_stale_refunds", "schedule": 15 * 60},
    "nightly-sales-report": {
        "task": "orders.send_sales_report",
        "schedule": crontab(hour=2, minute=30),
    },
    "delete-abandoned-carts": {
        "task": "cart.delete_abandoned_carts",
        "schedule": crontab(hour=3, minute=15),
    },
}
