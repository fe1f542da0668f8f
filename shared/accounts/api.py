"""The auth API: JWT obtain/refresh/logout, registration, email verification, password
reset and ``me``.

Every endpoint here has the "auth" throttle scope (see REST_FRAMEWORK's rates).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from shared.accounts import services, throttling


class AuthThrottled:
    throttle_scope = "auth"


class TokenObtainView(AuthThrottled, jwt_views.TokenObtainPairView):
    """Exchange email + password for an access token (short-lived) and a refresh token.

    django-axes must see the real Django request. DRF wraps the ``HttpRequest`` in its own
    ``Request``; axes marks a locked-out login by setting ``axes_locked_out`` on the request
    it is given, and its middleware reads that flag on the ``HttpRequest``. Given the
    wrapper, the flag lands on the wrong object and the client only ever sees "no active
    account". So the serializer (which calls ``authenticate``) gets the ``HttpRequest``.
    """

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["request"] = self.request._request
        return context

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Issuing tokens is a login, so say so as django.contrib.auth.login() does: receivers
        # such as axes (which resets the failure count) then treat both doors alike.
        user_logged_in.send(
            sender=type(serializer.user), request=request._request, user=serializer.user
        )
        return Response(serializer.validated_data, status=status.HTTP_200_OK)


class TokenRefreshView(AuthThrottled, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token is blacklisted."""


class TokenVerifyView(AuthThrottled, jwt_views.TokenVerifyView):
    """Check that a token is valid (signature and expiry)."""


class LogoutView(AuthThrottled, jwt_views.TokenBlacklistView):
    """Blacklist the refresh token: it can never be used again."""


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "email", "full_name", "email_verified", "roles"]
        read_only_fields = ["id", "email", "email_verified", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_names)


class RegisterView(AuthThrottled, generics.GenericAPIView):
    """Create an account; it stays inactive until the emailed link is followed."""

    serializer_class = RegisterSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={201: UserSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.register_user(
                **serializer.validated_data, base_url=request.build_absolute_uri("/")
            )
        except DjangoValidationError as exc:
            # Same rule, same message as the page; keyed by field for the client.
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class VerifyEmailSerializer(serializers.Serializer):
    uid = serializers.CharField()
    token = serializers.CharField()


class VerifyEmailView(AuthThrottled, generics.GenericAPIView):
    """Activate an account with the ``uid`` and ``token`` from the emailed link."""

    serializer_class = VerifyEmailSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: UserSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.verify_email(
                uidb64=serializer.validated_data["uid"], token=serializer.validated_data["token"]
            )
        except services.InvalidVerificationLink as exc:
            raise serializers.ValidationError({"token": str(exc)}) from exc
        return Response(UserSerializer(user).data)


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField()


class AccountEmailView(AuthThrottled, generics.GenericAPIView):
    """The shape of an endpoint that mails an address on an anonymous request. Always 202:
    the answer does not reveal accounts.

    Limited per client address (the ``auth`` scope, checked by DRF before ``post``) and per
    recipient (checked in ``post``, once the address is valid), like the pages: see
    ``shared/accounts/throttling.py``. Either limit answers 429 ``throttled``. A subclass
    names the service that sends the mail.
    """

    serializer_class = EmailSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    def send(self, *, email: str, base_url: str) -> None:
        raise NotImplementedError

    @extend_schema(responses={202: None})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
        # Before the service, so an address without an account is counted all the same.
        wait = throttling.retry_after(request, [throttling.RecipientThrottle(email)])
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        try:
            self.send(email=email, base_url=request.build_absolute_uri("/"))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
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


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField()
    token = serializers.CharField()
    new_password = serializers.CharField(write_only=True, style={"input_type": "password"})


class PasswordResetConfirmView(AuthThrottled, generics.GenericAPIView):
    """Set a new password with the ``uid`` and ``token`` of the emailed link (for an app
    that opens the link itself). Tokens issued before stop working."""

    serializer_class = PasswordResetConfirmSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={204: None})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.reset_password(
                uidb64=data["uid"], token=data["token"], new_password=data["new_password"]
            )
        except services.InvalidResetLink as exc:
            raise serializers.ValidationError({"token": str(exc)}) from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveUpdateAPIView):
    """The current user's profile; only ``full_name`` can be changed here."""

    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user
