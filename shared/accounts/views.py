"""Registration with email verification, and the password reset page (Django's view with
our limits). The other account pages are Django's own views (see urls.py), shown with our
templates."""

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from shared.accounts import services, throttling
from shared.accounts.forms import RegistrationForm, ResendVerificationForm
from shared.accounts.http import AuthenticatedHttpRequest
from shared.errors import DomainError
from shared.web.forms import add_domain_error


def _too_many(
    request: HttpRequest, template: str, context: dict[str, Any], *, wait: int, reason: str
) -> HttpResponse:
    """The same page again with its form and a message, answered 429 with ``Retry-After``
    (the seconds ``throttling.retry_after`` returned). The message names no address, so
    it reads the same whether or not an account exists."""
    minutes = math.ceil(wait / 60)
    context["form"].add_error(
        None, f"{reason} Please try again in {minutes} minute{pluralize(minutes)}."
    )
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


@sensitive_post_parameters("password", "password_confirm")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The API's register endpoint is on the `auth` scope; the page draws from the same
        # per-client counter, so neither door creates accounts (and mails) without limit.
        # Checked once the form is valid: a typo costs nothing, an "already exists" does.
        wait = throttling.retry_after(request, [throttling.ClientThrottle()])
        if wait is not None:
            return _too_many(
                request,
                "accounts/register.html",
                {"form": form},
                wait=wait,
                # Not "sign-ups": API logins from the same address draw on this budget too.
                reason="Too many requests came from your network.",
            )
        try:
            user = services.register_user(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                base_url=request.build_absolute_uri("/"),
            )
        except DomainError as error:
            # The service names the field to blame: its message shows next to that field.
            add_domain_error(form, error)
        else:
            return render(request, "accounts/register_done.html", {"email": user.email})
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET"])
def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = services.verify_email(uidb64=uidb64, token=token)
    except services.InvalidVerificationLink as exc:
        return render(request, "accounts/verify_failed.html", {"reason": str(exc)}, status=400)
    messages.success(request, f"Thank you, {user.email} is verified. You can now log in.")
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Per client address and per recipient, the API door's limits and counters: see
        # throttling.py. Checked before the service, so unknown addresses count the same.
        limits = [throttling.ClientThrottle(), throttling.RecipientThrottle(email)]
        wait = throttling.retry_after(request, limits)
        if wait is not None:
            return _too_many(
                request,
                "accounts/verify_resend.html",
                {"form": form},
                wait=wait,
                reason="Too many verification emails were asked for.",
            )
        services.resend_verification(email=email, base_url=request.build_absolute_uri("/"))
        # The same page whether or not a mail left: see the service's docstring.
        context = {"email": email, "resent": True}
        return render(request, "accounts/register_done.html", context)
    return render(request, "accounts/verify_resend.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with the limits of the resend page in front of the mail.

    Django already answers the same for any address (a redirect to "check your email",
    a mail only if an active account has it). ``form_valid`` runs once the address is
    well formed and before Django looks for an account, so an unknown address is counted
    exactly like a known one and the 429 reveals nothing either. The rest (the token,
    the mail through our form's ``send_mail``) is Django's code, untouched.
    """

    def form_valid(self, form: auth_forms.PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        limits = [throttling.ClientThrottle(), throttling.RecipientThrottle(email)]
        wait = throttling.retry_after(self.request, limits)
        if wait is not None:
            return _too_many(
                self.request,
                str(self.template_name),
                self.get_context_data(form=form),
                wait=wait,
                reason="Too many password reset emails were asked for.",
            )
        return super().form_valid(form)


@require_POST
@login_required
def logout_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The page's "Log out everywhere" button: every session and token of the user ends,
    this browser's too, so the next page is the login."""
    services.log_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, "You were logged out on every device and app.")
    return redirect(settings.LOGIN_URL)
