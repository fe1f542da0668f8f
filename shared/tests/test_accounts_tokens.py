"""Which JWTs still work after a password change, a logout and "log out everywhere"
(shared/accounts/tokens.py, services.log_out_everywhere)."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from shared.accounts import services
from shared.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
EVERYWHERE = "/api/v1/auth/logout/everywhere/"
ME = "/api/v1/auth/me/"


def log_in(email: str, password: str = DEFAULT_PASSWORD) -> dict:
    response = APIClient().post(TOKEN, {"email": email, "password": password})
    assert response.status_code == 200
    return response.json()


def me_with(access: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get(ME).status_code


def refresh_with(refresh: str):
    return APIClient().post(REFRESH, {"refresh": refresh})


def test_a_refresh_token_issued_before_a_password_change_is_refused(make_user):
    user = make_user(email="pat@example.com")
    before = log_in("pat@example.com")
    user.set_password("a-new-password-for-pat-91")
    user.save()

    refused = refresh_with(before["refresh"])
    assert refused.status_code == 401  # it returned a new pair before
    assert refused.json()["errors"][0]["code"] == "password_changed"
    after = log_in("pat@example.com", "a-new-password-for-pat-91")
    assert refresh_with(after["refresh"]).status_code == 200


def test_logout_ends_the_refresh_token_only(make_user):
    make_user(email="lou@example.com")
    tokens = log_in("lou@example.com")
    assert APIClient().post(LOGOUT, {"refresh": tokens["refresh"]}).status_code == 200
    assert refresh_with(tokens["refresh"]).status_code == 401
    # What docs/shared-accounts.md says: the access token lives on until it expires.
    assert me_with(tokens["access"]) == 200


def test_logout_everywhere_ends_every_token_and_the_access_in_hand(make_user):
    user = make_user(email="eve@example.com")
    phone, laptop = log_in("eve@example.com"), log_in("eve@example.com")
    other = make_user(email="other@example.com")
    others = log_in("other@example.com")

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {laptop['access']}")
    assert client.post(EVERYWHERE).status_code == 204

    for session in (phone, laptop):
        assert me_with(session["access"]) == 401
        refused = refresh_with(session["refresh"])
        assert refused.status_code == 401
    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()
    # Nobody else is touched, and a new login works at once.
    assert me_with(others["access"]) == 200 and refresh_with(others["refresh"]).status_code == 200
    assert other.token_epoch == 0
    fresh = log_in("eve@example.com")
    assert me_with(fresh["access"]) == 200
    assert refresh_with(fresh["refresh"]).status_code == 200


def test_an_access_token_from_before_says_why_it_is_refused(make_user):
    user = make_user(email="why@example.com")
    tokens = log_in("why@example.com")
    services.log_out_everywhere(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_revoked"


def test_logout_everywhere_needs_a_login(api_client):
    assert api_client.post(EVERYWHERE).status_code == 401


def test_a_refresh_token_of_a_deleted_user_is_a_401_not_a_500(make_user):
    user = make_user(email="gone@example.com")
    tokens = log_in("gone@example.com")
    user.delete()
    response = refresh_with(tokens["refresh"])
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "no_active_account"


def test_the_page_button_logs_out_every_browser_and_token(client, make_user):
    from django.test import Client

    user = make_user(email="page@example.com")
    tokens = log_in("page@example.com")
    other_browser = Client()
    other_browser.force_login(user)
    assert other_browser.get("/accounts/password/change/").status_code == 200
    client.force_login(user)
    page = client.get("/accounts/password/change/")
    assert b"Log out everywhere" in page.content

    response = client.post("/accounts/logout/everywhere/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    # This browser, the other one and the API's tokens are all logged out.
    assert client.get("/accounts/password/change/").status_code == 302
    assert other_browser.get("/accounts/password/change/").status_code == 302
    assert me_with(tokens["access"]) == 401
    assert refresh_with(tokens["refresh"]).status_code == 401


def test_the_page_button_is_post_only(client, make_user):
    client.force_login(make_user(email="get@example.com"))
    assert client.get("/accounts/logout/everywhere/").status_code == 405
