"""Account use cases: registration, email verification, password reset, log out everywhere.
The pages and the API call these (the password reset *pages* are Django's own views, which
do the same with the same form, token and validators).

Like every service, these refuse bad input with a ``shared.errors.DomainError`` naming the
field to blame; each door translates it once (the API's exception handler, a page's
``add_domain_error``), so no view wraps these calls by hand."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from shared.accounts.forms import PasswordResetForm
from shared.accounts.models import User
from shared.accounts.roles import grant_default_role
from shared.errors import DomainError
from shared.tasks.base import enqueue_on_commit
from shared.tasks.email import send_templated_email


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Django's signed, expiring tokens (the password-reset machinery), with their own salt.

    The hash covers ``is_active`` and ``email_verified``: once the link has been used
    those values change, so the same link can never be used twice.
    """

    key_salt = "shared.accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.is_active}{user.email_verified}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


class InvalidVerificationLink(DomainError):
    """The link is malformed, expired, or was already used."""

    field = "token"
    default_code = "invalid_link"


class InvalidResetLink(DomainError):
    """The password reset link is malformed, expired, or was already used."""

    field = "token"
    default_code = "invalid_link"


EMAIL_TAKEN = "An account with this email address already exists."


def _refused_password(exc: ValidationError, *, field: str) -> DomainError:
    """The password validators' messages (there may be several) as one error on ``field``."""
    return DomainError(" ".join(exc.messages), field=field, code="password_refused")


# The reset mail, whichever door asked for it: urls.py gives these to Django's page view.
PASSWORD_RESET_MAIL = {
    "email_template_name": "accounts/email/password_reset.txt",
    "subject_template_name": "accounts/email/password_reset_subject.txt",
}


def _user_from_uid(uidb64: str, *, error: Exception) -> User:
    """The user a link's ``uid`` names, locked for this transaction; raises ``error`` when
    the uid is malformed or names nobody."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return User.objects.select_for_update().get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist) as exc:
        raise error from exc


def verification_path(user: User) -> str:
    """The site-relative URL of the link that verifies ``user``'s email address."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    return reverse("accounts:verify-email", kwargs={"uidb64": uidb64, "token": token})


def _send_verification_email(*, user: User, base_url: str) -> None:
    path = verification_path(user)
    context = {
        "site_name": getattr(settings, "SITE_NAME", "Capstone"),
        "full_name": user.get_short_name(),
        "verify_url": base_url.rstrip("/") + path,
    }
    # The mail leaves only once the user row is committed: a rolled-back registration
    # must not send a link to an account that does not exist. The key (one per link)
    # makes a redelivered task message harmless.
    enqueue_on_commit(
        send_templated_email,
        to=[user.email],
        subject=f"Confirm your email address for {context['site_name']}",
        template="accounts/email/verify_email",
        context=context,
        idempotency_key=f"verify-email:{path}",
    )


@transaction.atomic
def register_user(*, email: str, password: str, full_name: str = "", base_url: str) -> User:
    """Create an inactive account and email it a verification link.

    ``base_url`` is the scheme and host the link points to (``request.build_absolute_uri("/")``).
    Raises ``DomainError`` on the "email" or the "password" field on bad input.
    """
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(EMAIL_TAKEN, field="email", code="email_taken")
    user = User(email=email, full_name=full_name.strip(), is_active=False, email_verified=False)
    try:
        # The validators compare the password with the email and name, so they need the user.
        validate_password(password, user=user)
    except ValidationError as exc:
        raise _refused_password(exc, field="password") from exc
    user.set_password(password)
    try:
        # The savepoint keeps the outer transaction usable if the constraint fires.
        with transaction.atomic():
            user.save()
            grant_default_role(user)
    except IntegrityError as exc:
        # Two registrations raced past the check above: the database constraint decided.
        raise DomainError(EMAIL_TAKEN, field="email", code="email_taken") from exc
    _send_verification_email(user=user, base_url=base_url)
    return user


@transaction.atomic
def resend_verification(*, email: str, base_url: str) -> bool:
    """Email a fresh link to an account still waiting for verification (the first mail
    was lost, or its link expired). Returns whether a mail was sent.

    Callers must answer the same either way: the answer must not tell a stranger which
    addresses have an account.
    """
    user = User.objects.filter(
        email__iexact=email.strip(), is_active=False, email_verified=False
    ).first()
    if user is None:
        return False
    _send_verification_email(user=user, base_url=base_url)
    return True


@transaction.atomic
def verify_email(*, uidb64: str, token: str) -> User:
    """Activate the account the link was made for. Raises ``InvalidVerificationLink``."""
    user = _user_from_uid(
        uidb64, error=InvalidVerificationLink("This verification link is not valid.")
    )
    if not email_verification_token.check_token(user, token):
        raise InvalidVerificationLink(
            "This verification link is invalid, expired or was already used."
        )
    user.is_active = True
    user.email_verified = True
    user.save(update_fields=["is_active", "email_verified"])
    return user


@transaction.atomic
def request_password_reset(*, email: str, base_url: str) -> None:
    """Email a single-use link to choose a new password, if an active account with a usable
    password has this address; otherwise do nothing. The link opens the reset page.

    Django's ``PasswordResetForm`` does the work, exactly as on the page: the same lookup,
    token and mail. Callers must answer the same either way (see ``resend_verification``).
    """
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        raise DomainError("Enter a valid email address.", field="email")
    url = urlsplit(base_url)
    form.save(
        domain_override=url.netloc,
        use_https=url.scheme == "https",
        extra_email_context={"site_name": getattr(settings, "SITE_NAME", "Capstone")},
        email_template_name=PASSWORD_RESET_MAIL["email_template_name"],
        subject_template_name=PASSWORD_RESET_MAIL["subject_template_name"],
    )


@transaction.atomic
def reset_password(*, uidb64: str, token: str, new_password: str) -> User:
    """Set a new password with the ``uid`` and ``token`` of a reset link.

    Raises ``InvalidResetLink``, or a ``DomainError`` on "new_password" when the password
    validators refuse it. The token hashes the old password, so once the password
    changes the link stops working; so do the user's JWTs (``CHECK_REVOKE_TOKEN``).
    """
    user = _user_from_uid(uidb64, error=InvalidResetLink("This password reset link is not valid."))
    if not default_token_generator.check_token(user, token):
        raise InvalidResetLink("This password reset link is invalid, expired or was already used.")
    try:
        validate_password(new_password, user=user)
    except ValidationError as exc:
        raise _refused_password(exc, field="new_password") from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


def log_out_everywhere(*, user: User) -> int:
    """End every session of ``user``: each outstanding refresh token is blacklisted, and the
    epoch bump makes every access token and page session issued before refused at once.

    Returns how many refresh tokens were blacklisted. The caller's own session ends too.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(token_epoch=F("token_epoch") + 1)
        outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
        blacklisted = BlacklistedToken.objects.bulk_create(
            [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
        )
    user.refresh_from_db(fields=["token_epoch"])
    return len(blacklisted)
