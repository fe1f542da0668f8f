"""ClientIPMiddleware: one answer to "who is calling", trusting proxies only as configured."""

import pytest
from django.test import RequestFactory

from shared.web.middleware import client_ip_of

pytestmark = pytest.mark.django_db


def request_with(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_of(request_with("10.0.0.1", "6.6.6.6")) == "10.0.0.1"


def test_with_one_proxy_the_rightmost_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "6.6.6.6" itself; nginx appended the address it saw.
    assert client_ip_of(request_with("10.0.0.1", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_with_two_proxies_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip_of(request_with("10.0.0.1", "203.0.113.7, 10.0.0.9")) == "203.0.113.7"


def test_a_missing_header_behind_a_proxy_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_of(request_with("10.0.0.1")) == "10.0.0.1"


def test_the_middleware_sets_request_client_ip_for_every_view(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get(
        "/doors/client-ip/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert response.content == b"198.51.100.4"


def _answer_for(user, response=None):
    from django.http import HttpResponse

    from shared.web.middleware import NoStoreForSignedInMiddleware

    request = RequestFactory().get("/")
    request.user = user
    return NoStoreForSignedInMiddleware(lambda request: response or HttpResponse("x"))(request)


def test_what_a_signed_in_user_sees_is_never_stored_and_public_pages_may_be(make_user):
    from django.contrib.auth.models import AnonymousUser

    assert "no-store" in _answer_for(make_user())["Cache-Control"]
    assert "private" in _answer_for(make_user())["Cache-Control"]
    assert not _answer_for(AnonymousUser()).has_header("Cache-Control")


def test_a_view_that_says_how_to_cache_itself_keeps_its_header(make_user):
    from django.http import HttpResponse

    response = HttpResponse("x")
    response["Cache-Control"] = "max-age=60"
    assert _answer_for(make_user(), response)["Cache-Control"] == "max-age=60"
