"""The OpenAPI schema documents every error an operation can answer (shared/web/schema.py)."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def responses(schema, method: str, path: str) -> dict:
    return schema["paths"][path][method]["responses"]


def error_codes(schema, method: str, path: str) -> set[str]:
    """The errors the application itself answers (414 comes from the server in front)."""
    return {code for code in responses(schema, method, path) if code[0] in "45" and code != "414"}


def test_every_operation_documents_some_error(schema):
    undocumented = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
        and not {c for c in operation["responses"] if c[0] in "45" and c != "414"}
    ]
    assert undocumented == []


def test_a_write_documents_400_409_and_413_with_the_error_shape(schema):
    codes = error_codes(schema, "post", "/doors/api/reserve/")
    assert {"400", "409", "413", "415", "429", "500"} <= codes
    conflict = responses(schema, "post", "/doors/api/reserve/")["409"]
    ref = conflict["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(component["properties"]) == {"type", "errors"}


def test_a_read_documents_no_body_errors(schema):
    codes = error_codes(schema, "get", "/api/v1/auth/me/")
    assert "401" in codes  # authentication required
    assert not {"409", "413", "400"} & codes  # no body, no query parameter


def test_a_login_protected_operation_documents_403(schema):
    # A view can refuse inside an action (a role, an object's rules) under IsAuthenticated.
    assert "403" in error_codes(schema, "get", "/api/v1/auth/me/")
    assert "403" not in error_codes(schema, "post", "/api/v1/auth/register/")  # AllowAny


def test_a_list_with_query_parameters_documents_400(schema):
    # ?page=, ?search= with a NUL character, a date in the wrong format: all 400.
    assert "400" in error_codes(schema, "get", "/doors/api/users/")


def test_a_permission_class_that_can_refuse_documents_403(schema):
    assert {"401", "403"} <= error_codes(schema, "get", "/doors/api/staff/")


def test_a_detail_route_documents_404(schema):
    assert "404" in error_codes(schema, "get", "/doors/api/users/{id}/")


def test_the_jwt_views_document_their_401(schema):
    # They authenticate nobody (no 401 by their classes), yet a wrong password is a 401.
    for path in ("/api/v1/auth/token/", "/api/v1/auth/token/refresh/", "/api/v1/auth/logout/"):
        assert "401" in error_codes(schema, "post", path), path


def test_a_validation_error_is_documented_with_any_field_and_code(schema):
    # A service's DomainError names fields and codes the serializer does not know.
    bad_request = responses(schema, "post", "/doors/api/reserve/")["400"]
    ref = bad_request["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    variants = schema["components"]["schemas"][ref]["oneOf"]
    names = {v["$ref"].rsplit("/", 1)[1] for v in variants}
    assert "ValidationErrorResponse" in names
    error = schema["components"]["schemas"]["ValidationError"]["properties"]
    assert error["code"] == {"type": "string"} and error["attr"] == {"type": "string"}


def test_the_api_catch_all_is_not_an_operation():
    from shared.web.api import APINotFoundView

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    views = {callback.cls for _path, _regex, _method, callback in generator.endpoints}
    assert APINotFoundView not in views
    assert views  # the other endpoints are there


def test_the_schema_builds_without_a_warning(tmp_path):
    # `make check` runs the same command per project; an unknown authentication class (our
    # JWTAuthentication) once made every operation warn.
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "jwtAuth" in (tmp_path / "s.yml").read_text()


def test_error_codes_from_outside_drf_are_documented_as_strings(schema):
    # simplejwt's "token_not_valid", axes' "locked_out", a service's "out_of_stock".
    for status in ("401", "409", "429"):
        ref = responses(schema, "post", "/doors/api/reserve/")[status]["content"][
            "application/json"
        ]["schema"]["$ref"]
        assert ref.endswith("/ClientErrorResponse"), status
    error = schema["components"]["schemas"]["ClientError"]["properties"]
    assert error["code"] == {"type": "string"}


def test_every_operation_documents_the_servers_414_without_a_body_shape(schema):
    """gunicorn answers a request line over 4,094 bytes with 414 before Django runs (the
    fuzzer sent one): a client must expect it, and its body is not our error shape."""
    operations = [
        operation
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
    ]
    assert operations
    assert all("content" not in op["responses"]["414"] for op in operations)
