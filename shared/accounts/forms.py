"""Forms for the account pages. Rules live in services.py; forms only parse the input."""

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.template.loader import render_to_string

from shared.tasks.base import enqueue_on_commit
from shared.tasks.email import send_templated_email


class RegistrationForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label="Password (again)",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        # Form.clean() returns cleaned_data, a dict once the fields have been cleaned.
        cleaned = super().clean() or {}
        # Typing the password twice is a page concern (the API client has its own UI).
        if cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", "The two passwords do not match.")
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; the email goes out through the shared email task (a worker in
    the services mode), so a slow mail server never holds the page up.

    A task message must be JSON, so the context keeps strings only (no ``user`` object).
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        fields = ("email", "domain", "site_name", "uid", "token", "protocol")
        enqueue_on_commit(
            send_templated_email,
            to=[to_email],
            subject=subject,
            template=email_template_name.removesuffix(".txt"),
            context={key: context[key] for key in fields}
            | {"full_name": context["user"].get_short_name()},
        )
