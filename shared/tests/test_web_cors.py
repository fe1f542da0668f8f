"""CORS (django-cors-headers): only a configured origin gets CORS headers, with credentials."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from shared.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

SPA = "https://app.example.com"
FOREIGN = "https://evil.example.net"
ALLOW_SPA = override_settings(CORS_ALLOWED_ORIGINS=[SPA], CSRF_TRUSTED_ORIGINS=[SPA])


def preflight(client, origin, path="/api/v1/auth/cookie/token/"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-csrftoken",
    )


def test_by_default_no_origin_is_allowed(settings):
    assert settings.CORS_ALLOWED_ORIGINS == []
    response = preflight(APIClient(), SPA)
    assert "access-control-allow-origin" not in response.headers


@ALLOW_SPA
def test_a_foreign_origin_gets_no_cors_headers():
    client = APIClient()
    for response in (preflight(client, FOREIGN), client.get("/api/v1/", HTTP_ORIGIN=FOREIGN)):
        assert "access-control-allow-origin" not in response.headers
        assert "access-control-allow-credentials" not in response.headers


@ALLOW_SPA
def test_the_allowed_origin_passes_the_preflight_with_credentials():
    response = preflight(APIClient(), SPA)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SPA  # echoed, never "*"
    assert response.headers["access-control-allow-credentials"] == "true"
    allowed = response.headers["access-control-allow-headers"]
    assert "x-csrftoken" in allowed and "idempotency-key" in allowed


@ALLOW_SPA
def test_a_credentialed_login_and_refresh_from_the_allowed_origin_work(make_user):
    """The whole cookie flow as fetch(..., {credentials: "include"}) from the SPA's origin."""
    make_user(email="ann@example.com")
    browser = APIClient(enforce_csrf_checks=True)
    csrf = browser.get("/api/v1/auth/cookie/csrf/", HTTP_ORIGIN=SPA)
    assert csrf.headers["access-control-allow-origin"] == SPA
    headers = {"HTTP_ORIGIN": SPA, "HTTP_X_CSRFTOKEN": csrf.json()["csrf_token"]}

    login = browser.post(
        "/api/v1/auth/cookie/token/",
        {"email": "ann@example.com", "password": DEFAULT_PASSWORD},
        **headers,
    )
    assert login.status_code == 200
    assert login.headers["access-control-allow-origin"] == SPA
    assert login.headers["access-control-allow-credentials"] == "true"

    refresh = browser.post("/api/v1/auth/cookie/refresh/", **headers)
    assert refresh.status_code == 200
    assert refresh.headers["access-control-allow-credentials"] == "true"
    assert "access" in refresh.json()


@ALLOW_SPA
def test_the_pages_never_answer_cors():
    response = APIClient().get("/accounts/login/", HTTP_ORIGIN=SPA)
    assert "access-control-allow-origin" not in response.headers
