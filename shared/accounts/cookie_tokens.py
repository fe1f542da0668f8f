"""JWT for browser applications: the access token in the response body, the refresh token in
an httpOnly cookie (docs/decisions/0010-spa-tokens.md).

    GET  /api/v1/auth/cookie/csrf/      sets Django's csrftoken cookie, returns the token
    POST /api/v1/auth/cookie/token/     email + password -> {"access"}; sets the refresh cookie
    POST /api/v1/auth/cookie/refresh/   the cookie -> {"access"}; rotates the cookie
    POST /api/v1/auth/cookie/logout/    blacklists the cookie's token and deletes the cookie

Script on the page can never read the refresh token (httpOnly), the browser sends it only
over HTTPS (Secure), only from our own site (SameSite=Strict) and only to these endpoints
(its Path). Because the browser attaches a cookie by itself, every POST here also needs the
CSRF token: Django's csrftoken cookie echoed in an X-CSRFToken header (double submit).

Mobile apps and scripts keep using the body-only endpoints (token/, token/refresh/, logout/):
they have no cookie jar to protect and no CSRF to fear.
"""

import contextlib
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import BaseAuthentication, CSRFCheck
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from shared.accounts import api

# Ours, not simplejwt's: it also refuses a token a new password or "log out everywhere" revoked.
from shared.accounts.tokens import TokenRefreshSerializer

REFRESH_COOKIE = "refresh_token"
# Sent only to this prefix: every other API call carries the access token, never the cookie.
REFRESH_COOKIE_PATH = "/api/v1/auth/cookie/"

REFRESH_LIFETIME = cast(timedelta, settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"])

AccessSerializer = inline_serializer("AccessToken", {"access": serializers.CharField()})


def _no_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()  # never called: CSRF's check only looks at the view's exemption


class CsrfProtected(permissions.BasePermission):
    """Django's CSRF check, which DRF otherwise runs only for session-authenticated calls.

    These views authenticate with a cookie the browser sends on its own, so a page on another
    site could make the browser call them: the header token is what that page cannot know.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        # Django's middleware, used as a checker: it never calls the response or the view.
        check = CSRFCheck(lambda _request: HttpResponse())
        check.process_request(request)  # reads the csrftoken cookie
        reason = check.process_view(request, _no_view, (), {})
        if reason:
            raise exceptions.PermissionDenied(f"CSRF failed: {reason}")
        return True


def set_refresh_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        REFRESH_COOKIE,
        token,
        max_age=int(REFRESH_LIFETIME.total_seconds()),
        path=REFRESH_COOKIE_PATH,
        secure=True,  # browsers accept Secure cookies from http://localhost and 127.0.0.1 too
        httponly=True,
        samesite="Strict",
    )


def clear_refresh_cookie(response: Response) -> None:
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, samesite="Strict")


class CookieView(api.AuthThrottled, api.AnswersUnauthorized, APIView):
    """The common part: no authentication class (the cookie is read by hand), CSRF required.

    With no authentication class DRF would turn a 401 into a 403; the WWW-Authenticate
    header below keeps "log in again" (401) apart from "refused" (403, a CSRF failure).
    """

    authentication_classes: list[type[BaseAuthentication]] = []
    permission_classes = [CsrfProtected]

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class CsrfTokenView(CookieView):
    """Give the client a CSRF token to send back in X-CSRFToken (and set the cookie)."""

    permission_classes = [permissions.AllowAny]  # a GET changes nothing

    @extend_schema(
        tags=["auth"],
        responses=inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()}),
    )
    def get(self, request: Request) -> Response:
        # get_token() also tells CsrfViewMiddleware to set the csrftoken cookie on this answer.
        # The body matters for an SPA on another origin, which cannot read our cookies.
        return Response({"csrf_token": get_token(request)})


class CookieTokenObtainView(api.TokenObtainView):
    """The login of the JSON endpoint (django-axes, the login signal), refresh in a cookie."""

    authentication_classes: list[type[BaseAuthentication]] = []  # type: ignore[assignment]
    permission_classes = [CsrfProtected]  # type: ignore[assignment]  # login CSRF

    @extend_schema(tags=["auth"], responses=AccessSerializer)
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().post(request, *args, **kwargs)
        set_refresh_cookie(response, response.data.pop("refresh"))
        return response


class CookieTokenRefreshView(CookieView):
    """Trade the refresh cookie for a new access token; the cookie rotates with it.

    With ROTATE_REFRESH_TOKENS and BLACKLIST_AFTER_ROTATION (shared settings) the old refresh
    token is blacklisted, so a stolen and replayed one fails. Any failure deletes the cookie.
    """

    @extend_schema(tags=["auth"], request=None, responses=AccessSerializer)
    def post(self, request: Request) -> Response:
        token = request.COOKIES.get(REFRESH_COOKIE)
        if not token:
            raise exceptions.NotAuthenticated("No refresh cookie: log in.")
        # The refresh serializer does the checks, the rotation and the blacklisting; as in
        # its views, a TokenError (expired, blacklisted, forged) becomes a 401 InvalidToken.
        serializer = TokenRefreshSerializer(data={"refresh": token})
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        response = Response({"access": serializer.validated_data["access"]})
        set_refresh_cookie(response, serializer.validated_data["refresh"])
        return response

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if response.status_code == status.HTTP_401_UNAUTHORIZED:
            clear_refresh_cookie(response)
        return response


class CookieLogoutView(CookieView):
    """Blacklist the cookie's refresh token and delete the cookie. Always 204: logging out
    twice, or with an expired token, leaves you logged out all the same."""

    @extend_schema(tags=["auth"], request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        token = request.COOKIES.get(REFRESH_COOKIE)
        # An expired or already blacklisted token leaves nothing to revoke.
        with contextlib.suppress(TokenError):
            if token:
                RefreshToken(token).blacklist()  # type: ignore[arg-type]  # a token string is fine
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_refresh_cookie(response)
        return response
