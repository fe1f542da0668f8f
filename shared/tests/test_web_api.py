"""API conventions: one error shape, capped pagination, the schema, and /readyz."""

import pytest
from django.test import override_settings
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from shared.web import health
from shared.web.filters import SearchFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(api_client_for, make_user):
    return api_client_for(make_user(roles=["staff"], email="staff@example.com"))


def test_validation_error_names_each_field(staff_api):
    response = staff_api.post("/doors/api/orders/", {"quantity": 0})
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    errors = {e["attr"]: e for e in body["errors"]}
    assert errors["name"]["code"] == "required"
    assert errors["quantity"]["code"] == "min_value"
    assert errors["quantity"]["detail"] == "Ensure this value is greater than or equal to 1."


def test_malformed_json_is_a_400_not_a_500(staff_api):
    response = staff_api.post("/doors/api/orders/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_not_found_in_the_standard_shape(staff_api):
    response = staff_api.get("/doors/api/users/999999/")
    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {"code": "not_found", "detail": response.json()["errors"][0]["detail"], "attr": None}
        ],
    }


def test_unauthenticated_and_forbidden_in_the_standard_shape(api_client, api_client_for, make_user):
    assert api_client.get("/doors/api/users/").json()["errors"][0]["code"] == "not_authenticated"
    bad_token = api_client.get("/doors/api/users/", HTTP_AUTHORIZATION="Bearer nonsense")
    assert bad_token.status_code == 401
    assert bad_token.json()["errors"][0]["code"] == "token_not_valid"
    member = api_client_for(make_user(roles=["member"]))
    assert member.get("/doors/api/users/").json()["errors"][0]["code"] == "permission_denied"


def test_pagination_defaults_and_caps_the_page_size(staff_api, make_user):
    from shared.testing.factories import UserFactory

    UserFactory.create_batch(120)
    default = staff_api.get("/doors/api/users/").json()
    assert default["count"] == 121 and len(default["results"]) == 20
    assert "page=2" in default["next"]
    capped = staff_api.get("/doors/api/users/?page_size=1000").json()
    assert len(capped["results"]) == 100
    small = staff_api.get("/doors/api/users/?page_size=5&page=2").json()
    assert len(small["results"]) == 5 and small["previous"]
    out_of_range = staff_api.get("/doors/api/users/?page=99")
    assert out_of_range.status_code == 404


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/auth/token/" in paths and "/api/v1/auth/register/" in paths
    assert client.get("/api/docs/").status_code == 200


def test_healthz_and_readyz_answer_when_all_is_well(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert all(check["ok"] for check in ready.json()["checks"].values())


def test_readyz_is_503_with_the_reason_when_the_cache_fails(client):
    # A real failure, not a mock: point the cache at a Redis port where nothing listens.
    # (A context manager, so the working cache is back before the fixtures clear it.)
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False
    assert "ConnectionError" in body["checks"]["cache"]["error"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_checks_the_broker_outside_the_eager_mode(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_every_readiness_check_is_listed():
    assert set(health.CHECKS) == {"database", "cache", "broker"}


def test_readyz_reports_a_cache_that_loses_what_it_stores(client):
    # The dummy backend accepts writes and forgets them: a real "cache not working" case.
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "did not return what was stored" in response.json()["checks"]["cache"]["error"]


def test_a_search_with_a_nul_character_names_the_parameter():
    request = Request(APIRequestFactory().get("/things/", {"search": "a\x00b"}))
    with pytest.raises(serializers.ValidationError) as error:
        SearchFilter().get_search_terms(request)
    assert list(error.value.detail) == ["search"]
    clean = Request(APIRequestFactory().get("/things/", {"search": "two words"}))
    assert SearchFilter().get_search_terms(clean) == ["two", "words"]
