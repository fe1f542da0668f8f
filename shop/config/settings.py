"""Shop settings: the shared base (shared/web/settings.py) plus the shop's own."""

from pathlib import Path

from celery.schedules import crontab

from shared.web.settings import *

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_NAME = "Capstone Shop"

INSTALLED_APPS += [
    "catalog",
    "cart",
    "core",
]
ROOT_URLCONF = "config.urls"
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates"]
DATABASES = {"default": database_config(BASE_DIR / "db.sqlite3")}
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

TEMPLATES[0]["OPTIONS"]["context_processors"] += ["cart.context_processors.cart_count"]

ROLES = {"customer": "Customer", "staff": "Shop staff"}
ERD_APPS = ["catalog", "cart", "orders", "payments"]

# The accounts `make run` seeds (manage.py seed_demo) and the login page lists.
DEMO_PASSWORD = "demo-pass-2024"
DEMO_LOGINS = [
    {"role": "customer", "email": "customer@shop.example", "password": DEMO_PASSWORD},
    {"role": "staff", "email": "staff@shop.example", "password": DEMO_PASSWORD},
    {"role": "admin", "email": "admin@shop.example", "password": DEMO_PASSWORD},
]

# Catalog pages are cached (catalog/cache.py) and invalidated on every change.
CATALOG_CACHE_SECONDS = env.int("CATALOG_CACHE_SECONDS", default=600)

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
# Where the shop is reachable from the provider; the sandbox POSTs its webhooks here.
SHOP_PUBLIC_URL = env.str("SHOP_PUBLIC_URL", default="http://127.0.0.1:8003")
# Unpaid orders are cancelled (and their stock released) after this long.
SHOP_UNPAID_ORDER_MINUTES = env.int("SHOP_UNPAID_ORDER_MINUTES", default=30)

# Periodic jobs live in code, reviewed like code (not clicked together in an admin).
CELERY_BEAT_SCHEDULE = {
    "expire-unpaid-orders": {"task": "orders.expire_unpaid_orders", "schedule": 5 * 60},
    "low-stock-alerts": {"task": "orders.low_stock_alerts", "schedule": 15 * 60},
    "nightly-sales-report": {
        "task": "orders.nightly_sales_report",
        "schedule": crontab(hour=2, minute=30),
    },
    "delete-abandoned-carts": {
        "task": "cart.delete_abandoned_carts",
        "schedule": crontab(hour=3, minute=15),
    },
}
