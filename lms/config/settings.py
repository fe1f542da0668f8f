"""Settings for the LMS capstone: the shared base (shared/web/settings.py) plus its own."""

import os
import tempfile
from pathlib import Path

from celery.schedules import crontab

import shared.web
from core import roles
from shared.web.settings import *

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_NAME = "Capstone LMS"
# After the star import, which sets empty defaults: core/roles.py names every role.
ROLES = roles.ROLES
ROLE_SETS = roles.ROLE_SETS
DEFAULT_ROLE = roles.DEFAULT_ROLE

# From the bottom layer up (.importlinter lists them top down): an app imports only those before it.
# daphne first: its runserver replaces Django's, so `make run` serves the live classroom's
# WebSockets too (config/asgi.py). Only the LMS does this; the other projects stay WSGI.
INSTALLED_APPS.insert(0, "daphne")
INSTALLED_APPS += [
    "channels",
    "courses",
    "enrollments",
    "quizzes",
    "assignments",
    "certificates",
    "gradebook",
    "classroom",
    "core",
]
ROOT_URLCONF = "config.urls"
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates"]
DATABASES = {"default": database_config(BASE_DIR / "db.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not the in-memory default, so threads of the embedded race tests wait for the
    # write lock instead of failing; one file per test process.
    DATABASES["default"]["TEST"] = {
        "NAME": Path(tempfile.gettempdir()) / f"capstone-lms-test-{os.getpid()}.sqlite3"
    }
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# --- Languages (docs/decisions/0003-languages.md) ---------------------------------------
# The LMS speaks English and Hindi, its audience's languages; shop and hospital stay English.
# English stays the default: a visitor without a choice (no cookie, no Accept-Language: hi)
# sees English. set_language (config/urls.py) stores the choice in the language cookie.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("hi", "हिन्दी")]
# The LMS's own messages, then the shared layout's (base.html: Log in, Log out...). Listed
# here, they come before Django's own Hindi catalogues, which word a few of them otherwise.
LOCALE_PATHS = [BASE_DIR / "locale", Path(shared.web.__file__).parent / "locale"]
# LocaleMiddleware picks the language of each request (cookie, then Accept-Language). It
# goes after SessionMiddleware and before CommonMiddleware, as Django's docs ask.
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "django.middleware.locale.LocaleMiddleware",
)

ERD_APPS = ["courses", "enrollments", "quizzes", "assignments", "certificates", "classroom"]

# --- Uploads (assignments/uploads.py) -------------------------------------------------
# The largest submission or lesson attachment; nginx's client_max_body_size is above it.
LMS_UPLOAD_MAX_BYTES = env.int("LMS_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# How protected files leave the server: "django" streams them (development), "nginx"
# answers with X-Accel-Redirect to the internal location of deploy/nginx (production).
LMS_FILE_DELIVERY = env.str(
    "LMS_FILE_DELIVERY", default="nginx" if MODE == PRODUCTION else "django"
)
# The API schema has several "status" choice sets; name each enum after its model.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"],
    "CourseStatusEnum": "courses.models.Course.Status",
    "EnrollmentStatusEnum": "enrollments.models.Enrollment.Status",
    "AttemptStatusEnum": "quizzes.models.Attempt.Status",
    # A lesson's kind and a question's kind (the quiz-writing API) are two "kind" sets.
    "LessonKindEnum": "courses.models.Lesson.Kind",
    "QuestionKindEnum": "quizzes.models.Question.Kind",
}
SPECTACULAR_SETTINGS["TITLE"] = "Capstone LMS API"
DATA_UPLOAD_MAX_MEMORY_SIZE = LMS_UPLOAD_MAX_BYTES + 1024 * 1024

# --- Jobs -----------------------------------------------------------------------------
# Assignment reminders go out this long before the due date.
LMS_REMINDER_HOURS = 24
CELERY_BEAT_SCHEDULE = {
    # Attempts whose time ran out are submitted and graded within a minute.
    "submit-expired-attempts": {"task": "quizzes.submit_expired_attempts", "schedule": 60},
    # Reminders 24 hours ahead; the email's idempotency key makes it one per student.
    "assignment-deadline-reminders": {
        "task": "assignments.send_deadline_reminders",
        "schedule": 15 * 60,
    },
    "weekly-instructor-digest": {
        "task": "gradebook.send_instructor_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
}

# The demo accounts `manage.py seed_demo` creates; the login page lists them in DEBUG.
DEMO_PASSWORD = "demo-pass-2024"
DEMO_LOGINS = [
    {
        "role": roles.STUDENT,
        "full_name": "Asha Rao",
        "email": "student@lms.example",
        "password": DEMO_PASSWORD,
    },
    {
        "role": roles.STUDENT,
        "full_name": "Vikram Mehta",
        "email": "finisher@lms.example",
        "password": DEMO_PASSWORD,
    },
    {
        "role": roles.INSTRUCTOR,
        "full_name": "Dr. Meera Iyer",
        "email": "instructor@lms.example",
        "password": DEMO_PASSWORD,
    },
    {
        "role": roles.STUDENT,
        "full_name": "Sam Okafor",
        "email": "ta@lms.example",
        "password": DEMO_PASSWORD,
    },
    {
        "role": roles.PLATFORM_ADMIN,
        "full_name": "Priya Nair",
        "email": "admin@lms.example",
        "password": DEMO_PASSWORD,
    },
    # "admin" is not an LMS role: the superuser who opens /admin/ (shared/accounts/demo.py).
    {"role": "admin", "email": "superuser@lms.example", "password": DEMO_PASSWORD},
]

# Where the LMS is reachable: printed on certificates (their public verification link).
LMS_PUBLIC_URL = env.str("LMS_PUBLIC_URL", default="http://127.0.0.1:8002")
