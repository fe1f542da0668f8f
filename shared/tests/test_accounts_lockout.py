"""django-axes locks an email after AXES_FAILURE_LIMIT failures, on the page and the API."""

import pytest
from axes.models import AccessAttempt

from shared.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def page_login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_page_logs_in_with_the_right_password(client, make_user):
    make_user(email="ann@example.com")
    response = page_login(client, "ann@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.get("/accounts/password/change/").status_code == 200


def test_login_page_shows_a_form_error_before_the_limit(client, make_user, limit):
    make_user(email="ann@example.com")
    response = page_login(client, "ann@example.com", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()


def test_login_page_locks_out_after_the_limit(client, make_user, limit):
    make_user(email="ann@example.com")
    for _ in range(limit - 1):
        assert page_login(client, "ann@example.com", "wrong").status_code == 200
    locked = page_login(client, "ann@example.com", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Account temporarily locked" in page
    assert "Too many failed login attempts" in page
    assert locked["Retry-After"] == "900"
    # Even the right password is refused while locked out.
    assert page_login(client, "ann@example.com", DEFAULT_PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_token_endpoint_locks_out_with_429_in_the_standard_shape(api_client, make_user, limit):
    make_user(email="bob@example.com")
    for _ in range(limit - 1):
        response = api_client.post(TOKEN, {"email": "bob@example.com", "password": "wrong"})
        assert response.status_code == 401
    locked = api_client.post(TOKEN, {"email": "bob@example.com", "password": "wrong"})
    assert locked.status_code == 429
    assert locked.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "locked_out",
                "detail": "Too many failed login attempts. Try again later.",
                "attr": None,
            }
        ],
    }
    right = api_client.post(TOKEN, {"email": "bob@example.com", "password": DEFAULT_PASSWORD})
    assert right.status_code == 429
    assert "access" not in right.json()


def test_both_doors_and_any_letter_case_count_against_one_email(
    client, api_client, make_user, limit
):
    make_user(email="carl@example.com")
    page_login(client, "carl@example.com", "wrong")
    api_client.post(TOKEN, {"email": "CARL@example.com", "password": "wrong"})
    locked = api_client.post(TOKEN, {"email": "Carl@Example.com", "password": "wrong"})
    assert locked.status_code == 429
    assert AccessAttempt.objects.get().username == "carl@example.com"
    assert page_login(client, "carl@example.com", DEFAULT_PASSWORD).status_code == 429


def test_lockout_is_per_email_not_global(api_client, make_user, limit):
    make_user(email="dora@example.com")
    make_user(email="ed@example.com")
    for _ in range(limit):
        api_client.post(TOKEN, {"email": "dora@example.com", "password": "wrong"})
    ok = api_client.post(TOKEN, {"email": "ed@example.com", "password": DEFAULT_PASSWORD})
    assert ok.status_code == 200


def test_a_success_before_the_limit_resets_the_count(api_client, make_user, limit):
    make_user(email="fay@example.com")
    for _ in range(limit - 1):
        api_client.post(TOKEN, {"email": "fay@example.com", "password": "wrong"})
    ok = api_client.post(TOKEN, {"email": "fay@example.com", "password": DEFAULT_PASSWORD})
    assert ok.status_code == 200
    for _ in range(limit - 1):
        response = api_client.post(TOKEN, {"email": "fay@example.com", "password": "wrong"})
        assert response.status_code == 401
