"""The API's contract in the OpenAPI schema: every operation lists the errors it can answer.

Clients are generated from the schema, so an error the schema does not mention is a crash
in someone's app. drf-standardized-errors' AutoSchema already documents its shape for the
errors DRF raises, decided per operation from the view itself (400 and 403 widened here):

  400  a write (its body can fail validation or parsing), or any query parameter
  401  the view authenticates (an expired or forged token, even on an open endpoint)
  403  any operation that needs a login: a permission class, a role check or an
       object's rules inside the view can refuse
  404  a detail route (a path parameter) or a paginated list (?page=999)
  405, 406, 415, 429 (the view is throttled), 500

This subclass adds what the shared guards and the domain errors answer:

  409  any write: a service's Conflict (already paid, slot taken), or a deadlock or
       serialization failure between two requests (shared.web.guards), both "client_error"
  413  any write: a body over DATA_UPLOAD_MAX_MEMORY_SIZE (shared.web.guards)

A view whose code answers a status its classes do not show declares it:
``schema_error_statuses = ("401",)`` (the JWT views: a wrong password or a revoked
refresh token is a 401, although they authenticate nobody).

Error codes are documented as plain strings where more than DRF raises them: a 400 names
any field and code (a service's DomainError names ones the serializer does not know), and
401, 409, 413 and 429 carry codes from simplejwt, django-axes and our services. The
per-field enums drf-standardized-errors would generate are not a promise we can keep.
"""

from typing import Any

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from drf_standardized_errors import openapi as standardized_openapi
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ValidationErrorEnum,
    ValidationErrorResponseSerializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
BODY_METHODS = ("POST", "PUT", "PATCH")


class ClientErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ClientErrorResponseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A client error whose ``code`` is not one fixed word: a 401 (``token_not_valid``,
    ``password_changed``, ``token_revoked``...), a 409 (``out_of_stock``, ``already_paid``,
    ``concurrent_update``: try again), a 413 (``request_too_large``), a 429 (``throttled``,
    ``locked_out``), or a 400 that is not about one field (``invalid_webhook``)."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = ClientErrorSerializer(many=True)  # type: ignore[assignment]  # the shape's name


# For a read that can be refused (a GET raising Conflict): writes document 409 already.
# ``@extend_schema(responses={200: PaymentLinkSerializer, 409: CONFLICT})``
CONFLICT = OpenApiResponse(
    ClientErrorResponseSerializer, description="Refused: the current state does not allow it."
)

# The codes these statuses carry come from simplejwt, django-axes and our services, not
# only from DRF, so they are documented as strings (drf-standardized-errors lists DRF's).
FREE_CODE_STATUSES = ("401", "409", "413", "429")


class AutoSchema(standardized_openapi.AutoSchema):
    """DEFAULT_SCHEMA_CLASS of every capstone (shared/web/settings.py)."""

    def _get_allowed_error_status_codes(self) -> list[str]:
        return sorted({*super()._get_allowed_error_status_codes(), "409", "413"})

    def _should_add_error_response(self, responses: dict[str, Any], status_code: str) -> bool:
        # The parent skips every view whose handler is not drf-standardized-errors' own;
        # ours (shared.web.api.exception_handler) wraps it, so the same errors apply.
        if status_code in responses:
            return False  # the view documented this one itself (extend_schema)
        if status_code in getattr(self.view, "schema_error_statuses", ()):
            return True
        if status_code == "409":
            return self.method in WRITE_METHODS
        if status_code == "413":
            return self.method in BODY_METHODS
        if status_code == "400":
            return (
                self._should_add_parse_error_response()
                or self._should_add_validation_error_response()
            )
        # The parent's own check for each code (_should_add_http401_error_response, ...).
        check = getattr(self, f"_should_add_http{status_code}_error_response", None)
        return check() if check else True

    def _should_add_validation_error_response(self) -> bool:
        # Any query parameter can be refused: a filter, ?search= or ?ordering= holding a NUL
        # character, a date in the wrong format (drf-standardized-errors only counts
        # django-filter's filters).
        query = any(parameter["in"] == "query" for parameter in self._get_parameters())
        return query or super()._should_add_validation_error_response()

    def _should_add_http403_error_response(self) -> bool:
        # Views also refuse inside an action, by role or by the object's rules
        # (user.has_perm(perm, obj), shared.accounts.roles), which no permission class
        # shows: every operation that needs a login can answer 403.
        permissions = self.view.get_permissions()
        open_to_all = all(isinstance(p, AllowAny) for p in permissions)
        return not open_to_all or super()._should_add_http403_error_response()

    def _should_add_parse_error_response(self) -> bool:
        # Only a request with a body can fail to parse.
        return self.method in BODY_METHODS and super()._should_add_parse_error_response()

    def _get_error_response_serializer(self, status_code: str) -> Any:
        if status_code in FREE_CODE_STATUSES:
            return ClientErrorResponseSerializer
        return super()._get_error_response_serializer(status_code)

    def _get_http400_serializer(self) -> PolymorphicProxySerializer:
        # Any 400 is a validation error (fields) or a client error of another kind (a body
        # that does not parse, a webhook without its signature).
        return PolymorphicProxySerializer(
            component_name=f"{_camel(self.get_operation_id())}ErrorResponse400",
            serializers={
                ValidationErrorEnum.VALIDATION_ERROR.value: ValidationErrorResponseSerializer,
                ClientErrorEnum.CLIENT_ERROR.value: ClientErrorResponseSerializer,
            },
            resource_type_field_name="type",
        )


def _camel(operation_id: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in operation_id.split("_"))


class JWTScheme(SimpleJWTScheme):
    """The Bearer scheme for our JWTAuthentication (simplejwt's, with the epoch check):
    drf-spectacular knows simplejwt's class by its exact name only."""

    target_class = "shared.accounts.tokens.JWTAuthentication"


URI_TOO_LONG = (
    "The URL is too long: gunicorn refuses a request line over 4,094 bytes (and nginx one "
    "over its header buffers) before the application runs, with a short HTML page."
)
OPERATION_KEYS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def document_uri_too_long(
    result: dict[str, Any], generator: object, request: object, public: bool
) -> dict[str, Any]:
    """Postprocessing hook: every operation can meet a 414, answered by the server in front.

    No content is documented for it: the body is the server's HTML, not our error shape.
    """
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in OPERATION_KEYS:
                operation["responses"].setdefault("414", {"description": URI_TOO_LONG})
    return result
