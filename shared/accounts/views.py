"""Registration with email verification. The other account pages are Django's own views
(see urls.py), shown with our templates."""

import math

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from shared.accounts import services, throttling
from shared.accounts.forms import RegistrationForm, ResendVerificationForm


@sensitive_post_parameters("password", "password_confirm")
@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.register_user(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            # The service's errors are keyed by field, like the form's: show them in place.
            form.add_error(None, exc)
        else:
            return render(request, "accounts/register_done.html", {"email": user.email})
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET"])
def verify_email(request, uidb64, token):
    try:
        user = services.verify_email(uidb64=uidb64, token=token)
    except services.InvalidVerificationLink as exc:
        return render(request, "accounts/verify_failed.html", {"reason": str(exc)}, status=400)
    messages.success(request, f"Thank you, {user.email} is verified. You can now log in.")
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Per client address and per recipient, the API door's limits and counters: see
        # throttling.py. Checked before the service, so unknown addresses count the same.
        limits = [throttling.ClientThrottle(), throttling.RecipientThrottle(email)]
        wait = throttling.retry_after(request, limits)
        if wait is not None:
            # One message for every address, with or without an account.
            minutes = math.ceil(wait / 60)
            form.add_error(
                None,
                "Too many verification emails were asked for. "
                f"Please try again in {minutes} minute{pluralize(minutes)}.",
            )
            response = render(request, "accounts/verify_resend.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
        services.resend_verification(email=email, base_url=request.build_absolute_uri("/"))
        # The same page whether or not a mail left: see the service's docstring.
        context = {"email": email, "resent": True}
        return render(request, "accounts/register_done.html", context)
    return render(request, "accounts/verify_resend.html", {"form": form})
