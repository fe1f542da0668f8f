"""JWTs that stop working when they should: after a password change, and after "log out
everywhere". simplejwt's classes, each with one check added; settings.py installs them.

Every token carries two claims besides the user's id: a hash of the password hash
(simplejwt's ``CHECK_REVOKE_TOKEN``) and the user's ``token_epoch``. A new password changes
the first, "log out everywhere" (``services.log_out_everywhere``) bumps the second, so every
token issued before either one is refused, access and refresh tokens alike.

simplejwt checks both claims of an *access* token (the password one itself, the epoch in
``JWTAuthentication`` below), but its refresh endpoint checks neither: an old refresh token
would still buy a new pair. ``TokenRefreshSerializer`` refuses it at the door.
"""

from typing import Any, cast

from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt import authentication, serializers, tokens
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from shared.accounts.models import User

EPOCH_CLAIM = "token_epoch"
PASSWORD_CHANGED = "The user's password has been changed."
LOGGED_OUT = "This session was logged out everywhere; log in again."


class RefreshToken(tokens.RefreshToken):
    """simplejwt's refresh token with the user's epoch (its access tokens copy the claim)."""

    @classmethod
    def for_user(cls, user: User) -> "RefreshToken":  # type: ignore[override]
        token = super().for_user(user)
        token[EPOCH_CLAIM] = user.token_epoch
        # simplejwt listed the token as outstanding before the claim was added: store the
        # token as issued, so the blacklist and the admin show the real one.
        OutstandingToken.objects.filter(jti=token[api_settings.JTI_CLAIM]).update(token=str(token))
        return cast(RefreshToken, token)  # super() built an instance of cls


def check_not_revoked(token: tokens.Token, user: User) -> None:
    """Raise 401 when a password change or "log out everywhere" came after ``token``."""
    if api_settings.CHECK_REVOKE_TOKEN and token.get(
        api_settings.REVOKE_TOKEN_CLAIM
    ) != get_md5_hash_password(user.password):
        raise AuthenticationFailed(PASSWORD_CHANGED, code="password_changed")
    # A token minted without the claim (simplejwt's own class) belongs to epoch 0.
    if token.get(EPOCH_CLAIM, 0) != user.token_epoch:
        raise AuthenticationFailed(LOGGED_OUT, code="token_revoked")


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's ``Authorization: Bearer`` check, refusing revoked access tokens too."""

    def get_user(self, validated_token: tokens.Token) -> User:  # type: ignore[override]
        user = super().get_user(validated_token)  # active, and the password claim
        assert isinstance(user, User)
        check_not_revoked(validated_token, user)
        return user


class TokenObtainPairSerializer(serializers.TokenObtainPairSerializer):
    token_class = RefreshToken


class TokenRefreshSerializer(serializers.TokenRefreshSerializer):
    """A new pair only for a refresh token that still speaks for an active user."""

    token_class = RefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = self.token_class(attrs["refresh"])  # signature, expiry, blacklist
        user_id = refresh.get(api_settings.USER_ID_CLAIM)
        user = User.objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
        if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
            # simplejwt would raise DoesNotExist (a 500) for a deleted user.
            raise AuthenticationFailed(
                self.error_messages["no_active_account"], code="no_active_account"
            )
        check_not_revoked(refresh, user)
        return super().validate(attrs)
