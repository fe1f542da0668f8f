"""Settings for the hospital capstone: the shared base (shared/web/settings.py) plus its own."""

import os
import tempfile
from pathlib import Path

from celery.schedules import crontab

from shared.web.settings import *

# isort: split
# After the shared settings, whose empty ROLES it replaces. DOCTOR... name the demo logins.
from core.roles import (  # noqa: F401 (settings are read by name)
    DEFAULT_ROLE,
    DOCTOR,
    HOSPITAL_ADMIN,
    NURSE,
    PATIENT,
    RECEPTIONIST,
    ROLE_SETS,
    ROLES,
)

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_NAME = "Capstone Hospital"
# The shared pages (login, register, errors) extend the hospital's layout: they keep its nav.
SITE_BASE_TEMPLATE = "hospital/base.html"

INSTALLED_APPS += [
    "staff",
    "patients",
    "scheduling",
    "clinical",
    "billing",
    "reports",
    "core",
]
ROOT_URLCONF = "config.urls"
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates"]
DATABASES = {"default": database_config(BASE_DIR / "db.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests on SQLite use a file, not the in-memory default: in memory, threads share one
    # cache and fail with "table is locked" instead of waiting for the write lock as real
    # requests do, and the race test of the embedded mode needs them to wait.
    # One file per test process, so that two test runs never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": Path(tempfile.gettempdir()) / f"capstone-hospital-test-{os.getpid()}.sqlite3"
    }
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

ERD_APPS = ["staff", "patients", "scheduling", "clinical", "billing", "reports"]

# --- Scheduling rules -------------------------------------------------------------
# A portal patient may cancel on their own only this long before the appointment;
# closer than that, they call the desk (staff can still cancel).
HOSPITAL_PORTAL_CANCEL_HOURS = env.int("HOSPITAL_PORTAL_CANCEL_HOURS", default=24)
# Reminders go out this long before the appointment starts.
HOSPITAL_REMINDER_HOURS = 24
# A scheduled appointment still not checked in this long after its end is a no-show.
HOSPITAL_NO_SHOW_GRACE_MINUTES = 30

# Who is emailed when the nightly check finds the access log tampered (and on server
# errors): ADMINS=security@example.org,ops@example.org
ADMINS = [("Hospital admin", email) for email in env.list("ADMINS", default=[])]

# Periodic jobs, declared in code (`celery -A config beat`).
CELERY_BEAT_SCHEDULE = {
    "appointment-reminders": {
        "task": "scheduling.queue_due_reminders",
        "schedule": crontab(minute="*/10"),
    },
    "access-log-verification": {
        "task": "patients.verify_access_log_chain",
        "schedule": crontab(hour=3, minute=30),
    },
    "no-show-sweep": {
        "task": "scheduling.sweep_no_shows",
        "schedule": crontab(hour=2, minute=15),
    },
}

# The demo accounts `manage.py seed_demo` creates; the home page lists them in DEBUG.
DEMO_PASSWORD = "demo-pass-2024"
DEMO_LOGINS = [
    {"role": RECEPTIONIST, "email": "reception@hospital.example", "password": DEMO_PASSWORD},
    {"role": DOCTOR, "email": "dr.house@hospital.example", "password": DEMO_PASSWORD},
    {"role": DOCTOR, "email": "dr.grey@hospital.example", "password": DEMO_PASSWORD},
    {"role": NURSE, "email": "nurse@hospital.example", "password": DEMO_PASSWORD},
    {"role": HOSPITAL_ADMIN, "email": "admin@hospital.example", "password": DEMO_PASSWORD},
    {"role": PATIENT, "email": "patient@hospital.example", "password": DEMO_PASSWORD},
    # "admin" is not a hospital role: the superuser who opens /admin/ (shared/accounts/demo.py).
    {"role": "admin", "email": "superuser@hospital.example", "password": DEMO_PASSWORD},
]
