"""The shop's roles: declared once (core/roles.py), granted at self-registration."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from core import roles

pytestmark = pytest.mark.django_db


def test_settings_take_the_roles_from_core_roles():
    assert settings.ROLES == roles.ROLES and settings.DEFAULT_ROLE == roles.CUSTOMER
    assert settings.ROLE_SETS["back_office"] == (roles.STAFF,)


def test_self_registration_grants_the_customer_role(client, mailoutbox):
    response = client.post(
        reverse("accounts:register"),
        {
            "email": "new@example.com",
            "full_name": "New Customer",
            "password": "a-long-unusual-passphrase",
            "password_confirm": "a-long-unusual-passphrase",
        },
    )
    assert response.templates[0].name == "accounts/register_done.html"
    user = get_user_model().objects.get(email="new@example.com")
    # The role is granted at once; has_role answers once the email is verified (is_active).
    assert set(user.groups.values_list("name", flat=True)) == {roles.CUSTOMER}
