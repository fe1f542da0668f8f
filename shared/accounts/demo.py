"""Demo accounts for ``make run``: each project lists them in ``settings.DEMO_LOGINS`` and its
seed command calls ``seed_demo_users()``. Safe to run again: a second run changes nothing.

    DEMO_LOGINS = [
        {"role": "admin", "email": "admin@shop.test", "password": "..."},   # superuser
        {"role": "staff", "email": "staff@shop.test", "password": "..."},   # a declared role
        {"role": "customer", "email": "ann@shop.test", "password": "...", "full_name": "Ann"},
    ]
"""

from typing import Any

from django.conf import settings
from django.db import transaction

from shared.accounts.models import User
from shared.accounts.roles import grant_role

ADMIN_ROLE = "admin"  # not a group: the superuser who can open /admin/


@transaction.atomic
def ensure_demo_user(
    *, email: str, password: str, roles: list[str] | tuple[str, ...] = (), full_name: str = ""
) -> User:
    """Create (or repair) an active, verified account that logs in with ``password``."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email)
    superuser = ADMIN_ROLE in roles
    wanted = {
        "full_name": full_name or user.full_name,
        "is_active": True,
        "email_verified": True,
        "is_staff": user.is_staff or superuser,
        "is_superuser": user.is_superuser or superuser,
    }
    changed = user.pk is None or any(getattr(user, k) != v for k, v in wanted.items())
    for field, value in wanted.items():
        setattr(user, field, value)
    if not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    for role in roles:
        if role != ADMIN_ROLE and not user.groups.filter(name=role).exists():
            grant_role(user, role)
    return user


def seed_demo_users(logins: list[dict[str, Any]] | None = None) -> list[User]:
    """Ensure every account of ``settings.DEMO_LOGINS`` (or ``logins``) exists."""
    users = []
    for login in settings.DEMO_LOGINS if logins is None else logins:
        roles = login.get("roles") or [login["role"]]
        declared = [role for role in roles if role == ADMIN_ROLE or role in settings.ROLES]
        users.append(
            ensure_demo_user(
                email=login["email"],
                password=login["password"],
                roles=declared,
                full_name=login.get("full_name", ""),
            )
        )
    return users
