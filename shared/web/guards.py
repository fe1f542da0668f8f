"""Guards against hostile input, for every capstone: what no view should have to think about.

A client can send JSON nested ten thousand levels deep, a body larger than the server takes,
a string holding a lone UTF-16 surrogate (valid JSON, not valid Unicode), or a number that
passes a serializer and overflows its column. Each of these used to end in a 500. Here each
becomes a client error, once for all five projects:

* ``JSONParser`` (DRF's DEFAULT_PARSER_CLASSES): too deep → 400, invalid Unicode → 400, with a
  message that never repeats the input.
* ``RequestSizeMiddleware``: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` → 413, the API's error
  shape under /api/, a plain page elsewhere.
* ``as_domain_error``: the database's "value out of range" (DataError) → 400, and a deadlock
  or serialization failure between two transactions → 409 "try again"; the API's exception
  handler and the pages' DomainErrorMiddleware both use it, so a safety net needs no view code.
(The catch-all that answers an unknown URL under /api/ with the JSON 404 is
``shared.web.api.api_not_found``: DRF loads this module's parser while it defines APIView,
so nothing here may import DRF's views.)

Projects still validate their own values (a serializer's ``max_value``); these only make sure
that what slips through is a 4xx, never a traceback.
"""

from collections.abc import Callable, Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DataError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from psycopg import errors as pg_errors
from rest_framework import exceptions, parsers

from shared.errors import Conflict, DomainError

# Deeper than any real payload (an order with lines with options is 4 or 5 levels), far
# below the depth where Python's recursion limit would turn parsing into a 500.
MAX_JSON_DEPTH = 32
INVALID_UNICODE = (
    "The request body holds a string that is not valid Unicode (a lone surrogate such as "
    "\\ud800). Send text as UTF-8."
)


def check_json(value: object) -> None:
    """Refuse what ``json.loads`` accepts but nothing behind it can use: deep nesting, and
    strings (values or keys) that cannot be encoded as UTF-8. Walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise exceptions.ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                _check_text(key)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise exceptions.ParseError(INVALID_UNICODE) from None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing too-deep nesting and invalid Unicode with a 400."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The C scanner gives up before our depth check could run.
            raise exceptions.ParseError(
                f"JSON nested deeper than {MAX_JSON_DEPTH} levels."
            ) from None
        check_json(data)
        return data


TOO_LARGE = "The request body is larger than this server accepts ({limit} bytes)."


class RequestTooLarge(exceptions.APIException):
    """413 in the API's terms (DRF has no exception for it)."""

    status_code = 413
    default_code = "request_too_large"

    def __init__(self) -> None:
        super().__init__(TOO_LARGE.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE))


def too_large_response(request: HttpRequest) -> HttpResponse:
    """413: the API's error shape under /api/, a plain page elsewhere."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.path.startswith("/api/"):
        error = {"code": "request_too_large", "detail": TOO_LARGE.format(limit=limit), "attr": None}
        return JsonResponse({"type": "client_error", "errors": [error]}, status=413)
    # error_base.html needs no request: nothing has run yet (no user, no CSP nonce).
    html = render_to_string("413.html", {"limit": limit})
    return HttpResponse(html, status=413)


class RequestSizeMiddleware:
    """Answer 413 before anything reads a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``.

    Django checks that limit only when a body is read, and raises RequestDataTooBig from
    wherever that happens (a middleware, a parser); outside a view that became a 500 or
    Django's bare 400 page. Here the declared length is checked up front.

    A multipart body (a form with files) is different: its files stream to disk and do not
    count, only its other fields do, and only parsing can tell. For a page, CSRF's
    middleware parses it just after this one, so ``process_view`` parses it first and
    answers a 413 itself. A view exempt from CSRF (every API view) may read the raw body
    instead, so it is left alone; DRF's parser raises there, and the API's exception
    handler answers the 413 (``shared.web.api.as_api_exception``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and not _is_multipart(request) and _declared_length(request) > limit:
            return too_large_response(request)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if request.method != "POST" or not _is_multipart(request):
            return None
        if getattr(view_func, "csrf_exempt", False):
            return None
        try:
            request.POST  # noqa: B018 (parsing is the point; CSRF would do it next)
        except RequestDataTooBig:
            return too_large_response(request)
        return None


def _is_multipart(request: HttpRequest) -> bool:
    return str(request.META.get("CONTENT_TYPE", "")).startswith("multipart/")


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# --- Database errors that reach a door ---------------------------------------------------
OUT_OF_RANGE = "A value is outside the range this field can store."
TRY_AGAIN = "Another request changed the same data at the same moment. Please try again."


def _is_concurrency_failure(exc: OperationalError) -> bool:
    """A deadlock or a serialization failure: PostgreSQL aborted one of two transactions that
    raced for the same rows. Nothing is wrong with the request; the same one can succeed."""
    return isinstance(exc.__cause__, pg_errors.DeadlockDetected | pg_errors.SerializationFailure)


def as_domain_error(exc: Exception) -> DomainError | None:
    """The DomainError a database failure means to the client, or None for other errors.

    The message is ours: the database's own text can quote the value or the SQL."""
    if isinstance(exc, DataError):
        return DomainError(OUT_OF_RANGE, code="out_of_range")
    if isinstance(exc, OperationalError) and _is_concurrency_failure(exc):
        return Conflict(TRY_AGAIN, code="concurrent_update")
    return None
