"""Template helpers every capstone uses: ``{% load shared_tags %}``.

For links that change one query parameter and keep the others, use Django's built-in
``{% querystring page=2 %}`` (Django 5.1+); see shared/pagination.html.

Values on a page go through one rule per kind (shared/web/formatting.py): ``money`` and
``measure`` here; dates through Django's ``date``/``time`` filters and the shared formats.
"""

from typing import Any

from django import template

from shared.accounts.roles import resolve_roles, user_has_role
from shared.web import formatting

register = template.Library()


@register.filter
def money(value: Any, currency: str | None = None) -> str:
    """``{{ order.total|money:order.currency }}`` -> "€1,234.50" (settings.CURRENCY if none)."""
    return formatting.format_money(value, currency)


@register.filter
def measure(value: Any, unit: str = "") -> str:
    """``{{ result.value|measure:result.unit }}`` -> "10.9 g/dL"; ``{{ low|measure }}`` -> "4.5"."""
    return formatting.format_measure(value, unit)


@register.filter
def has_role(user: Any, roles: str) -> bool:
    """``{% if user|has_role:"back_office" %}``: a set named in ``core/roles.py``'s
    ``ROLE_SETS`` (or a role, or several: ``"staff,admin"``).

    The same ``User.has_role`` check as the view decorator and the DRF permission, so a
    link is shown exactly when the page behind it would open.
    """
    return user_has_role(user, *resolve_roles(roles))


@register.filter
def role_labels(user: Any) -> list[str]:
    """The human names of the user's roles, sorted (``settings.ROLES`` gives the labels)."""
    from django.conf import settings

    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(settings.ROLES.get(name, name) for name in user.role_names)
