"""The browser variant of the JWT flow: refresh token in an httpOnly cookie, CSRF required,
rotation, logout (shared/accounts/cookie_tokens.py)."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from shared.accounts.cookie_tokens import REFRESH_COOKIE, REFRESH_COOKIE_PATH
from shared.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

CSRF = "/api/v1/auth/cookie/csrf/"
TOKEN = "/api/v1/auth/cookie/token/"
REFRESH = "/api/v1/auth/cookie/refresh/"
LOGOUT = "/api/v1/auth/cookie/logout/"
ME = "/api/v1/auth/me/"


@pytest.fixture
def browser():
    """A client that, like a browser, keeps cookies and gets no CSRF exemption."""
    return APIClient(enforce_csrf_checks=True)


def csrf_header(client) -> dict:
    token = client.get(CSRF).json()["csrf_token"]
    return {"HTTP_X_CSRFTOKEN": token}


def log_in(client, email="ann@example.com", password=DEFAULT_PASSWORD):
    return client.post(TOKEN, {"email": email, "password": password}, **csrf_header(client))


def test_csrf_endpoint_sets_the_cookie_and_returns_the_token(browser):
    response = browser.get(CSRF)
    assert response.status_code == 200
    assert response.json()["csrf_token"]
    assert "csrftoken" in response.cookies


def test_login_puts_the_refresh_token_in_a_locked_down_cookie_not_the_body(browser, make_user):
    make_user(email="ann@example.com")
    response = log_in(browser)
    assert response.status_code == 200
    assert set(response.json()) == {"access"}  # script never sees the refresh token
    cookie = response.cookies[REFRESH_COOKIE]
    assert cookie.value
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == REFRESH_COOKIE_PATH
    assert int(cookie["max-age"]) == 7 * 24 * 3600

    me = browser.get(ME, HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert me.status_code == 200
    assert me.json()["email"] == "ann@example.com"


def test_login_with_a_wrong_password_is_401_and_sets_no_cookie(browser, make_user):
    make_user(email="ann@example.com")
    response = log_in(browser, password="not-the-password")
    assert response.status_code == 401
    assert REFRESH_COOKIE not in response.cookies


@pytest.mark.parametrize("path", [TOKEN, REFRESH, LOGOUT])
def test_every_post_without_the_csrf_header_is_refused(browser, make_user, path):
    make_user(email="ann@example.com")
    browser.get(CSRF)  # the cookie alone is what a forged cross-site request would carry
    response = browser.post(path, {"email": "ann@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert response.json()["errors"][0]["detail"].startswith("CSRF failed")


def test_refresh_rotates_the_cookie_and_the_old_token_is_dead(browser, make_user):
    make_user(email="ann@example.com")
    first = log_in(browser).cookies[REFRESH_COOKIE].value
    headers = csrf_header(browser)

    refreshed = browser.post(REFRESH, **headers)
    assert refreshed.status_code == 200
    assert set(refreshed.json()) == {"access"}
    second = refreshed.cookies[REFRESH_COOKIE].value
    assert second != first
    assert BlacklistedToken.objects.filter(token__token=first).exists()

    # A replayed old cookie (stolen earlier) fails, and the answer deletes the cookie.
    browser.cookies[REFRESH_COOKIE] = first
    replayed = browser.post(REFRESH, **headers)
    assert replayed.status_code == 401
    assert replayed.json()["errors"][0]["code"] == "token_not_valid"
    assert replayed.cookies[REFRESH_COOKIE].value == ""  # deleted


def test_refresh_without_a_cookie_is_401_log_in(browser):
    response = browser.post(REFRESH, **csrf_header(browser))
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_logout_blacklists_the_token_and_deletes_the_cookie(browser, make_user):
    make_user(email="ann@example.com")
    token = log_in(browser).cookies[REFRESH_COOKIE].value
    headers = csrf_header(browser)

    response = browser.post(LOGOUT, **headers)
    assert response.status_code == 204
    assert response.cookies[REFRESH_COOKIE].value == ""
    assert response.cookies[REFRESH_COOKIE]["path"] == REFRESH_COOKIE_PATH
    assert BlacklistedToken.objects.filter(token__token=token).exists()

    browser.cookies[REFRESH_COOKIE] = token  # even if the browser kept it
    assert browser.post(REFRESH, **headers).status_code == 401
    # Logging out again is harmless.
    assert browser.post(LOGOUT, **headers).status_code == 204


@pytest.mark.parametrize(
    ("revoke", "code"),
    # Log out everywhere blacklists the token itself: simplejwt's "token_not_valid" first.
    [("new password", "password_changed"), ("log out everywhere", "token_not_valid")],
)
def test_a_revoked_refresh_cookie_buys_no_access_token(browser, make_user, revoke, code):
    from shared.accounts import services

    user = make_user(email="ann@example.com")
    log_in(browser)
    if revoke == "new password":
        user.set_password("another-password-for-ann-42")
        user.save()
    else:
        services.log_out_everywhere(user=user)
    refused = browser.post(REFRESH, **csrf_header(browser))
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["code"] == code
    assert refused.cookies[REFRESH_COOKIE].value == ""  # deleted
