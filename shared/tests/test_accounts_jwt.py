"""The JWT flow of /api/v1/auth/, end to end, and the "auth" throttle."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from shared.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
VERIFY = "/api/v1/auth/token/verify/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/auth/me/"


def obtain(api_client, email, password=DEFAULT_PASSWORD):
    return api_client.post(TOKEN, {"email": email, "password": password})


def test_full_jwt_flow_obtain_me_refresh_rotate_logout(api_client, make_user):
    user = make_user(email="ann@example.com", roles=["staff"])

    response = obtain(api_client, "ann@example.com")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.last_login is not None  # the token view signals a login, as the page does
    access, refresh = response.json()["access"], response.json()["refresh"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    me = api_client.get(ME)
    assert me.status_code == 200
    assert me.json() == {
        "id": user.pk,
        "email": "ann@example.com",
        "full_name": user.full_name,
        "email_verified": True,
        "roles": ["staff"],
    }
    api_client.credentials()

    assert api_client.post(VERIFY, {"token": access}).status_code == 200

    # Refresh rotates: a new refresh token comes back and the old one is blacklisted.
    rotated = api_client.post(REFRESH, {"refresh": refresh})
    assert rotated.status_code == 200
    new_refresh = rotated.json()["refresh"]
    assert new_refresh != refresh
    reused = api_client.post(REFRESH, {"refresh": refresh})
    assert reused.status_code == 401
    assert reused.json()["type"] == "client_error"
    assert reused.json()["errors"][0]["code"] == "token_not_valid"

    # Logout blacklists the current refresh token: refreshing with it fails afterwards.
    assert api_client.post(LOGOUT, {"refresh": new_refresh}).status_code == 200
    assert BlacklistedToken.objects.filter(token__user=user).count() == 2
    after_logout = api_client.post(REFRESH, {"refresh": new_refresh})
    assert after_logout.status_code == 401


def test_email_is_case_insensitive_at_login(api_client, make_user):
    make_user(email="bob@example.com")
    assert obtain(api_client, "BOB@EXAMPLE.COM").status_code == 200


def test_wrong_password_is_401_in_the_standard_shape(api_client, make_user):
    make_user(email="carl@example.com")
    response = obtain(api_client, "carl@example.com", "wrong-password")
    assert response.status_code == 401
    body = response.json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == "no_active_account"
    assert "refresh" not in body


def test_unverified_inactive_user_gets_no_token(api_client, make_user):
    make_user(email="new@example.com", is_active=False, email_verified=False)
    assert obtain(api_client, "new@example.com").status_code == 401


def test_missing_fields_name_the_field(api_client):
    response = api_client.post(TOKEN, {"email": "x@example.com"})
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert [e["attr"] for e in response.json()["errors"]] == ["password"]


def test_me_requires_a_token(api_client):
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_me_patch_changes_the_name_but_not_the_email(api_client_for, make_user):
    user = make_user(email="dora@example.com", full_name="Dora")
    client = api_client_for(user)
    response = client.patch(ME, {"full_name": "Dora Explorer", "email": "evil@example.com"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.full_name == "Dora Explorer"
    assert user.email == "dora@example.com"
    assert client.put(ME, {"full_name": "X"}).status_code == 405
    too_long = client.patch(ME, {"full_name": "x" * 151})
    assert too_long.status_code == 400
    assert [e["attr"] for e in too_long.json()["errors"]] == ["full_name"]


def test_auth_endpoints_are_throttled_with_the_auth_scope(api_client, make_user, settings):
    make_user(email="eve@example.com")
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    statuses = [obtain(api_client, "eve@example.com").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = obtain(api_client, "eve@example.com")
    assert throttled.json()["errors"][0]["code"] == "throttled"
    assert "Retry-After" in throttled.headers
    # The scope is shared by every auth endpoint of this client.
    assert api_client.post(REFRESH, {"refresh": "x"}).status_code == 429
