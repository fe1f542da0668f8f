"""Predicates for object permissions, checked by Django's own ``user.has_perm(perm, obj)``.

Global roles are groups (shared/accounts/roles.py). A role that holds for one object only
(the instructor of *this* course, an admin of *this* organization, the manager of *this*
team) is a permission answered by a predicate, declared in an app's ``rules.py`` with the
`rules` package and checked through the authentication backend Django already consults::

    # lms/courses/rules.py
    import rules
    from shared.accounts.rules import has_role

    @rules.predicate
    def teaches(user, course):
        return course is not None and course.staff.filter(user=user).exists()

    rules.add_perm("courses.grade_course", teaches | has_role(PLATFORM_ADMIN))

    # a view, an API permission, a template: one question, asked the same way
    request.user.has_perm("courses.grade_course", course)

The DRF and view helpers that ask it: ``rest_framework.permissions.DjangoObjectPermissions``
or a small ``BasePermission``, and ``rules.contrib.views.PermissionRequiredMixin``; in a
template, ``{% load rules %}{% has_perm "courses.grade_course" user course as can_grade %}``.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from rules.predicates import Predicate

from shared.accounts.models import User


def has_role(*roles: str) -> Predicate:
    """A predicate true for an active user holding any of these global roles (groups)."""
    if not roles:
        raise ImproperlyConfigured("has_role() needs at least one role.")

    def check(user: User | AnonymousUser | None) -> bool:
        return bool(user and user.is_authenticated and user.has_role(*roles))

    return Predicate(check, name=f"has_role({', '.join(roles)})")
