"""The auth API under /api/v1/auth/: JWT obtain, refresh (rotating), verify, logout (this
token, or everywhere), me, registration, email verification and password reset; the cookie
variant for browser apps."""

from django.urls import path

from shared.accounts import api, cookie_tokens

app_name = "auth-api"

urlpatterns = [
    path("token/", api.TokenObtainView.as_view(), name="token-obtain"),
    path("token/refresh/", api.TokenRefreshView.as_view(), name="token-refresh"),
    path("token/verify/", api.TokenVerifyView.as_view(), name="token-verify"),
    path("logout/", api.LogoutView.as_view(), name="logout"),
    path("logout/everywhere/", api.LogoutEverywhereView.as_view(), name="logout-everywhere"),
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
    # The same tokens for a browser application, the refresh token in an httpOnly cookie.
    path("cookie/csrf/", cookie_tokens.CsrfTokenView.as_view(), name="cookie-csrf"),
    path("cookie/token/", cookie_tokens.CookieTokenObtainView.as_view(), name="cookie-token"),
    path("cookie/refresh/", cookie_tokens.CookieTokenRefreshView.as_view(), name="cookie-refresh"),
    path("cookie/logout/", cookie_tokens.CookieLogoutView.as_view(), name="cookie-logout"),
]
