"""Roles are Django groups. One helper per door: views, DRF and templates.

A project declares its roles in settings (``ROLES = {"staff": "Shop staff"}``) and
``manage.py seed_roles`` creates the groups. Every check goes through
``User.has_role`` so the three doors can never disagree.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from rest_framework.permissions import BasePermission


def user_has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*roles))


def _check_declared(roles: tuple[str, ...]) -> None:
    unknown = set(roles) - set(settings.ROLES)
    if unknown:
        raise ImproperlyConfigured(
            f"Unknown role(s) {sorted(unknown)}; declare them in settings.ROLES."
        )


def role_required(*roles: str):
    """Decorator for function views: anonymous users go to login, others need a role (403)."""
    _check_declared(roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
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

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(*self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HasRole(BasePermission):
    """DRF permission. Use ``HasRole.of("staff")`` in ``permission_classes``."""

    roles: tuple[str, ...] = ()
    message = "Your role does not allow this action."

    def has_permission(self, request, view) -> bool:
        return user_has_role(request.user, *self.roles)

    @classmethod
    def of(cls, *roles: str) -> type["HasRole"]:
        _check_declared(roles)
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})


def seed_roles() -> list[str]:
    """Create one group per declared role; safe to run again."""
    created = []
    for name in settings.ROLES:
        _, was_created = Group.objects.get_or_create(name=name)
        if was_created:
            created.append(name)
    return created


def grant_role(user, role: str) -> None:
    _check_declared((role,))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.__dict__.pop("_role_names", None)
