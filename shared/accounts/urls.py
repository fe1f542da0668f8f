"""Account pages: Django's auth views with our templates, plus registration (and a
rate-limited subclass of Django's password reset view).

Templates are named explicitly: django.contrib.admin ships ``registration/password_*.html``
and comes first in INSTALLED_APPS, so those names would show the admin's pages instead of ours.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from shared.accounts import services, views
from shared.accounts.forms import PasswordResetForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    # POST only (Django 5): a link or an <img> on another site cannot log the user out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout-everywhere"),
    path("register/", views.register, name="register"),
    path("verify/resend/", views.resend_verification, name="verify-resend"),
    path("verify/<uidb64>/<token>/", views.verify_email, name="verify-email"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        # Django's view with our limits per client and per recipient (views.py).
        views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            form_class=PasswordResetForm,
            **services.PASSWORD_RESET_MAIL,  # the API's reset mail is the same
            # Without django.contrib.sites the mail would name the host ("localhost:8003").
            extra_email_context={"site_name": getattr(settings, "SITE_NAME", "Capstone")},
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
