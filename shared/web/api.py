"""API conventions shared by every capstone: how errors look, the JSON 404.

(Pagination lives in shared/web/pagination.py. The throttles live in
shared/web/throttling.py: DRF imports them while it defines APIView, before a module like
this one, which imports DRF's views, could be loaded.)"""

from typing import Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from drf_standardized_errors.handler import exception_handler as standardized_exception_handler
from drf_standardized_errors.types import ExceptionHandlerContext
from rest_framework import exceptions, permissions, serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from shared.errors import DomainError
from shared.web.guards import RequestTooLarge, as_domain_error


class DomainErrorResponse(exceptions.APIException):
    """A refused use case (409 and friends) in DRF's terms; 400s use DRF's ValidationError."""

    def __init__(self, error: DomainError):
        self.status_code = error.status_code
        detail = exceptions.ErrorDetail(error.message, code=error.code)
        super().__init__({error.field: [detail]} if error.field else detail, code=error.code)


def as_api_exception(exc: Exception) -> Exception:
    """The DRF exception that says what a service's error means; other errors pass through."""
    if isinstance(exc, DomainError):
        if exc.status_code == 400:
            field = exc.field or api_settings.NON_FIELD_ERRORS_KEY
            return serializers.ValidationError({field: [exc.message]}, code=exc.code)
        return DomainErrorResponse(exc)
    if isinstance(exc, DjangoValidationError):
        # A model's full_clean() or a validator: field names and codes are kept; Django calls
        # errors of the whole object "__all__", DRF calls them non_field_errors.
        detail = serializers.as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        return serializers.ValidationError(detail)
    # Django's limits on a body, hit while DRF parses one (a multipart form, most often).
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return exceptions.ParseError(
            "The request has more fields or files than this server accepts."
        )
    return exc


def exception_handler(exc: Exception, context: ExceptionHandlerContext) -> Response | None:
    """DRF's EXCEPTION_HANDLER: services' errors first, then drf-standardized-errors' shape.

    Every API error has one body: ``{"type": ..., "errors": [{"code", "detail", "attr"}]}``
    with ``type`` "validation_error" (400), "client_error" (other 4xx) or "server_error".
    A database error that means "bad value" or "two requests raced" is a 400 or a 409 too
    (shared.web.guards.as_domain_error), never a 500.
    """
    exc = as_domain_error(exc) or exc
    return standardized_exception_handler(as_api_exception(exc), context)


# --- The catch-all under /api/ -------------------------------------------------------------
class APINotFoundView(APIView):
    """Any URL under /api/ that no route matched: the API's JSON 404, for every method.

    The last entry of ``shared_urlpatterns()``. Because it matches every path under /api/,
    Django's APPEND_SLASH redirect no longer happens for those paths, so it is done here:
    ``GET /api/v1/products`` → 301 to ``/api/v1/products/`` when that route exists.
    """

    authentication_classes: list[
        type[BaseAuthentication]
    ] = []  # a bad token must not turn "no such URL" into a 401
    permission_classes = [permissions.AllowAny]
    throttle_classes: list[type[BaseThrottle]] = []
    schema = None  # not an operation of the API

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        with_slash = request.path + "/"
        if not request.path.endswith("/") and settings.APPEND_SLASH and _routed(with_slash):
            if request.method in ("GET", "HEAD"):
                query = request.META.get("QUERY_STRING")
                raise _Redirect(with_slash + (f"?{query}" if query else ""))
            raise exceptions.NotFound(f"Not found. This URL needs its trailing slash: {with_slash}")
        raise exceptions.NotFound()

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, _Redirect):
            # Not a DRF Response, which the stubs expect; DRF sends any HttpResponse as is.
            return HttpResponsePermanentRedirect(exc.location)  # type: ignore[return-value]
        return super().handle_exception(exc)


class _Redirect(Exception):
    def __init__(self, location: str):
        self.location = location


def _routed(path: str) -> bool:
    """True when ``path`` resolves to a real view (not this catch-all)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "view_class", None) is not APINotFoundView


api_not_found = APINotFoundView.as_view()
