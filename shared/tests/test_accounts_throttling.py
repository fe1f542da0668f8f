"""The limits of shared/accounts/throttling.py on the account doors that act for an
anonymous request: "send the verification link again" (page and API), the password reset
page and endpoint, and the register page (whose API endpoint is on the same `auth`
scope).

Throttle counters live in the cache; the shared plugin's autouse ``_isolated_cache``
fixture clears it before and after every test, and the ``settings`` fixture puts the
rates back, so no test here leaves a counter or a rate behind for another.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from rest_framework import throttling

pytestmark = pytest.mark.django_db
User = get_user_model()

PAGE = "/accounts/verify/resend/"
API = "/api/v1/auth/verify-email/resend/"
LIMITED = "Too many verification emails were asked for."
RESET_PAGE = "/accounts/password/reset/"
RESET_API = "/api/v1/auth/password/reset/"
RESET_LIMITED = "Too many password reset emails were asked for."
REGISTER_PAGE = "/accounts/register/"
REGISTER_API = "/api/v1/auth/register/"
REGISTER_LIMITED = "Too many requests came from your network."
STRONG = "violet-mountain-42-river"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def rates(settings):
    """``rates(auth="2/minute")``: lower some throttle rates for this test only."""

    def set_rates(**scopes):
        framework = settings.REST_FRAMEWORK
        merged = {**framework["DEFAULT_THROTTLE_RATES"], **scopes}
        settings.REST_FRAMEWORK = {**framework, "DEFAULT_THROTTLE_RATES": merged}

    return set_rates


@pytest.fixture
def waiting(make_user):
    """Accounts still waiting for verification: the ones a resend really mails."""

    def make(email):
        return make_user(email=email, is_active=False, email_verified=False)

    return make


def poster(client, api_client, capture_on_commit, page: str, api: str):
    """``post(email, address=..., door="page" or "api")``: one request from that client
    address to the page or the API, run like a commit runs it. ``response.enqueued`` counts
    the mail tasks it enqueued: ``mail.outbox`` alone would undercount, as two links made
    in the same second are the same link, which the email task sends once."""

    def post(email, address="10.0.0.1", door="page"):
        path, http = (page, client) if door == "page" else (api, api_client)
        with capture_on_commit(execute=True) as callbacks:
            response = http.post(path, {"email": email}, REMOTE_ADDR=address)
        response.enqueued = len(callbacks)
        return response

    return post


@pytest.fixture
def resend(client, api_client, django_capture_on_commit_callbacks):
    """Send the verification link again (see ``poster``)."""
    return poster(client, api_client, django_capture_on_commit_callbacks, PAGE, API)


@pytest.fixture
def reset(client, api_client, django_capture_on_commit_callbacks):
    """Ask for a password reset (see ``poster``)."""
    return poster(client, api_client, django_capture_on_commit_callbacks, RESET_PAGE, RESET_API)


@pytest.fixture
def register(client, api_client, django_capture_on_commit_callbacks):
    """``register(email, address=..., door="page" or "api", **fields)``: one sign-up, like
    ``poster``'s requests, with the whole registration form."""

    def post(email, address="10.0.0.1", door="page", **fields):
        data = {"email": email, "full_name": "Ann Lee", "password": STRONG}
        if door == "page":
            path, http = REGISTER_PAGE, client
            data["password_confirm"] = STRONG
        else:
            path, http = REGISTER_API, api_client
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = http.post(path, data | fields, REMOTE_ADDR=address)
        response.enqueued = len(callbacks)
        return response

    return post


def test_the_page_stops_mailing_one_address_after_the_rate(rates, waiting, resend):
    rates(account_email="2/hour")
    waiting("late@example.com")

    first, second = resend("late@example.com"), resend("LATE@example.com ")
    assert first.status_code == second.status_code == 200
    assert first.enqueued == second.enqueued == 1
    assert mail.outbox[0].to == ["late@example.com"]

    limited = resend("late@example.com")
    assert limited.status_code == 429
    assert limited.enqueued == 0  # no mail this time
    page = limited.content.decode()
    assert LIMITED in page
    assert "Please try again in 60 minutes." in page
    # The form again, filled in, so the user sees where they are.
    assert '<form method="post"' in page and 'value="late@example.com"' in page
    assert 3500 < int(limited["Retry-After"]) <= 3600


def test_many_client_addresses_cannot_flood_one_mailbox(rates, waiting, resend):
    rates(account_email="2/hour")
    waiting("late@example.com")
    answers = [resend("late@example.com", f"10.0.0.{n}") for n in range(1, 5)]
    assert [answer.status_code for answer in answers] == [200, 200, 429, 429]
    assert sum(answer.enqueued for answer in answers) == 2
    # Another recipient has a budget of its own.
    waiting("other@example.com")
    assert resend("other@example.com", "10.0.0.5").enqueued == 1


def test_one_client_address_cannot_mail_many_addresses(rates, waiting, resend):
    rates(auth="2/minute")
    for name in ("a", "b", "c"):
        waiting(f"{name}@example.com")
    answers = [resend(f"{name}@example.com") for name in ("a", "b", "c")]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert [answer.enqueued for answer in answers] == [1, 1, 0]
    assert "Please try again in 1 minute." in answers[2].content.decode()
    # Another client still gets through, and a made-up X-Forwarded-For is no new client.
    assert resend("c@example.com", address="10.0.0.2").enqueued == 1
    spoofed = Client(HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert spoofed.post(PAGE, {"email": "c@example.com"}, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_the_limit_does_not_tell_whether_an_account_exists(rates, waiting, resend):
    rates(account_email="1/hour")
    waiting("real@example.com")
    answers = {}
    for email in ("real@example.com", "nobody@example.com"):
        first, second = resend(email), resend(email)
        # The email (and the CSRF token, masked afresh on every page) are the only differences.
        page = CSRF.sub("", second.content.decode()).replace(email, "EMAIL")
        answers[email] = (first.status_code, second.status_code, page)
    assert answers["real@example.com"][:2] == (200, 429)
    assert answers["real@example.com"] == answers["nobody@example.com"]
    assert [message.to for message in mail.outbox] == [["real@example.com"]]


def test_an_invalid_address_is_a_form_error_and_costs_nothing(rates, resend):
    rates(auth="1/minute", account_email="1/hour")
    for _ in range(3):
        response = resend("not-an-email")
        assert response.status_code == 200
        assert "Enter a valid email address." in response.content.decode()
    assert resend("nobody@example.com").status_code == 200


def test_both_doors_share_the_recipient_budget(rates, waiting, resend):
    rates(account_email="2/hour")
    waiting("late@example.com")
    assert resend("late@example.com", door="page").status_code == 200
    accepted = resend("Late@Example.com", address="10.0.0.2", door="api")
    assert (accepted.status_code, accepted.enqueued) == (202, 1)

    limited = resend("late@example.com", address="10.0.0.3", door="api")
    assert (limited.status_code, limited.enqueued) == (429, 0)
    assert limited.json()["errors"][0]["code"] == "throttled"
    assert 3500 < int(limited["Retry-After"]) <= 3600
    assert resend("late@example.com", address="10.0.0.4", door="page").status_code == 429


def test_both_doors_share_the_client_budget(rates, resend):
    rates(auth="2/minute")
    assert resend("a@example.com", door="api").status_code == 202
    assert resend("b@example.com", door="page").status_code == 200
    assert resend("c@example.com", door="page").status_code == 429
    assert resend("d@example.com", door="api").status_code == 429


def test_the_api_limit_does_not_tell_whether_an_account_exists(rates, waiting, resend):
    rates(account_email="1/hour")
    waiting("real@example.com")
    real = [resend("real@example.com", door="api") for _ in range(2)]
    unknown = [resend("nobody@example.com", door="api") for _ in range(2)]
    assert [r.status_code for r in real] == [r.status_code for r in unknown] == [202, 429]
    assert real[1].json() == unknown[1].json()
    assert [r.enqueued for r in real + unknown] == [1, 0, 0, 0]


def test_the_limit_lifts_when_the_window_passes_or_the_cache_is_cleared(
    rates, waiting, resend, monkeypatch
):
    rates(account_email="1/hour")
    waiting("late@example.com")
    assert resend("late@example.com").enqueued == 1
    assert resend("late@example.com").status_code == 429

    # An hour and a second later (on the throttle's clock), the first mail no longer counts.
    real_time = throttling.SimpleRateThrottle.timer
    monkeypatch.setattr(
        throttling.SimpleRateThrottle, "timer", staticmethod(lambda: real_time() + 3601)
    )
    assert resend("late@example.com").enqueued == 1
    assert resend("late@example.com").status_code == 429

    cache.clear()  # what an operator does to lift every limit at once
    assert resend("late@example.com").enqueued == 1


# The password reset page: Django's view, the same two limits as "send the link again".


def test_the_reset_page_stops_mailing_one_address_after_the_rate(rates, make_user, reset):
    rates(account_email="2/hour")
    make_user(email="rita@example.com")

    first, second = reset("rita@example.com"), reset("RITA@example.com", address="10.0.0.2")
    assert first.status_code == second.status_code == 302
    assert first.enqueued == second.enqueued == 1
    assert [message.to for message in mail.outbox] == [["rita@example.com"]] * 2

    limited = reset("rita@example.com", address="10.0.0.3")
    assert limited.status_code == 429
    assert limited.enqueued == 0  # no mail this time
    page = limited.content.decode()
    assert RESET_LIMITED in page
    assert "Please try again in 60 minutes." in page
    # Django's form again, filled in, on our template.
    assert "Reset your password" in page and 'value="rita@example.com"' in page
    assert 3500 < int(limited["Retry-After"]) <= 3600
    assert len(mail.outbox) == 2


def test_one_client_address_cannot_ask_resets_for_many_addresses(rates, make_user, reset):
    rates(auth="2/minute")
    for name in ("a", "b", "c"):
        make_user(email=f"{name}@example.com")
    answers = [reset(f"{name}@example.com") for name in ("a", "b", "c")]
    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert [answer.enqueued for answer in answers] == [1, 1, 0]
    assert "Please try again in 1 minute." in answers[2].content.decode()
    assert reset("c@example.com", address="10.0.0.2").enqueued == 1


def test_the_reset_limit_does_not_tell_whether_an_account_exists(rates, make_user, reset):
    rates(account_email="1/hour")
    make_user(email="real@example.com")
    answers = {}
    for email in ("real@example.com", "nobody@example.com"):
        first, second = reset(email), reset(email)
        page = CSRF.sub("", second.content.decode()).replace(email, "EMAIL")
        # Django's answer to the first: the same redirect for any address.
        answers[email] = (first.status_code, first.url, second.status_code, page)
    assert answers["real@example.com"][:3] == (302, "/accounts/password/reset/done/", 429)
    assert answers["real@example.com"] == answers["nobody@example.com"]
    assert [message.to for message in mail.outbox] == [["real@example.com"]]


def test_an_invalid_address_on_the_reset_page_costs_nothing(rates, reset):
    rates(auth="1/minute", account_email="1/hour")
    for _ in range(3):
        response = reset("not-an-email")
        assert response.status_code == 200
        assert "Enter a valid email address." in response.content.decode()
    assert reset("nobody@example.com").status_code == 302


def test_reset_and_resend_draw_on_one_recipient_budget(rates, make_user, reset, resend):
    """One rule for every account email: see throttling.py for why."""
    rates(account_email="2/hour")
    make_user(email="ann@example.com")  # active: a resend mails nothing, yet counts
    assert (resend("ann@example.com", door="api").status_code, mail.outbox) == (202, [])
    accepted = reset("Ann@Example.com", address="10.0.0.2")
    assert (accepted.status_code, accepted.enqueued) == (302, 1)

    assert reset("ann@example.com", address="10.0.0.3").status_code == 429
    limited = resend("ann@example.com", address="10.0.0.4", door="api")
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["code"] == "throttled"
    assert resend("ann@example.com", address="10.0.0.5").status_code == 429
    assert len(mail.outbox) == 1


def test_the_reset_page_shares_the_client_budget_with_the_api(rates, reset, resend, register):
    rates(auth="3/minute")
    assert resend("a@example.com", door="api").status_code == 202
    assert reset("b@example.com").status_code == 302
    assert register("c@example.com", door="api").status_code == 201
    assert reset("d@example.com").status_code == 429
    assert register("e@example.com", door="api").status_code == 429


def test_the_reset_api_draws_on_the_budgets_of_the_page(rates, make_user, reset):
    rates(account_email="2/hour")
    make_user(email="rita@example.com")
    assert reset("rita@example.com").status_code == 302
    accepted = reset("RITA@example.com", address="10.0.0.2", door="api")
    assert (accepted.status_code, accepted.enqueued) == (202, 1)
    for door in ("api", "page"):
        limited = reset("rita@example.com", address="10.0.0.3", door=door)
        assert (limited.status_code, limited.enqueued) == (429, 0)
    assert limited["Retry-After"]
    assert len(mail.outbox) == 2

    rates(auth="1/minute")  # the per-client limit, on the API door alone
    assert reset("a@example.com", address="10.0.0.9", door="api").status_code == 202
    throttled = reset("b@example.com", address="10.0.0.9", door="api")
    assert throttled.status_code == 429
    assert throttled.json()["errors"][0]["code"] == "throttled"


def test_the_reset_api_limit_does_not_tell_whether_an_account_exists(rates, make_user, reset):
    rates(account_email="1/hour")
    make_user(email="real@example.com")
    answers = {}
    for email in ("real@example.com", "nobody@example.com"):
        first, second = reset(email, door="api"), reset(email, door="api")
        answers[email] = (first.status_code, second.status_code, second.json()["type"])
    assert answers["real@example.com"] == (202, 429, "client_error")
    assert answers["nobody@example.com"] == answers["real@example.com"]
    assert [message.to for message in mail.outbox] == [["real@example.com"]]


# The register page: the API endpoint's per-client budget (`auth`), on the page too.


def test_the_register_page_is_limited_per_client_address(rates, register):
    rates(auth="2/minute")
    answers = [register(f"{name}@example.com") for name in ("a", "b", "c")]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert [answer.enqueued for answer in answers] == [1, 1, 0]
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "a@example.com",
        "b@example.com",
    ]
    page = answers[2].content.decode()
    assert REGISTER_LIMITED in page and "Please try again in 1 minute." in page
    # The form again with what was typed, but never the password.
    assert "Create an account" in page and 'value="c@example.com"' in page
    assert STRONG not in page
    assert 0 < int(answers[2]["Retry-After"]) <= 60
    # Another client address still gets through.
    assert register("c@example.com", address="10.0.0.2").status_code == 200
    assert User.objects.filter(email="c@example.com").exists()


def test_the_register_page_and_api_share_the_client_budget(rates, register):
    rates(auth="2/minute")
    assert register("a@example.com", door="api").status_code == 201
    assert register("b@example.com", door="page").status_code == 200
    limited = register("c@example.com", door="page")
    assert (limited.status_code, limited.enqueued) == (429, 0)
    assert register("d@example.com", door="api").status_code == 429
    assert not User.objects.filter(email__in=["c@example.com", "d@example.com"]).exists()


def test_a_register_form_error_costs_nothing_but_a_taken_address_does(rates, make_user, register):
    rates(auth="2/minute")
    for _ in range(3):
        mismatch = register("new@example.com", password_confirm="something-else-entirely")
        assert mismatch.status_code == 200
        assert "The two passwords do not match." in mismatch.content.decode()
    # Probing for existing accounts is what the limit is for, so it counts.
    make_user(email="taken@example.com")
    taken = register("taken@example.com")
    assert "An account with this email address already exists." in taken.content.decode()
    assert register("new@example.com").status_code == 200
    assert register("other@example.com").status_code == 429
