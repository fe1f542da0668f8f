"""Shop settings: the shared base (shared/web/settings.py) plus the shop's own."""

from pathlib import Path

from shared.web.settings import *

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_NAME = "Capstone Shop"

INSTALLED_APPS += [
    "catalog",
    "cart",
]
ROOT_URLCONF = "config.urls"
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates"]
DATABASES = {"default": database_config(BASE_DIR / "db.sqlite3")}
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

ROLES = {"customer": "Customer", "staff": "Shop staff"}
