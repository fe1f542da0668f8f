"""Roles are Django groups. One helper per door: views, DRF and templates.

A project declares every role name, and the named sets of roles its pages check, in one
module, ``core/roles.py``; its settings import them (``ROLES``, ``ROLE_SETS``,
``DEFAULT_ROLE``) and ``manage.py seed_roles`` creates the groups. Every check goes through
``User.has_role`` so the three doors can never disagree, and every helper refuses an empty
list of roles: "no role required" is never what an access rule means.

Roles that hold for one object only (an instructor of *this* course, an admin of *this*
organization) are not groups: they are permissions checked with ``user.has_perm(perm, obj)``,
declared with the ``rules`` package in an app's ``rules.py`` (see shared/accounts/rules.py).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from shared.accounts.models import User

# A function view: takes the request (and URL arguments), returns a response.
View = Callable[..., HttpResponseBase]


def user_has_role(user: User | AnonymousUser | None, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*roles))


def _check_declared(roles: tuple[str, ...]) -> None:
    if not roles:
        raise ImproperlyConfigured("A role check needs at least one role.")
    unknown = set(roles) - set(settings.ROLES)
    if unknown:
        raise ImproperlyConfigured(
            f"Unknown role(s) {sorted(unknown)}; declare them in settings.ROLES."
        )


def role_required(*roles: str) -> Callable[[View], View]:
    """Decorator for function views: anonymous users go to login, others need a role (403)."""
    _check_declared(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin(AccessMixin):
    """For class-based views: ``required_roles = ("staff",)``."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _check_declared(tuple(self.required_roles))
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(*self.required_roles):
            raise PermissionDenied
        # The view class this is mixed into has dispatch(); AccessMixin alone does not.
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


class HasRole(BasePermission):
    """DRF permission. Use ``HasRole.of("staff")`` in ``permission_classes``."""

    roles: tuple[str, ...] = ()
    message = "Your role does not allow this action."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return user_has_role(request.user, *self.roles)

    @classmethod
    def of(cls, *roles: str) -> type["HasRole"]:
        _check_declared(roles)
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})


def resolve_roles(names: str) -> tuple[str, ...]:
    """``"staff"``, ``"staff,admin"`` or the name of a set in ``settings.ROLE_SETS``
    (``"back_office"``) as the tuple of role names it stands for; templates use this."""
    role_sets = getattr(settings, "ROLE_SETS", {})
    roles: list[str] = []
    for name in (part.strip() for part in names.split(",")):
        if name:
            roles.extend(role_sets.get(name, (name,)))
    _check_declared(tuple(roles))
    return tuple(roles)


def grant_default_role(user: User) -> None:
    """Give a self-registered user the project's ``DEFAULT_ROLE`` (shop: customer), if any."""
    role = getattr(settings, "DEFAULT_ROLE", None)
    if role:
        grant_role(user, role)


def seed_roles() -> list[str]:
    """Create one group per declared role; safe to run again."""
    created = []
    for name in settings.ROLES:
        _, was_created = Group.objects.get_or_create(name=name)
        if was_created:
            created.append(name)
    return created


def grant_role(user: User, role: str) -> None:
    _check_declared((role,))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.__dict__.pop("_role_names", None)
