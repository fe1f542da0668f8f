"""The auth API under /api/v1/auth/: JWT obtain, refresh (rotating), verify, logout, me,
registration, email verification and password reset."""

from django.urls import path

from shared.accounts import api

app_name = "auth-api"

urlpatterns = [
    path("token/", api.TokenObtainView.as_view(), name="token-obtain"),
    path("token/refresh/", api.TokenRefreshView.as_view(), name="token-refresh"),
    path("token/verify/", api.TokenVerifyView.as_view(), name="token-verify"),
    path("logout/", api.LogoutView.as_view(), name="logout"),
    path("register/", api.RegisterView.as_view(), name="register"),
    path("verify-email/", api.VerifyEmailView.as_view(), name="verify-email"),
    path("verify-email/resend/", api.ResendVerificationView.as_view(), name="verify-email-resend"),
    path("password/reset/", api.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/confirm/",
        api.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("me/", api.MeView.as_view(), name="me"),
]
