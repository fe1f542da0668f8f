"""Base settings for every capstone, read from the environment (12-factor).

A project's ``config/settings.py`` star-imports this module, then adds its own
apps, URLconf, roles and database file. Three modes, chosen by ``DJANGO_MODE``:

* ``embedded`` (the default, no environment needed): SQLite, Celery eager,
  local-memory cache, console email, DEBUG with the debug toolbar.
* ``services``: PostgreSQL (``DATABASE_URL``), Redis (``REDIS_URL``) as broker and
  cache, a real Celery worker, SMTP or locmem email.
* ``production``: like services, plus DEBUG off, a required ``SECRET_KEY`` and the
  HTTPS hardening that ``manage.py check --deploy`` asks for.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration

env = environ.Env()

EMBEDDED, SERVICES, PRODUCTION = "embedded", "services", "production"
MODE = env.str("DJANGO_MODE", default=EMBEDDED)
if MODE not in (EMBEDDED, SERVICES, PRODUCTION):
    raise ImproperlyConfigured(f"DJANGO_MODE must be embedded, services or production: {MODE!r}")

# The insecure key is fine on a laptop and refused in production below.
_DEV_SECRET_KEY = "django-insecure-capstone-development-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
if MODE == PRODUCTION and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

DEBUG = env.bool("DEBUG", default=MODE == EMBEDDED)
TESTING = env.bool("TESTING", default=False)  # set by the pytest plugin
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
INTERNAL_IPS = ["127.0.0.1"]
# How many proxies (nginx, a load balancer) stand in front of the app and append to
# X-Forwarded-For. Read by shared.web.middleware.ClientIPMiddleware, django-axes and DRF's
# throttles alike, so every part agrees on the client's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

SHARED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    # Swagger UI as static files of our own: the docs work offline and under the
    # Content-Security-Policy, which refuses scripts from a CDN (see shared/web/urls.py).
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "corsheaders",
    "axes",
    "csp",
    "django_guid",
    "django_prometheus",
    "rules.apps.AutodiscoverRulesConfig",  # imports each app's rules.py (object permissions)
    "shared.web",
    "shared.accounts",
    "shared.tasks",
    "shared.numbering",
]
INSTALLED_APPS = list(SHARED_APPS)  # a project appends its own apps

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django_guid.middleware.guid_middleware",
    # Before anything that can answer on its own (CommonMiddleware's redirects), so even those
    # answers carry the CORS headers an allowed origin needs; a preflight stops here.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 before anything reads it.
    "shared.web.guards.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # What a signed-in user sees (a chart, an order, a grade) is never kept in a cache.
    "shared.web.middleware.NoStoreForSignedInMiddleware",
    "shared.web.middleware.ClientIPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes last: it turns a locked-out login into a 429 response.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Innermost, so it sees a view's exception first: a service's refusal escaping a page
    # view becomes a 409/400 page (and is not counted as a crash).
    "shared.web.middleware.DomainErrorMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],  # a project adds its own templates/ folder
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "shared.web.context_processors.site",
            ],
        },
    },
]

# ``{{ form }}`` renders through shared/form.html: one form style in every project.
FORM_RENDERER = "shared.web.form_renderer.FormRenderer"

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def database_config(sqlite_path: Path) -> dict[str, Any]:
    """The default database: ``DATABASE_URL`` when set, else the project's SQLite file."""
    if MODE == EMBEDDED or "DATABASE_URL" not in env:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            # Writers wait for each other instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    config: dict[str, Any] = env.db_url("DATABASE_URL")
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    return config


# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked-out user is refused early
    "django.contrib.auth.backends.ModelBackend",
    # user.has_perm(perm, obj): object-scoped rules declared in each app's rules.py, such as
    # "an instructor of this course" or "an admin of this organization" (docs/decisions/0005).
    "rules.permissions.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# The layout the shared pages extend (accounts, 403/404, refusals): a project names its own
# base template, which extends "base.html", so those pages keep the project's navigation.
SITE_BASE_TEMPLATE = "base.html"
ROLES: dict[str, str] = {}  # a project declares {"role": "Human name"}; seed_roles creates groups
ERD_APPS: list[str] = []  # the apps `manage.py er_diagram` draws into the project's README
# [{"role", "email", "password"}]: seeded and printed by `make run`
DEMO_LOGINS: list[dict[str, str]] = []

# django-axes: lock an account+IP pair after repeated failures, on pages and the API alike.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_VERBOSE = False
# Both doors count failures against one lower-cased email, and answer a lockout with a 429
# (the API's standard error body, or a page): see shared/accounts/lockout.py.
AXES_USERNAME_CALLABLE = "shared.accounts.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "shared.accounts.lockout.lockout_response"

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # simplejwt's, also refusing tokens issued before "log out everywhere".
        "shared.accounts.tokens.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "shared.web.pagination.PageNumberPagination",
    # DRF's parsers, with JSON refusing too-deep nesting and invalid Unicode (a 400, not a
    # RecursionError or an encoding crash later): shared/web/guards.py.
    "DEFAULT_PARSER_CLASSES": [
        "shared.web.guards.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "shared.web.filters.SearchFilter",  # DRF's, naming ?search= in its errors
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "shared.web.throttling.ScopedRateThrottle",  # DRF's, but reads the rates at request time
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="300/minute"),
        "user": env.str("THROTTLE_USER", default="1200/minute"),
        "auth": env.str("THROTTLE_AUTH", default="30/minute"),
        # Account emails (the verification link again, a password reset link) to one
        # address, one budget whichever kind, client or door: shared/accounts/throttling.py.
        "account_email": env.str("THROTTLE_ACCOUNT_EMAIL", default="5/hour"),
    },
    # Which address is the client's: the one django-axes reads (TRUSTED_PROXY_COUNT). Left
    # unset, DRF would take a client-written X-Forwarded-For as is, and a client could pick
    # a fresh throttle key with every request when nothing in front replaces that header.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # drf-spectacular's AutoSchema, documenting every error each operation can answer.
    "DEFAULT_SCHEMA_CLASS": "shared.web.schema.AutoSchema",
    "EXCEPTION_HANDLER": "shared.web.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
DRF_STANDARDIZED_ERRORS = {"ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": False}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # The token view sends Django's user_logged_in signal, which already updates last_login.
    "UPDATE_LAST_LOGIN": False,
    # Tokens carry a hash of the password hash: a password change or reset revokes every
    # token issued before, as it ends the other sessions of a page login.
    "CHECK_REVOKE_TOKEN": True,
    # Tokens carry the user's token_epoch, and a refresh checks both claims (simplejwt's own
    # refresh would hand a new pair to a token the password change revoked).
    "TOKEN_OBTAIN_SERIALIZER": "shared.accounts.tokens.TokenObtainPairSerializer",
    "TOKEN_REFRESH_SERIALIZER": "shared.accounts.tokens.TokenRefreshSerializer",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Capstone API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # /api/docs/ loads Swagger UI from drf-spectacular-sidecar's static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    # drf-standardized-errors documents its error shapes; these keep their enum names stable.
    "ENUM_NAME_OVERRIDES": {
        name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
        for name in [
            "ValidationErrorEnum",
            "ClientErrorEnum",
            "ServerErrorEnum",
            "ParseErrorCodeEnum",
            *(f"ErrorCode{code}Enum" for code in (401, 403, 404, 405, 406, 415, 429, 500)),
        ]
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shared.web.schema.document_uri_too_long",
    ],
}

# --- CORS: which other origins' scripts may call the API (django-cors-headers) -----------
# None by default: the shop's SPA is served from the same origin (nginx's /app/, or Vite's
# proxy in development), where CORS never applies. List an origin only for an SPA that really
# lives elsewhere, e.g. CORS_ALLOWED_ORIGINS=https://app.example.com (scheme, host, port).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# Cookies (the SPA's refresh cookie) may ride along, and the answer says so, but only ever to
# an origin listed above: django-cors-headers never echoes any other origin.
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/api/.*$"  # the pages are never called by another origin's script
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key")  # the checkout's header
# An origin trusted with credentialed calls must also pass the CSRF Origin check of the
# cookie endpoints (shared/accounts/cookie_tokens.py), or its POSTs would be refused.
CSRF_TRUSTED_ORIGINS = [*CSRF_TRUSTED_ORIGINS, *CORS_ALLOWED_ORIGINS]

# --- Cache, Celery, email -----------------------------------------------------------
# In-process broker of the embedded mode; a bare "memory://" made kombu warn that no
# hostname was supplied, before make run's table.
EMBEDDED_BROKER_URL = "memory://localhost/"
REDIS_URL = env.str("REDIS_URL", default="")
if MODE == EMBEDDED or not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = EMBEDDED_BROKER_URL
    CELERY_TASK_ALWAYS_EAGER = True  # tasks run in the web process, at once
    CELERY_TASK_EAGER_PROPAGATES = True
else:
    CACHES = {
        "default": {
            # Django's RedisCache, except that clear() spares the queued tasks when the
            # cache and the broker share a database: see shared/web/cache.py.
            "BACKEND": "shared.web.cache.PrefixScopedRedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": env.str("CACHE_PREFIX", default=""),
        }
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_TASK_ALWAYS_EAGER = False
# The channel layer carries live events to WebSockets (Django Channels, shared/web/live.py):
# in the web process's memory in the embedded mode (one process serves every socket), Redis
# otherwise, so an event sent by gunicorn or a worker reaches the sockets of the ASGI server.
CHANNEL_LAYERS: dict[str, dict[str, Any]]
if MODE == EMBEDDED or not REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [env.str("CHANNELS_URL", default=REDIS_URL)],
                # Keys of its own, so projects sharing a Redis database do not hear each other.
                "prefix": env.str("CHANNELS_PREFIX", default="channels"),
            },
        }
    }
CELERY_RESULT_BACKEND = None  # progress and results live in the database (shared.tasks)
CELERY_BEAT_SCHEDULE: dict[str, Any] = {}  # a project declares its periodic jobs in code

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Capstone <noreply@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Static files, i18n -------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# One way to write a date, a date and time, a time: shared/web/formats/en/formats.py.
FORMAT_MODULE_PATH = ["shared.web.formats"]
# Amounts without a currency of their own (an invoice) are in this one; the money filter
# (shared_tags) writes its symbol.
CURRENCY = env.str("CURRENCY", default="EUR")
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if MODE == PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security headers ---------------------------------------------------------------
# Scripts and styles come from our own static files; no inline script runs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if MODE == PRODUCTION:
    # nginx serves /static/ in front of us; WhiteNoise serves it when the app runs alone
    # (the Docker image on its own, a load test on gunicorn). In development, runserver does.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    # nginx terminates TLS and sends X-Forwarded-Proto. gunicorn (deploy/gunicorn.conf.py)
    # turns that header into the request's scheme only on connections from the proxy
    # (FORWARDED_ALLOW_IPS), and Django reads the scheme gunicorn decided. Django's own
    # SECURE_PROXY_SSL_HEADER would trust the header from anyone who reaches the app server
    # directly, so it is off unless a platform's router cannot be filtered that way.
    if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The Host header is the one nginx checked against server_name, never X-Forwarded-Host.
    USE_X_FORWARDED_HOST = False
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    # Only a plain-HTTP run with no TLS in front (a load test on gunicorn itself,
    # deploy/native_stack.py without nginx) turns these off; a real site never does.
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Debug toolbar, only when DEBUG and not under test --------------------------------
DEBUG_TOOLBAR = DEBUG and not TESTING
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(
        MIDDLEWARE.index("csp.middleware.CSPMiddleware"),
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    )
    # Collapsed to its handle on a first visit, so it never covers the page's header;
    # one click opens it (the toolbar remembers the choice in a cookie).
    DEBUG_TOOLBAR_CONFIG = {"SHOW_COLLAPSED": True}
    # The toolbar injects its own inline styles; a laptop may relax CSP, production never does.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"] = ["'self'", "'unsafe-inline'"]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] = ["'self'", "'unsafe-inline'"]

# --- Logging: JSON lines carrying the request id, from web and worker alike -----------
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if MODE == PRODUCTION else "text")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# django-guid gives each request an id (or keeps the X-Request-ID nginx sent) and
# carries it into the Celery tasks that request enqueues.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": False,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "correlation_id": {"()": "django_guid.log_filters.CorrelationId"},
        "celery_tracing": {"()": "django_guid.integrations.celery.log_filters.CeleryTracing"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "levelname": "level",
                "asctime": "time",
                "correlation_id": "request_id",
            },
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["correlation_id", "celery_tracing"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "django_guid": {"level": "WARNING"},  # it logs every id it sets at INFO
    },
}
