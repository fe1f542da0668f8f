"""Who may open a course's gradebook: the course's instructors and assistants (and platform
admins), through ``courses.grade_course``. Both doors ask here.

Anyone else gets 404, even for a published course they can see: a gradebook is staff's page,
not part of the course page, so its URL must not tell an outsider (a student, an instructor
of another course) that it exists.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from courses.models import Course
from shared.accounts.models import User


def gradebook_course(user: User, slug: str) -> Course:
    """The course named ``slug`` if ``user`` may read its gradebook; else ``Http404``."""
    course = get_object_or_404(Course.objects.visible_to(user), slug=slug)
    if not user.has_perm("courses.grade_course", course):
        raise Http404("No gradebook here.")
    return course
