"""factory_boy factories for the shared models."""

from typing import Any

import factory

from shared.accounts.models import User
from shared.accounts.roles import grant_role

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    email_verified = True
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation  # type: ignore[untyped-decorator]  # factory_boy leaves it untyped
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        """``UserFactory(roles=["staff"])`` puts the user in those role groups."""
        for role in extracted or ():
            grant_role(self, role)  # type: ignore[arg-type]  # self is the User built
