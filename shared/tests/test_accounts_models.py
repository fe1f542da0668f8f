"""The email-login User: its manager, its names, and the one-account-per-email rule."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from shared.accounts import services
from shared.errors import DomainError

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_create_user_lowercases_the_email_and_hashes_the_password():
    user = User.objects.create_user("Ann@Example.COM", "pw-123-secret")
    assert user.email == "ann@example.com"
    assert user.check_password("pw-123-secret") and user.password != "pw-123-secret"
    assert not user.is_staff and not user.is_superuser


def test_create_superuser_and_missing_email():
    admin = User.objects.create_superuser("root@example.com", "pw-123-secret")
    assert admin.is_staff and admin.is_superuser
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user("", "pw")


def test_names_fall_back_to_the_email():
    user = User(email="x@example.com")
    assert (str(user), user.get_full_name(), user.get_short_name()) == ("x@example.com",) * 3
    user.full_name = "Ada Lovelace"
    assert (user.get_full_name(), user.get_short_name()) == ("Ada Lovelace", "Ada")


def test_the_database_refuses_two_accounts_differing_only_by_case():
    User.objects.create_user("dup@example.com", "pw")
    with pytest.raises(IntegrityError), transaction.atomic():
        # Bypass the manager's lower-casing: the constraint itself must hold.
        User.objects.bulk_create([User(email="DUP@example.com")])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_of_one_email_make_one_account(concurrently):
    def register():
        return services.register_user(
            email="race@example.com", password="violet-mountain-42-river", base_url="http://x/"
        )

    outcomes = concurrently(*[register] * 4)
    created = [o.value for o in outcomes if o.error is None]
    refused = [o.error for o in outcomes if o.error is not None]
    assert len(created) == 1
    assert all(isinstance(error, DomainError) and error.field == "email" for error in refused), (
        refused
    )
    assert all("already exists" in str(error) for error in refused)
    assert User.objects.filter(email__iexact="race@example.com").count() == 1
