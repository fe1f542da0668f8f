"""The auth API: JWT obtain/refresh/logout, registration, email verification, password
reset and ``me``.

Every endpoint here has the "auth" throttle scope (see REST_FRAMEWORK's rates).
"""

from typing import Any, cast

from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from shared.accounts import services, throttling
from shared.accounts.http import AuthenticatedRequest
from shared.accounts.models import User


class AuthThrottled:
    throttle_scope = "auth"


class AnswersUnauthorized:
    """For the schema (shared/web/schema.py): these views authenticate nobody, yet refuse a
    wrong password or an invalid token with a 401."""

    schema_error_statuses = ("401",)


class TokenObtainView(AuthThrottled, AnswersUnauthorized, jwt_views.TokenObtainPairView):
    """Exchange email + password for an access token (short-lived) and a refresh token.

    django-axes must see the real Django request. DRF wraps the ``HttpRequest`` in its own
    ``Request``; axes marks a locked-out login by setting ``axes_locked_out`` on the request
    it is given, and its middleware reads that flag on the ``HttpRequest``. Given the
    wrapper, the flag lands on the wrong object and the client only ever sees "no active
    account". So the serializer (which calls ``authenticate``) gets the ``HttpRequest``.
    """

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["request"] = self.request._request
        return context

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Issuing tokens is a login, so say so as django.contrib.auth.login() does: receivers
        # such as axes (which resets the failure count) then treat both doors alike.
        user = serializer.user  # type: ignore[attr-defined]  # set by simplejwt's validate()
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(serializer.validated_data, status=status.HTTP_200_OK)


class TokenRefreshView(AuthThrottled, AnswersUnauthorized, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token is blacklisted."""


class TokenVerifyView(AuthThrottled, AnswersUnauthorized, jwt_views.TokenVerifyView):
    """Check that a token is valid (signature and expiry)."""


class LogoutView(AuthThrottled, AnswersUnauthorized, jwt_views.TokenBlacklistView):
    """Blacklist the refresh token: it can never be used again. The access token issued with
    it keeps working until it expires (at most ACCESS_TOKEN_LIFETIME); to end that one too,
    and every other session, use ``logout/everywhere/``."""


class LogoutEverywhereView(AuthThrottled, generics.GenericAPIView):  # type: ignore[type-arg]
    """End every session of the caller: all refresh tokens blacklisted, all access tokens
    issued before refused from now on (this request's own included), page sessions ended."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = None

    @extend_schema(request=None, responses={204: None})
    def post(self, request: AuthenticatedRequest) -> Response:
        services.log_out_everywhere(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegisterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class UserSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "email_verified", "roles"]
        read_only_fields = ["id", "email", "email_verified", "roles"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_names)


class RegisterView(AuthThrottled, generics.GenericAPIView):  # type: ignore[type-arg]
    """Create an account; it stays inactive until the emailed link is followed."""

    serializer_class = RegisterSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []

    @extend_schema(responses={201: UserSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A refusal (email taken, weak password) is a DomainError on its field: the shared
        # exception handler answers 400 with the same message the page shows.
        user = services.register_user(
            **serializer.validated_data, base_url=request.build_absolute_uri("/")
        )
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class VerifyEmailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    uid = serializers.CharField()
    token = serializers.CharField()


class VerifyEmailView(AuthThrottled, generics.GenericAPIView):  # type: ignore[type-arg]
    """Activate an account with the ``uid`` and ``token`` from the emailed link."""

    serializer_class = VerifyEmailSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []

    @extend_schema(responses={200: UserSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.verify_email(
            uidb64=serializer.validated_data["uid"], token=serializer.validated_data["token"]
        )
        return Response(UserSerializer(user).data)


class EmailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()


class AccountEmailView(AuthThrottled, generics.GenericAPIView):  # type: ignore[type-arg]
    """The shape of an endpoint that mails an address on an anonymous request. Always 202:
    the answer does not reveal accounts.

    Limited per client address (the ``auth`` scope, checked by DRF before ``post``) and per
    recipient (checked in ``post``, once the address is valid), like the pages: see
    ``shared/accounts/throttling.py``. Either limit answers 429 ``throttled``. A subclass
    names the service that sends the mail.
    """

    serializer_class = EmailSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []

    def send(self, *, email: str, base_url: str) -> None:
        raise NotImplementedError

    @extend_schema(responses={202: None})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
        # Before the service, so an address without an account is counted all the same.
        wait = throttling.retry_after(request, [throttling.RecipientThrottle(email)])
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        self.send(email=email, base_url=request.build_absolute_uri("/"))
        return Response(status=status.HTTP_202_ACCEPTED)


class ResendVerificationView(AccountEmailView):
    """Email a fresh verification link to an account still waiting for verification."""

    def send(self, *, email: str, base_url: str) -> None:
        services.resend_verification(email=email, base_url=base_url)


class PasswordResetView(AccountEmailView):
    """Email a link to choose a new password: the reset page's mail (its link opens that
    page), to an active account."""

    def send(self, *, email: str, base_url: str) -> None:
        services.request_password_reset(email=email, base_url=base_url)


class PasswordResetConfirmSerializer(serializers.Serializer):  # type: ignore[type-arg]
    uid = serializers.CharField()
    token = serializers.CharField()
    new_password = serializers.CharField(write_only=True, style={"input_type": "password"})


class PasswordResetConfirmView(AuthThrottled, generics.GenericAPIView):  # type: ignore[type-arg]
    """Set a new password with the ``uid`` and ``token`` of the emailed link (for an app
    that opens the link itself). Tokens issued before stop working."""

    serializer_class = PasswordResetConfirmSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []

    @extend_schema(responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.reset_password(
            uidb64=data["uid"], token=data["token"], new_password=data["new_password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveUpdateAPIView):  # type: ignore[type-arg]
    """The current user's profile; only ``full_name`` can be changed here."""

    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        # IsAuthenticated has run: the caller is a signed-in User.
        return cast(User, self.request.user)
