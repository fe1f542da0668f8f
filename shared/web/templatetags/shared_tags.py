"""Template helpers every capstone uses: ``{% load shared_tags %}``.

For links that change one query parameter and keep the others, use Django's built-in
``{% querystring page=2 %}`` (Django 5.1+); see shared/pagination.html.
"""

from django import template

from shared.accounts.roles import user_has_role

register = template.Library()


@register.filter
def has_role(user, roles: str) -> bool:
    """``{% if user|has_role:"staff" %}`` or, for any of several, ``user|has_role:"staff,admin"``.

    The same ``User.has_role`` check as the view decorator and the DRF permission, so a
    link is shown exactly when the page behind it would open.
    """
    names = [name.strip() for name in roles.split(",") if name.strip()]
    return user_has_role(user, *names)


@register.filter
def role_labels(user) -> list[str]:
    """The human names of the user's roles, sorted (``settings.ROLES`` gives the labels)."""
    from django.conf import settings

    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(settings.ROLES.get(name, name) for name in user.role_names)
