"""django-axes hooks: one username per person, and the answer a locked-out client gets.

Settings point here: ``AXES_USERNAME_CALLABLE`` and ``AXES_LOCKOUT_CALLABLE``.
"""

from dataclasses import asdict
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from drf_standardized_errors.types import CLIENT_ERROR, Error, ErrorResponse

LOCKED_OUT_MESSAGE = "Too many failed login attempts. Try again later."


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The login that failures are counted against.

    The login page sends ``username`` (Django's AuthenticationForm), the token endpoint
    sends ``email`` (our USERNAME_FIELD). Both count against the same lower-cased address,
    so an attacker cannot reset the counter by switching door or letter case.
    """
    source = credentials or getattr(request, "POST", {})
    value = source.get("username") or source.get("email")
    return value.strip().lower() if isinstance(value, str) else None


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 for both doors: the API's standard error body, or a page that says what happened."""
    cool_off = get_cool_off(request)
    retry_after = int(cool_off.total_seconds()) if cool_off else None
    if _wants_json(request):
        body = ErrorResponse(
            CLIENT_ERROR, [Error(code="locked_out", detail=LOCKED_OUT_MESSAGE, attr=None)]
        )
        # Compact separators, like DRF's renderer: byte for byte the API's usual JSON.
        response: HttpResponse = JsonResponse(
            asdict(body), status=429, json_dumps_params={"separators": (",", ":")}
        )
    else:
        context = {"message": LOCKED_OUT_MESSAGE, "cool_off_minutes": (retry_after or 0) // 60}
        response = render(request, "accounts/locked_out.html", context, status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
