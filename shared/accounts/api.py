"""JWT endpoints with the "auth" throttle scope, and the current user's profile."""

from django.contrib.auth import get_user_model
from rest_framework import generics, permissions, serializers
from rest_framework_simplejwt import views as jwt_views


class AuthThrottled:
    throttle_scope = "auth"


class TokenObtainView(AuthThrottled, jwt_views.TokenObtainPairView):
    pass


class TokenRefreshView(AuthThrottled, jwt_views.TokenRefreshView):
    pass


class LogoutView(AuthThrottled, jwt_views.TokenBlacklistView):
    """Blacklist the refresh token: it can never be used again."""


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "email", "full_name", "email_verified", "roles"]
        read_only_fields = ["id", "email", "email_verified", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_names)


class MeView(generics.RetrieveUpdateAPIView):
    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user
