"""Who may do what in a course's live classroom: ``user.has_perm("classroom.join", course)``.

The same course-scoped design as courses/rules.py (docs/decisions/0005): predicates over
the course, asked through Django's has_perm. The consumer asks again on every message, so a
student dropped in the middle of a session is refused from the next message on.
"""

import rules

from courses.rules import instructs, platform_admin, teaches
from enrollments.models import Enrollment


@rules.predicate
def takes_part(user, course) -> bool:
    """A student holding a seat in this course (active or completed enrollment)."""
    return bool(
        course is not None
        and user.is_authenticated
        and Enrollment.objects.filter(
            course=course, student=user, status__in=Enrollment.SEAT_STATUSES
        ).exists()
    )


# Join: see the questions and the tallies live.
rules.add_perm("classroom.join", takes_part | teaches | platform_admin)
# Answer: a student of the course (staff watch, they do not vote).
rules.add_perm("classroom.answer", takes_part)
# Run: open and close a session, push questions (the course's instructors).
rules.add_perm("classroom.run", instructs | platform_admin)
