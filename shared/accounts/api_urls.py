"""The auth API under /api/v1/auth/: JWT obtain, refresh (rotating), verify, logout, me."""

from django.urls import path
from rest_framework_simplejwt import views as jwt_views

from shared.accounts import api

app_name = "auth-api"

urlpatterns = [
    path("token/", api.TokenObtainView.as_view(), name="token-obtain"),
    path("token/refresh/", api.TokenRefreshView.as_view(), name="token-refresh"),
    path("token/verify/", jwt_views.TokenVerifyView.as_view(), name="token-verify"),
    path("logout/", api.LogoutView.as_view(), name="logout"),
    path("me/", api.MeView.as_view(), name="me"),
]
