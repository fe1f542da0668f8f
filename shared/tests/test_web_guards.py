"""Hostile input gets a 4xx from every project (shared/web/guards.py), never a 500."""

import json

import pytest
from django.test import Client

from shared.tests.project.lab.models import Counter
from shared.web import guards

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/token/"


@pytest.fixture
def client_500():
    """A client that receives the 500 page instead of the exception, as a browser would."""
    return Client(raise_request_exception=False)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- Deep JSON -------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_is_a_400_on_every_endpoint_that_reads_a_body(client_500, depth):
    # 100,000 levels made json.loads raise RecursionError (a 500); 33 is past our own limit.
    for url in (LOGIN, "/doors/api/count/", "/api/v1/auth/register/"):
        body = '{"email": ' + nested(depth) + "}"
        response = client_500.post(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content[:200])
        error = response.json()["errors"][0]
        assert error["code"] == "parse_error"
        assert "nested deeper than 32 levels" in error["detail"]


def test_json_within_the_depth_limit_still_parses(api_client):
    response = api_client.post("/doors/api/count/", {"name": "a", "value": 1}, format="json")
    assert response.status_code == 201
    assert guards.check_json(json.loads(nested(guards.MAX_JSON_DEPTH))) is None


# --- Invalid Unicode ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "a", "value": 1, "kind": "\\ud800"}',  # a lone surrogate in a choice field
        '{"name": "\\udfff x", "value": 1}',
        '{"\\ud800": 1, "name": "a", "value": 1}',  # in a key
        '{"name": "a", "value": 1, "kind": ["\\ud83d"]}',
    ],
)
def test_a_lone_surrogate_is_a_400_that_does_not_echo_it(client_500, body):
    response = client_500.post("/doors/api/count/", body, content_type="application/json")
    assert response.status_code == 400
    text = response.content.decode("utf-8")  # the renderer did not crash on it
    assert "not valid Unicode" in text
    assert "\\ud8" not in json.dumps(response.json()["errors"][0]["attr"])
    assert Counter.objects.count() == 0


def test_valid_unicode_outside_the_basic_plane_is_fine(api_client):
    response = api_client.post("/doors/api/count/", {"name": "🙂 ok", "value": 1}, format="json")
    assert response.status_code == 201
    assert Counter.objects.get().name == "🙂 ok"


# --- Body size -------------------------------------------------------------------------------


def test_an_api_body_over_the_limit_is_a_413_with_the_error_shape(client_500, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"email": "a@b.c", "password": "x" * 2000})
    response = client_500.post(LOGIN, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "request_too_large",
                "detail": "The request body is larger than this server accepts (1000 bytes).",
                "attr": None,
            }
        ],
    }


def test_a_page_form_over_the_limit_is_a_plain_413_page(client_500, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_500.post("/accounts/login/", {"username": "a", "password": "x" * 2000})
    assert response.status_code == 413
    assert b"Request too large (413)" in response.content


def test_a_body_within_the_limit_passes(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_client.post("/doors/api/count/", {"name": "a", "value": 1}, format="json")
    assert response.status_code == 201


# --- Database errors that slip past validation --------------------------------------------------


@pytest.mark.postgres
def test_api_value_out_of_the_columns_range_is_a_400_not_a_500(client_500):
    # PostgreSQL's integer is 32-bit; the serializer has no max_value, so the database refuses.
    body = json.dumps({"name": "big", "value": 2**40})
    response = client_500.post("/doors/api/count/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "out_of_range", "detail": guards.OUT_OF_RANGE, "attr": "non_field_errors"}
        ],
    }


@pytest.mark.postgres
def test_page_value_out_of_the_columns_range_is_a_400_page(client_500):
    response = client_500.post("/doors/count/", {"name": "big", "value": 2**40})
    assert response.status_code == 400
    assert guards.OUT_OF_RANGE.encode() in response.content


def test_api_deadlock_victim_is_a_409_try_again(client_500):
    response = client_500.post("/doors/api/race/")
    assert response.status_code == 409
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "concurrent_update", "detail": guards.TRY_AGAIN, "attr": None}],
    }


def test_page_deadlock_victim_is_a_409_page(client_500):
    response = client_500.post("/doors/race/")
    assert response.status_code == 409
    assert b"try again" in response.content


def test_other_database_errors_are_not_disguised():
    from django.db import OperationalError

    assert guards.as_domain_error(OperationalError("disk full")) is None
    assert guards.as_domain_error(RuntimeError("boom")) is None


# --- Unknown URLs under /api/ ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_url_answers_the_json_404_shape(client, method):
    response = getattr(client, method)("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


def test_a_bad_token_does_not_turn_an_unknown_api_url_into_a_401(client):
    response = client.get("/api/v1/nothing/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 404


def test_an_api_url_without_its_slash_still_redirects_for_get(client):
    response = client.get("/api/v1/auth/me?x=1")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/auth/me/?x=1"
    response = client.post("/api/v1/auth/token", {}, content_type="application/json")
    assert response.status_code == 404
    assert "/api/v1/auth/token/" in response.json()["errors"][0]["detail"]


def test_pages_outside_the_api_keep_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_uploaded_file_does_not_count_against_the_limit(client, settings):
    # Files stream to disk; only the other fields of a multipart form count.
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    upload = SimpleUploadedFile("scan.pdf", b"%PDF" + b"x" * 5000)
    response = client.post("/doors/count/", {"name": "a", "value": 1, "scan": upload})
    assert response.status_code == 200
    assert response.content == b"stored"


def test_an_api_multipart_body_over_the_limit_is_a_413_with_the_error_shape(client_500, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_500.post("/doors/api/count/", {"name": "x" * 2000, "value": 1})
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"


def test_a_view_reading_the_raw_body_of_a_multipart_post_still_can(client_500):
    # Parsing multipart in the middleware for every view made request.body raise (a 500).
    response = client_500.post("/doors/api/raw/", {"id": "1", "token": "00"})
    assert response.status_code == 200
    assert response.json()["length"] > 0


def test_too_many_fields_in_an_api_body_is_a_400_not_an_html_page(client_500, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    fields = {f"f{i}": "x" for i in range(10)}
    response = client_500.post("/doors/api/count/", fields)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_deadlock_answers_one_request_409_and_the_other_succeeds(concurrently):
    Counter.objects.create(name="a")
    Counter.objects.create(name="b")

    def move(source: str, target: str):
        client = Client(raise_request_exception=False)
        body = json.dumps({"source": source, "target": target})
        return client.post("/doors/api/move/", body, content_type="application/json")

    outcomes = concurrently(lambda: move("a", "b"), lambda: move("b", "a"))
    statuses = sorted(outcome.value.status_code for outcome in outcomes)
    assert statuses == [200, 409]  # PostgreSQL aborted one: a 500 before the guard
    refused = next(o.value for o in outcomes if o.value.status_code == 409)
    assert refused.json()["errors"][0]["code"] == "concurrent_update"
