"""Course-scoped permissions: ``user.has_perm("courses.grade_course", course)``.

An instructor or a teaching assistant is so *of one course* (a CourseStaff row), so these
are object permissions answered by predicates (docs/decisions/0005), not groups. A platform
admin holds them for every course.
"""

import rules

from core.roles import PLATFORM_ADMIN
from courses.models import CourseStaff
from shared.accounts.rules import has_role


@rules.predicate
def instructs(user, course) -> bool:
    """An instructor of this course (builds it, publishes it, grades it)."""
    return bool(
        course is not None
        and user.is_authenticated
        and CourseStaff.objects.filter(
            course=course, user=user, role=CourseStaff.Role.INSTRUCTOR
        ).exists()
    )


@rules.predicate
def teaches(user, course) -> bool:
    """An instructor or a teaching assistant of this course (grades it, sees its roster)."""
    return bool(
        course is not None
        and user.is_authenticated
        and CourseStaff.objects.filter(course=course, user=user).exists()
    )


platform_admin = has_role(PLATFORM_ADMIN)

# Build: modules, lessons, quizzes, assignments; publish and archive; announcements.
rules.add_perm("courses.build_course", instructs | platform_admin)
# Grade: the gradebook, submissions, the roster, bulk enrollment.
rules.add_perm("courses.grade_course", teaches | platform_admin)
