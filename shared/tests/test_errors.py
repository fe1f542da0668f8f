"""A service's refusal, translated once per door: the API's error shape and the page's form."""

import pytest

from shared.errors import Conflict, DomainError
from shared.tests.project.doors.services import NotEnoughStock

pytestmark = pytest.mark.django_db


def test_a_domain_error_carries_message_field_and_code():
    error = DomainError("Bad coupon.", field="coupon_code", code="coupon_expired")
    assert (error.message, error.field, error.code, error.status_code) == (
        "Bad coupon.",
        "coupon_code",
        "coupon_expired",
        400,
    )
    assert str(error) == "Bad coupon."


def test_a_subclass_fixes_its_field_and_a_conflict_is_409():
    error = NotEnoughStock("Only 3 left.")
    assert (error.field, error.code, error.status_code) == ("quantity", "conflict", 409)
    assert NotEnoughStock("x", field="variant").field == "variant"
    assert isinstance(Conflict("x"), DomainError)


# --- The API door: shared.web.api.exception_handler ------------------------------------------


def test_api_invalid_input_from_a_service_is_a_400_naming_the_field(api_client):
    response = api_client.post("/doors/api/reserve/", {"quantity": 500}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "too_many", "detail": "Order at most 100 at a time.", "attr": "quantity"}
        ],
    }


def test_api_refused_state_change_is_a_409_naming_the_field(api_client):
    response = api_client.post("/doors/api/reserve/", {"quantity": 5}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "out_of_stock", "detail": "Only 3 left.", "attr": "quantity"}],
    }


def test_api_conflict_without_a_field_has_a_null_attr(api_client):
    response = api_client.post("/doors/api/close/")
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"code": "already_closed", "detail": "The door is already closed.", "attr": None}
    ]


def test_api_django_validation_error_is_a_400_with_its_field(api_client):
    response = api_client.post("/doors/api/validate/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "required", "detail": "Name is required.", "attr": "name"}
    ]


def test_api_success_is_untouched(api_client):
    assert api_client.post("/doors/api/reserve/", {"quantity": 2}, format="json").status_code == 201


# --- The page door: shared.web.forms and DomainErrorMiddleware --------------------------------


def test_page_form_shows_the_service_error_on_its_field_with_a_400(client):
    response = client.post("/doors/reserve/", {"quantity": 5})
    assert response.status_code == 400
    assert response.context["form"].errors == {"quantity": ["Only 3 left."]}
    assert "Only 3 left." in response.content.decode()


def test_page_form_invalid_input_is_a_400_before_the_service_runs(client):
    response = client.post("/doors/reserve/", {"quantity": 0})
    assert response.status_code == 400
    assert "quantity" in response.context["form"].errors


def test_page_form_first_view_and_success_are_200(client):
    assert client.get("/doors/reserve/").status_code == 200
    assert client.post("/doors/reserve/", {"quantity": 1}).content == b"reserved"


def test_class_based_form_view_answers_400_when_invalid(client):
    assert client.post("/doors/reserve-class/", {"quantity": 0}).status_code == 400
    assert client.post("/doors/reserve-class/", {"quantity": 2}).status_code == 302


def test_page_button_refusal_is_rendered_by_the_middleware_with_its_status(client):
    response = client.post("/doors/close/", HTTP_REFERER="http://testserver/doors/")
    assert response.status_code == 409
    body = response.content.decode()
    assert "The door is already closed." in body
    assert 'href="http://testserver/doors/"' in body


def test_the_refusal_page_never_links_back_to_another_site(client):
    response = client.post("/doors/close/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 409
    assert "evil.example" not in response.content.decode()


def test_the_middleware_leaves_other_exceptions_alone(client):
    client.raise_request_exception = False
    assert client.get("/doors/server-error/").status_code == 500
