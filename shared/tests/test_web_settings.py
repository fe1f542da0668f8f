"""The base settings in each of the three modes, loaded fresh from the environment.

Each test executes shared/web/settings.py as a new module under a chosen environment,
so the running test project's settings are never touched.
"""

import importlib.util
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import shared.web.settings

SETTINGS_FILE = Path(shared.web.settings.__file__)
GOOD_KEY = "k" * 60
MODE_VARS = ("DJANGO_MODE", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "TESTING")


def load_settings(monkeypatch, **env):
    for name in MODE_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_embedded_default_needs_no_environment(monkeypatch, tmp_path):
    s = load_settings(monkeypatch, TESTING="1")
    assert s.MODE == "embedded" and s.DEBUG is True
    assert s.database_config(tmp_path / "db.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"
    assert s.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert s.CELERY_TASK_ALWAYS_EAGER is True
    # WebSockets' events stay in the one process that serves them.
    assert s.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert s.DEBUG_TOOLBAR is False  # never under test


def test_embedded_on_a_laptop_adds_the_debug_toolbar(monkeypatch):
    s = load_settings(monkeypatch)
    assert s.DEBUG_TOOLBAR is True
    assert "debug_toolbar" in s.INSTALLED_APPS
    assert "debug_toolbar.middleware.DebugToolbarMiddleware" in s.MIDDLEWARE
    # A first visit sees the page, not the toolbar's panel over the header.
    assert s.DEBUG_TOOLBAR_CONFIG["SHOW_COLLAPSED"] is True


def test_an_unknown_mode_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_MODE"):
        load_settings(monkeypatch, DJANGO_MODE="staging")


@pytest.mark.parametrize("key", [None, "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, key):
    env = {"DJANGO_MODE": "production"} | ({"SECRET_KEY": key} if key else {})
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(monkeypatch, **env)


def test_services_mode_reads_postgres_and_redis_from_the_environment(monkeypatch, tmp_path):
    s = load_settings(
        monkeypatch,
        DJANGO_MODE="services",
        DATABASE_URL="postgres://app:pw@db:5432/shop",
        REDIS_URL="redis://cache:6379/3",
    )
    database = s.database_config(tmp_path / "ignored.sqlite3")
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"]) == ("db", "shop")
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"] is True
    assert s.CACHES["default"]["LOCATION"] == "redis://cache:6379/3"
    assert s.CELERY_BROKER_URL == "redis://cache:6379/3"
    assert s.CELERY_TASK_ALWAYS_EAGER is False
    # WebSockets' events cross processes (gunicorn, worker, uvicorn) through Redis.
    layer = s.CHANNEL_LAYERS["default"]
    assert layer["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert layer["CONFIG"]["hosts"] == ["redis://cache:6379/3"]
    assert s.DEBUG is False


def test_production_hardening(monkeypatch):
    s = load_settings(
        monkeypatch,
        DJANGO_MODE="production",
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL="postgres://app:pw@db:5432/shop",
        REDIS_URL="redis://cache:6379/0",
    )
    assert s.DEBUG is False and s.DEBUG_TOOLBAR is False
    assert s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE
    assert s.SECURE_HSTS_SECONDS >= 31536000
    assert s.SECURE_SSL_REDIRECT is True
    assert s.STORAGES["staticfiles"]["BACKEND"].endswith("CompressedManifestStaticFilesStorage")
    directives = s.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert s.LOG_FORMAT == "json"
