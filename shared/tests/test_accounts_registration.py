"""Registration with email verification (page and API), and the password pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from shared.accounts import services
from shared.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()

STRONG = "violet-mountain-42-river"
LINK = re.compile(r"https?://testserver(/accounts/verify/[^/\s]+/[^/\s]+/)")


def register_page(client, **overrides):
    data = {
        "email": "ann@example.com",
        "full_name": "Ann Lee",
        "password": STRONG,
        "password_confirm": STRONG,
        **overrides,
    }
    return client.post("/accounts/register/", data)


def verification_path_from(message) -> str:
    return LINK.search(message.body).group(1)


def test_register_page_creates_an_inactive_user_and_emails_a_link(
    client, django_capture_on_commit_callbacks
):
    assert client.get("/accounts/register/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = register_page(client, email="Ann@Example.com")
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()

    user = User.objects.get()
    assert (user.email, user.full_name) == ("ann@example.com", "Ann Lee")
    assert not user.is_active and not user.email_verified
    # Not active yet: the login page refuses the right password.
    login = client.post("/accounts/login/", {"username": user.email, "password": STRONG})
    assert login.status_code == 200 and "_auth_user_id" not in client.session

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.com"]
    assert "Confirm your email" in message.subject
    html = message.alternatives[0][0]
    path = verification_path_from(message)
    assert path in html

    verified = client.get(path, follow=True)
    assert verified.redirect_chain[-1][0] == "/accounts/login/"
    assert "ann@example.com is verified" in verified.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.email_verified

    login = client.post("/accounts/login/", {"username": "ann@example.com", "password": STRONG})
    assert login.status_code == 302
    # The link works once: afterwards it is refused clearly.
    again = client.get(path)
    assert again.status_code == 400
    assert "invalid, expired or was already used" in again.content.decode()


def test_register_page_shows_field_errors_and_keeps_no_user(client):
    response = register_page(client, password="short", password_confirm="short")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This password is too short" in page
    assert 'aria-invalid="true"' in page
    assert User.objects.count() == 0

    response = register_page(client, password_confirm="something-else-entirely")
    assert "The two passwords do not match." in response.content.decode()
    assert User.objects.count() == 0


def test_register_page_refuses_an_existing_email_whatever_its_case(client, make_user):
    make_user(email="taken@example.com")
    response = register_page(client, email="TAKEN@example.com")
    assert response.status_code == 200
    assert "An account with this email address already exists." in response.content.decode()
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_password_similar_to_the_email_is_refused(client):
    response = register_page(
        client,
        email="violetmountain@example.com",
        password="violetmountain",
        password_confirm="violetmountain",
    )
    assert "too similar" in response.content.decode()


def test_logged_in_user_is_sent_away_from_register(client, make_user):
    client.force_login(make_user())
    assert client.get("/accounts/register/").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/verify/garbage/abc-123/",
        "/accounts/verify/OTk5OTk/abc-123/",  # a user id that does not exist
    ],
)
def test_a_malformed_link_fails_clearly(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_a_tampered_token_fails_and_leaves_the_user_inactive(client, make_user):
    user = make_user(email="zed@example.com", is_active=False, email_verified=False)
    path = services.verification_path(user)
    response = client.get(path[:-3] + "xx/")
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_register_api_then_verify_api(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register/",
            {"email": "Bob@Example.com", "password": STRONG, "full_name": "Bob"},
        )
    assert response.status_code == 201
    assert response.json()["email"] == "bob@example.com"
    assert response.json()["email_verified"] is False
    assert "password" not in response.json()

    uid, token = verification_path_from(mail.outbox[0]).strip("/").split("/")[-2:]
    bad = api_client.post("/api/v1/auth/verify-email/", {"uid": uid, "token": "1-x"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "token"

    ok = api_client.post("/api/v1/auth/verify-email/", {"uid": uid, "token": token})
    assert ok.status_code == 200
    assert ok.json()["email_verified"] is True
    tokens = api_client.post(
        "/api/v1/auth/token/", {"email": "bob@example.com", "password": STRONG}
    )
    assert tokens.status_code == 200


def test_register_api_errors_name_the_field(api_client, make_user):
    make_user(email="taken@example.com")
    taken = api_client.post(
        "/api/v1/auth/register/", {"email": "taken@example.com", "password": STRONG}
    )
    assert taken.status_code == 400
    assert taken.json()["type"] == "validation_error"
    assert [(e["attr"], e["detail"]) for e in taken.json()["errors"]] == [
        ("email", "An account with this email address already exists.")
    ]
    weak = api_client.post(
        "/api/v1/auth/register/", {"email": "new@example.com", "password": "123"}
    )
    assert weak.status_code == 400
    assert {e["attr"] for e in weak.json()["errors"]} == {"password"}
    missing = api_client.post("/api/v1/auth/register/", {"password": STRONG})
    assert [e["attr"] for e in missing.json()["errors"]] == ["email"]
    assert get_user_model().objects.count() == 1


def test_no_email_leaves_when_the_registration_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.register_user(email="gone@example.com", password=STRONG, base_url="http://x/")
        raise RuntimeError("the caller failed after registering")
    assert mail.outbox == []
    assert not User.objects.filter(email="gone@example.com").exists()


def test_password_reset_email_flow(client, make_user, django_capture_on_commit_callbacks):
    user = make_user(email="reset@example.com", full_name="Rita Reset")
    assert client.get("/accounts/password/reset/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "RESET@example.com"})
    assert response.status_code == 302
    assert "Check your email" in client.get(response.url).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your password on Shared test project"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    assert link in message.alternatives[0][0]
    assert message.body.startswith("Hello Rita,")

    form = client.get(link, follow=True)  # Django swaps the token for a session marker
    assert "Choose a new password" in form.content.decode()
    new_password = "a-brand-new-password-77"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert "Password set" in client.get(done.url).content.decode()
    user.refresh_from_db()
    assert user.check_password(new_password)
    # The link is single use.
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_page(client, make_user):
    user = make_user()
    assert client.get("/accounts/password/change/").status_code == 302  # login first
    client.force_login(user)
    wrong = client.post(
        "/accounts/password/change/",
        {"old_password": "nope", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    right = client.post(
        "/accounts/password/change/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
        follow=True,
    )
    assert "Password changed" in right.content.decode()
    user.refresh_from_db()
    assert user.check_password(STRONG)


def test_logout_is_a_post_and_ends_the_session(client, make_user):
    client.force_login(make_user())
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_resend_page_mails_a_new_link_that_works(
    client, make_user, django_capture_on_commit_callbacks
):
    user = make_user(email="late@example.com", is_active=False, email_verified=False)
    assert client.get("/accounts/verify/resend/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/verify/resend/", {"email": "LATE@example.com"})
    assert "we sent it a new link" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["late@example.com"]]
    client.get(verification_path_from(mail.outbox[0]))
    user.refresh_from_db()
    assert user.is_active and user.email_verified


@pytest.mark.parametrize("email", ["nobody@example.com", "active@example.com"])
def test_resend_answers_the_same_and_mails_nothing_without_a_waiting_account(
    client, make_user, django_capture_on_commit_callbacks, email
):
    make_user(email="active@example.com")  # verified and active: nothing to resend
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/verify/resend/", {"email": email})
    assert response.status_code == 200
    assert "we sent it a new link" in response.content.decode()
    assert mail.outbox == []
    assert (
        "Enter a valid email"
        in client.post("/accounts/verify/resend/", {"email": "not-an-email"}).content.decode()
    )


def test_resend_api_is_202_either_way(api_client, make_user, django_capture_on_commit_callbacks):
    make_user(email="wait@example.com", is_active=False, email_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = api_client.post(
            "/api/v1/auth/verify-email/resend/", {"email": "wait@example.com"}
        )
        unknown = api_client.post("/api/v1/auth/verify-email/resend/", {"email": "no@example.com"})
    assert waiting.status_code == unknown.status_code == 202
    assert len(mail.outbox) == 1
    bad = api_client.post("/api/v1/auth/verify-email/resend/", {"email": "nope"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "email"


RESET_API = "/api/v1/auth/password/reset/"
RESET_CONFIRM_API = "/api/v1/auth/password/reset/confirm/"
RESET_LINK = re.compile(r"http://testserver/accounts/reset/([^/\s]+)/([^/\s]+)/")


def test_password_reset_through_the_api(api_client, make_user, django_capture_on_commit_callbacks):
    user = make_user(email="reset@example.com", full_name="Rita Reset")
    tokens = api_client.post(
        "/api/v1/auth/token/", {"email": "reset@example.com", "password": DEFAULT_PASSWORD}
    ).json()

    with django_capture_on_commit_callbacks(execute=True):
        asked = api_client.post(RESET_API, {"email": "RESET@example.com"})
    assert asked.status_code == 202
    # The page's mail: same subject, and a link that opens the reset page.
    [message] = mail.outbox
    assert message.subject == "Reset your password on Shared test project"
    uid, token = RESET_LINK.search(message.body).groups()

    def confirm(**fields):
        data = {"uid": uid, "token": token, "new_password": "a-brand-new-password-77"}
        return api_client.post(RESET_CONFIRM_API, data | fields)

    weak = confirm(new_password="reset@example.com")
    assert weak.status_code == 400
    assert {e["attr"] for e in weak.json()["errors"]} == {"new_password"}
    forged = confirm(token=token[:-2] + "xx")
    assert forged.status_code == 400
    assert forged.json()["errors"][0]["attr"] == "token"
    assert confirm(uid="not-a-uid").json()["errors"][0]["detail"] == (
        "This password reset link is not valid."
    )
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)  # nothing changed so far

    assert confirm().status_code == 204
    user.refresh_from_db()
    assert user.check_password("a-brand-new-password-77")
    # Single use: the token hashes the old password.
    assert confirm(new_password="another-new-password-88").json()["errors"][0]["detail"] == (
        "This password reset link is invalid, expired or was already used."
    )

    # Tokens issued before the reset are revoked; the old refresh token buys no new pair.
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    revoked = api_client.get("/api/v1/auth/me/")
    assert revoked.status_code == 401
    assert revoked.json()["errors"][0]["detail"] == "The user's password has been changed."
    api_client.credentials()
    refreshed = api_client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 401
    assert refreshed.json()["errors"][0] == {
        "code": "password_changed",
        "detail": "The user's password has been changed.",
        "attr": None,
    }
    fresh = api_client.post(
        "/api/v1/auth/token/", {"email": "reset@example.com", "password": "a-brand-new-password-77"}
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh.json()['access']}")
    assert api_client.get("/api/v1/auth/me/").json()["email"] == "reset@example.com"


def test_password_reset_api_is_202_either_way(
    api_client, make_user, django_capture_on_commit_callbacks
):
    make_user(email="waiting@example.com", is_active=False, email_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = api_client.post(RESET_API, {"email": "nobody@example.com"})
        inactive = api_client.post(RESET_API, {"email": "waiting@example.com"})
    assert unknown.status_code == inactive.status_code == 202
    assert mail.outbox == []  # Django's form mails active accounts only
    bad = api_client.post(RESET_API, {"email": "nope"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "email"
    missing = api_client.post(RESET_CONFIRM_API, {"uid": "x"})
    assert {e["attr"] for e in missing.json()["errors"]} == {"token", "new_password"}


def test_a_page_password_change_revokes_the_api_tokens(api_client, client, make_user):
    user = make_user(email="both@example.com")
    access = api_client.post(
        "/api/v1/auth/token/", {"email": "both@example.com", "password": DEFAULT_PASSWORD}
    ).json()["access"]
    client.force_login(user)
    new_password = "a-brand-new-password-77"
    changed = client.post(
        "/accounts/password/change/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert changed.status_code == 302
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api_client.get("/api/v1/auth/me/").status_code == 401


def test_the_services_refuse_with_a_domain_error_naming_the_field(make_user):
    """The convention of every service (docs/architecture.md, section 4): a DomainError on
    the field to blame, which each door translates once; no view wraps these by hand."""
    from shared.errors import DomainError

    make_user(email="taken@example.com")
    refusals = {
        "email": lambda: services.register_user(
            email="Taken@Example.com", password="a-Long-pass-2024", base_url="http://t/"
        ),
        "password": lambda: services.register_user(
            email="new@example.com", password="123", base_url="http://t/"
        ),
        "token": lambda: services.reset_password(uidb64="bad", token="x", new_password="y"),
    }
    for field, call in refusals.items():
        with pytest.raises(DomainError) as caught:
            call()
        assert (caught.value.field, caught.value.status_code) == (field, 400)
